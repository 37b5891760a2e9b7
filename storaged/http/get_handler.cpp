#include "storaged/http/get_handler.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string>

#include "storaged/http/byte_range.h"
#include "storaged/http/request_target.h"

namespace mog::storage::http {
namespace {

// Why a path could not be served, as an HTTP status.
Response Refuse(const PathFailure& failure, const RequestHead& request) {
  switch (failure.kind) {
    case PathError::kInvalid:
      return SimpleResponse(403, "Bogus URL", request);
    case PathError::kNotDevice:
    case PathError::kNotFound:
      return SimpleResponse(404, "", request);
    case PathError::kEscape:
      return SimpleResponse(403, "", request);
    case PathError::kIo:
      if (failure.err == EACCES || failure.err == EPERM || failure.err == ELOOP) {
        return SimpleResponse(403, "", request);
      }
      if (failure.err == ENAMETOOLONG) return SimpleResponse(404, "", request);
      return SimpleResponse(500, "", request);
  }
  return SimpleResponse(500, "", request);
}

// How HandleGet may touch the disk.
struct Mode {
  bool cached_only = false;  // only page/dentry cache; never wait on the disk
  bool would_block = false;  // set when cached_only could not complete
};

enum class InlineRead { kDone, kUseSendfile, kWouldBlock };

// Small bodies are read right away (one read instead of a later sendfile round trip).
InlineRead ReadInline(int fd, Response* response, Mode* mode) {
  std::string body(response->file_length, '\0');
  size_t done = 0;
  while (done < body.size()) {
    struct iovec iov = {body.data() + done, body.size() - done};
    const off_t at = static_cast<off_t>(response->file_offset + done);
    ssize_t n = ::preadv2(fd, &iov, 1, at, mode->cached_only ? RWF_NOWAIT : 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && mode->cached_only) return InlineRead::kWouldBlock;
    if (n <= 0) return InlineRead::kUseSendfile;  // error or shrunk: sendfile will notice
    done += static_cast<size_t>(n);
  }
  response->body = std::move(body);
  return InlineRead::kDone;
}

PathResult<int> Open(const Docroot& docroot, const DocPath& path, const Mode& mode) {
  // O_NONBLOCK: opening a FIFO planted below dev<N> must not hang the server.
  return mode.cached_only ? docroot.OpenReadCached(path, O_NONBLOCK)
                          : docroot.OpenRead(path, O_NONBLOCK);
}

bool IsCacheMiss(const PathFailure& failure, const Mode& mode) {
  return mode.cached_only && failure.kind == PathError::kIo && failure.err == EAGAIN;
}

// Changes whenever the file is replaced (a PUT renames a new inode in) or rewritten.
// "<ino hex>-<mtime hex>-<size hex>", quoted; to_chars, not snprintf: this is on every GET.
std::string ETagFor(const struct stat& st) {
  char buf[64];
  char* out = buf;
  *out++ = '"';
  const unsigned long long parts[] = {static_cast<unsigned long long>(st.st_ino),
                                      static_cast<unsigned long long>(st.st_mtime),
                                      static_cast<unsigned long long>(st.st_size)};
  for (size_t i = 0; i < 3; ++i) {
    if (i) *out++ = '-';
    out = std::to_chars(out, buf + sizeof(buf), parts[i], 16).ptr;
  }
  *out++ = '"';
  return std::string(buf, out);
}

bool EtagListMatches(std::string_view list, std::string_view etag) {
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(',', pos);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    pos = end + 1;
  }
  return false;
}

// Perlbal: If-Modified-Since must equal Last-Modified as a string; IE's "; length=N" suffix,
// when present, must equal the size.
bool NotModifiedSince(std::string ims, std::string_view last_modified, uint64_t size) {
  if (ims.empty()) return false;
  if (auto pos = ims.find("; length="); pos != std::string::npos) {
    std::string digits = ims.substr(pos + 9);
    ims.erase(pos);
    if (digits != std::to_string(size)) return false;
  }
  return ims == last_modified;
}

Response FileResponse(UniqueFd fd, const struct stat& st, std::string_view name,
                      const RequestHead& request, std::time_t now, Mode* mode) {
  thread_local HttpDateMemo date_memo;
  thread_local HttpDateMemo last_modified_memo;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  const std::string_view last_modified = last_modified_memo.Get(st.st_mtime);
  const std::string etag = ETagFor(st);
  const bool not_modified =
      request.if_none_match.empty()
          ? NotModifiedSince(request.if_modified_since, last_modified, size)
          : EtagListMatches(request.if_none_match, etag);
  const RangeDecision range = DecideRange(request.range, size);

  Response response;
  if (not_modified) {
    response.status = 304;
  } else if (range.kind == RangeDecision::kUnsatisfiable) {
    response.status = 416;
  } else {
    response.status = range.kind == RangeDecision::kPartial ? 206 : 200;
  }
  HeadWriter head(response.status);
  if (response.status == 416) {
    head.Add("Content-Range", "bytes */" + std::to_string(size));
    head.Add("Content-Length", "0");
  }
  head.Add("Date", date_memo.Get(now));
  head.Add("Server", "Perlbal");
  head.Add("Last-Modified", last_modified);
  head.Add("ETag", etag);
  head.Add("Accept-Ranges", "bytes");
  if (response.status == 200 || response.status == 206) {
    head.Add("Content-Type", ContentTypeFor(name));
    if (response.status == 200) {
      response.file_offset = 0;
      response.file_length = size;
    } else {
      response.file_offset = range.first;
      response.file_length = range.last - range.first + 1;
      head.Add("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                    std::to_string(range.last) + "/" + std::to_string(size));
    }
    head.AddNumber("Content-Length", response.file_length);
    if (!request.IsHead() && response.file_length > 0) {
      InlineRead read = response.file_length <= kInlineBodyLimit
                            ? ReadInline(fd.get(), &response, mode)
                            : InlineRead::kUseSendfile;
      if (read == InlineRead::kWouldBlock) {
        mode->would_block = true;
        return {};
      }
      if (read == InlineRead::kDone) {
        response.file_length = 0;  // small body read here: no sendfile round trip
      } else {
        response.file = std::move(fd);
      }
    }
  }
  // Every answer here has a length or is a 304.
  response.keep_alive = ClientWantsKeepAlive(request);
  head.AddConnection(response.keep_alive);
  response.head = std::move(head).Finish();
  if (!response.file) response.file_length = 0;
  return response;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view filename) {
  // Perlbal takes the extension with /\.(\w+)$/.
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "text/plain";
  std::string_view ext = filename.substr(dot + 1);
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {"css", "text/css"},         {"doc", "application/msword"},
      {"gif", "image/gif"},        {"htm", "text/html"},
      {"html", "text/html"},       {"jpg", "image/jpeg"},
      {"js", "application/x-javascript"}, {"mp3", "audio/mpeg"},
      {"mpg", "video/mpeg"},       {"pdf", "application/pdf"},
      {"png", "image/png"},        {"tif", "image/tiff"},
      {"tiff", "image/tiff"},      {"torrent", "application/x-bittorrent"},
      {"txt", "text/plain"},       {"zip", "application/zip"},
  };
  for (const auto& entry : kTypes) {
    if (entry.ext == ext) return entry.type;
  }
  return "text/plain";
}

namespace {

Response Serve(const Docroot& docroot, const RequestHead& request, std::time_t now, Mode* mode) {
  auto target = ParseGetTarget(request.target);
  if (auto* refusal = std::get_if<Refusal>(&target)) {
    return SimpleResponse(refusal->status, refusal->message, request);
  }
  const GetTarget& get = std::get<GetTarget>(target);
  if (get.docroot_itself) return SimpleResponse(200, "Directory listing disabled", request);

  auto path = Docroot::Parse(get.path);
  if (!path.ok()) return Refuse(path.failure, request);
  auto opened = Open(docroot, *path.value, *mode);
  if (!opened.ok()) {
    if (IsCacheMiss(opened.failure, *mode)) {
      mode->would_block = true;
      return {};
    }
    return Refuse(opened.failure, request);
  }
  UniqueFd fd(*opened.value);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return SimpleResponse(500, "", request);

  std::string name = path.value->parts.empty() ? path.value->device_dir : path.value->parts.back();
  if (S_ISDIR(st.st_mode)) {
    DocPath index = *path.value;
    index.parts.emplace_back("index.html");
    auto index_fd = Open(docroot, index, *mode);
    if (!index_fd.ok() && IsCacheMiss(index_fd.failure, *mode)) {
      mode->would_block = true;
      return {};
    }
    struct stat index_st {};
    if (index_fd.ok()) {
      UniqueFd ifd(*index_fd.value);
      if (::fstat(ifd.get(), &index_st) == 0 && S_ISREG(index_st.st_mode)) {
        return FileResponse(std::move(ifd), index_st, "index.html", request, now, mode);
      }
    }
    return SimpleResponse(200, "Directory listing disabled", request);
  }
  if (!S_ISREG(st.st_mode)) return SimpleResponse(403, "", request);
  return FileResponse(std::move(fd), st, name, request, now, mode);
}

}  // namespace

Response HandleGet(const Docroot& docroot, const RequestHead& request, std::time_t now) {
  Mode mode;
  return Serve(docroot, request, now, &mode);
}

std::optional<Response> HandleGetCached(const Docroot& docroot, const RequestHead& request,
                                        std::time_t now) {
  Mode mode;
  mode.cached_only = true;
  Response response = Serve(docroot, request, now, &mode);
  if (mode.would_block) return std::nullopt;
  return response;
}

}  // namespace mog::storage::http
