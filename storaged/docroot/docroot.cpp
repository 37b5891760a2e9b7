#include "storaged/docroot/docroot.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <utility>

namespace mog::storage {
namespace {

// openat2(2) has no glibc wrapper on Debian 12; the raw syscall is stable ABI.
int OpenBeneath(int dir_fd, const std::string& relative, uint64_t flags,
                uint64_t extra_resolve = 0) {
  struct open_how how {};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | extra_resolve;
  // RESOLVE_CACHED reports a cache miss as EAGAIN: not a race, so do not retry it.
  if (extra_resolve & RESOLVE_CACHED) {
    return static_cast<int>(::syscall(SYS_openat2, dir_fd, relative.c_str(), &how, sizeof(how)));
  }
  // EAGAIN: a concurrent rename raced the kernel's ".." check; retrying is what the man page
  // asks for. Bounded so a hostile renamer cannot spin us forever.
  for (int attempt = 0; attempt < 16; ++attempt) {
    long fd = ::syscall(SYS_openat2, dir_fd, relative.c_str(), &how, sizeof(how));
    if (fd >= 0 || errno != EAGAIN) return static_cast<int>(fd);
  }
  return -1;
}

template <typename T>
PathResult<T> Fail(PathError kind, int err = 0) {
  PathResult<T> r;
  r.failure = {kind, err};
  return r;
}

template <typename T>
PathResult<T> Ok(T value) {
  PathResult<T> r;
  r.value = std::move(value);
  return r;
}

// Maps an errno from resolution below dev<N> to a PathError.
PathFailure FromErrno(int err) {
  switch (err) {
    case EXDEV:
      return {PathError::kEscape, err};
    case ENOENT:
    case ENOTDIR:
      return {PathError::kNotFound, err};
    default:
      return {PathError::kIo, err};
  }
}

template <typename T>
PathResult<T> FailErrno(int err) {
  PathResult<T> r;
  r.failure = FromErrno(err);
  return r;
}

// Closes an fd on scope exit unless released.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void Reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

std::optional<uint64_t> DevidOf(std::string_view name) {
  if (name.size() < 4 || !name.starts_with("dev")) return std::nullopt;
  std::string_view digits = name.substr(3);
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;  // "dev01" is not dev1
  uint64_t devid = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), devid);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return devid;
}

std::string JoinParts(const std::vector<std::string>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out.empty() ? std::string(".") : out;
}

}  // namespace

std::string DocPath::RelativeBelowDevice() const { return JoinParts(parts, parts.size()); }

std::string DocPath::Uri() const {
  std::string out = "/" + device_dir;
  for (const auto& p : parts) out += "/" + p;
  return out;
}

Docroot::Docroot(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  device_dirs_ = std::make_shared<DeviceDirCache>(root_);
}

PathResult<DocPath> Docroot::Parse(std::string_view uri) {
  if (uri.empty() || uri.front() != '/') return Fail<DocPath>(PathError::kInvalid);
  std::vector<std::string> components;
  size_t pos = 0;
  while (pos < uri.size()) {
    size_t end = uri.find('/', pos);
    if (end == std::string_view::npos) end = uri.size();
    std::string_view part = uri.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;  // "//dev1/usage" is the same as "/dev1/usage"
    if (part == "." || part == ".." || part.find('\0') != std::string_view::npos ||
        part.find('\\') != std::string_view::npos) {
      return Fail<DocPath>(PathError::kInvalid);
    }
    components.emplace_back(part);
  }
  if (components.empty()) return Fail<DocPath>(PathError::kNotDevice);
  auto devid = DevidOf(components.front());
  if (!devid) return Fail<DocPath>(PathError::kNotDevice);
  DocPath path;
  path.devid = *devid;
  path.device_dir = std::move(components.front());
  path.parts.assign(std::make_move_iterator(components.begin() + 1),
                    std::make_move_iterator(components.end()));
  return Ok(std::move(path));
}

PathResult<std::shared_ptr<const DeviceDirFd>> Docroot::DeviceDir(const DocPath& path,
                                                                  bool cached_only) const {
  auto dir = device_dirs_->Get(path.device_dir, cached_only);
  if (!dir) {
    using Dir = std::shared_ptr<const DeviceDirFd>;
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return Fail<Dir>(PathError::kNotFound, err);
    return Fail<Dir>(PathError::kIo, err);
  }
  return Ok(std::move(dir));
}

PathResult<int> Docroot::OpenRead(const DocPath& path, int extra_flags) const {
  return OpenReadImpl(path, extra_flags, false);
}

PathResult<int> Docroot::OpenReadCached(const DocPath& path, int extra_flags) const {
  return OpenReadImpl(path, extra_flags, true);
}

PathResult<int> Docroot::OpenReadImpl(const DocPath& path, int extra_flags,
                                      bool cached_only) const {
  auto dev = DeviceDir(path, cached_only);
  if (!dev.ok()) return Fail<int>(dev.failure.kind, dev.failure.err);
  int fd = OpenBeneath((*dev.value)->fd(), path.RelativeBelowDevice(),
                       static_cast<uint64_t>(O_RDONLY | extra_flags),
                       cached_only ? RESOLVE_CACHED : 0);
  if (fd < 0) return FailErrno<int>(errno);
  return Ok(fd);
}

PathResult<struct stat> Docroot::Stat(const DocPath& path) const {
  auto opened = OpenRead(path, O_PATH);
  if (!opened.ok()) return Fail<struct stat>(opened.failure.kind, opened.failure.err);
  FdGuard fd(*opened.value);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return FailErrno<struct stat>(errno);
  return Ok(st);
}

PathResult<int> Docroot::OpenParentDir(const DocPath& path, bool create_missing) const {
  if (path.parts.empty()) return Fail<int>(PathError::kInvalid);
  auto dev = DeviceDir(path);
  if (!dev.ok()) return Fail<int>(dev.failure.kind, dev.failure.err);
  const int dev_fd = (*dev.value)->fd();
  const size_t depth = path.parts.size() - 1;  // directories between dev<N> and the file
  const uint64_t dir_flags = O_RDONLY | O_DIRECTORY;
  int fd = OpenBeneath(dev_fd, JoinParts(path.parts, depth), dir_flags);
  if (fd >= 0) return Ok(fd);
  if (errno != ENOENT || !create_missing) return FailErrno<int>(errno);

  // Create the missing directories one level at a time. Every level is re-opened through
  // openat2 relative to dev<N>, so a symlink planted at any level cannot lead us out.
  FdGuard parent(::dup(dev_fd));
  if (parent.get() < 0) return Fail<int>(PathError::kIo, errno);
  for (size_t level = 0; level < depth; ++level) {
    if (::mkdirat(parent.get(), path.parts[level].c_str(), 0755) != 0 && errno != EEXIST) {
      return FailErrno<int>(errno);
    }
    int next = OpenBeneath(dev_fd, JoinParts(path.parts, level + 1), dir_flags);
    if (next < 0) return FailErrno<int>(errno);
    parent.Reset(next);
  }
  return Ok(parent.release());
}

PathResult<bool> Docroot::Unlink(const DocPath& path) const {
  auto parent = OpenParentDir(path, false);
  if (!parent.ok()) return Fail<bool>(parent.failure.kind, parent.failure.err);
  FdGuard dir(*parent.value);
  if (::unlinkat(dir.get(), path.parts.back().c_str(), 0) != 0) {
    int err = errno;
    // EISDIR and friends are not "not found": callers report them with the errno text.
    if (err == ENOENT) return Fail<bool>(PathError::kNotFound, err);
    return Fail<bool>(PathError::kIo, err);
  }
  return Ok(true);
}

std::vector<DocPath> Docroot::Devices() const {
  std::vector<DocPath> out;
  DIR* dir = ::opendir(root_.c_str());
  if (!dir) return out;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    auto devid = DevidOf(name);
    if (!devid) continue;
    struct stat st {};
    if (::stat((root_ + "/" + name).c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    DocPath path;
    path.devid = *devid;
    path.device_dir = std::move(name);
    out.push_back(std::move(path));
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end(),
            [](const DocPath& a, const DocPath& b) { return a.devid < b.devid; });
  return out;
}

}  // namespace mog::storage
