#include "storaged/web/web_service.h"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <optional>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/log/logging.h"
#include "storaged/http/blocking.h"
#include "storaged/http/get_handler.h"
#include "storaged/web/secure_link.h"
#include "storaged/web/web_response.h"
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/uio.h>

namespace mog::storage::web {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using http::RequestHead;
using http::Response;
using http::SessionIo;

namespace {

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kNodeConnectTimeout{1500};
constexpr std::chrono::seconds kNodeIoTimeout{10};
constexpr std::chrono::seconds kNodePutReplyTimeout{60};  // the node fsyncs before it answers
constexpr size_t kStreamChunk = 64 * 1024;
constexpr size_t kUploadChunk = 256 * 1024;

const http::HeaderList kRetrySoon = {{"Retry-After", "2"}};

// Logger() takes two global locks; per request that is contention between socket threads.
const std::shared_ptr<spdlog::logger>& WebLog() {
  static const std::shared_ptr<spdlog::logger> log = Logger("web");
  return log;
}

bool IsMissing(const client::ClientError& e) {
  return e.IsTracker("unknown_key") || e.IsTracker("unreg_domain") ||
         e.IsTracker("domain_not_found") || e.IsTracker("no_domain") || e.IsTracker("no_key") ||
         e.IsTracker("key_not_found");
}

// How a tracker error reads to a web client.
int StatusFor(const client::ClientError& e) {
  if (IsMissing(e)) return 404;
  if (e.IsTracker("unreg_class") || e.IsTracker("no_class")) return 400;
  return 503;
}

std::string FieldValue(const bhttp::fields& fields, bhttp::field name) {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : std::string(it->value());
}

// A single range that the node would understand the same way; anything else is not sent and
// the whole file is served (as the storage node itself does).
bool ForwardableRange(std::string_view range) {
  return range.starts_with("bytes=") && range.find(',') == std::string_view::npos &&
         range.size() < 64;
}

asio::awaitable<bool> ConnectTo(beast::tcp_stream& stream, const NodeUrl& url) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(url.host, ec);
  stream.expires_after(kNodeConnectTimeout);
  if (!ec) {
    auto [connect_ec] = co_await stream.async_connect(tcp::endpoint(address, url.port), kAsTuple);
    co_return !connect_ec;
  }
  tcp::resolver resolver(stream.get_executor());
  auto [resolve_ec, results] =
      co_await resolver.async_resolve(url.host, std::to_string(url.port), kAsTuple);
  if (resolve_ec) co_return false;
  auto [connect_ec, endpoint] = co_await stream.async_connect(results, kAsTuple);
  co_return !connect_ec;
}

}  // namespace

struct WebService::Lookup {
  int status = 200;  // 200: paths below; else the status to answer
  PathCache::Paths paths;
};

std::vector<std::string> LocalHostPorts(const Endpoint& listen) {
  std::vector<std::string> out;
  const std::string port = std::to_string(listen.port);
  if (listen.host != "0.0.0.0") {
    out.push_back(listen.host + ":" + port);
    return out;
  }
  struct ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (auto* it = list; it; it = it->ifa_next) {
    if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET) continue;
    const auto* in = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
    boost::asio::ip::address_v4 address(ntohl(in->sin_addr.s_addr));
    out.push_back(address.to_string() + ":" + port);
  }
  ::freeifaddrs(list);
  return out;
}

WebService::WebService(WebConfig config, const Docroot& docroot,
                       std::vector<std::string> local_hostports)
    : config_(std::move(config)),
      docroot_(docroot),
      local_hostports_(std::move(local_hostports)),
      cache_(config_.path_cache_size, config_.path_cache_ttl),
      trackers_(config_.trackers, client::TrackerOptions{std::chrono::milliseconds(500),
                                                         std::chrono::milliseconds(3000),
                                                         std::chrono::milliseconds(5000)}) {}

bool WebService::IsLocal(const NodeUrl& url) const {
  return std::find(local_hostports_.begin(), local_hostports_.end(), url.hostport) !=
         local_hostports_.end();
}

bool WebService::Authorized(const RequestHead& head) const {
  std::string_view value = head.authorization;
  if (value.size() < 7 || strncasecmp(value.data(), "Bearer ", 7) != 0) return false;
  value.remove_prefix(7);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return ConstantTimeEquals(value, config_.upload_token);
}

asio::awaitable<Response> WebService::Handle(SessionIo& io, const RequestHead& head) {
  const auto& log = WebLog();
  const bool body_unread = !io.parser.is_done() && head.method != "PUT";
  // A GET/HEAD/DELETE with a body is answered and the connection closed (the body's bytes
  // cannot be skipped); only then is the head copied (this is on every request).
  std::optional<RequestHead> closing;
  if (body_unread) {
    closing.emplace(head);
    closing->connection = "close";
  }
  const RequestHead& request = closing ? *closing : head;
  auto parsed = ParseWebTarget(head.target);
  if (auto* error = std::get_if<TargetError>(&parsed)) {
    log->debug("{} refused: {}", head.method, error->reason);
    co_return WebError(400, request, {}, !io.parser.is_done());
  }
  const WebTarget& target = std::get<WebTarget>(parsed);
  if (head.method == "GET" || head.method == "HEAD") {
    if (config_.DomainSecured(target.domain)) {
      const auto md5 = QueryParam(target.query, "md5");
      const auto expires = QueryParam(target.query, "expires");
      if (!md5 || !expires ||
          !SecureLinkValid(*md5, *expires, target.path, config_.secret, std::time(nullptr))) {
        co_return WebError(403, request, {}, body_unread);
      }
    }
    co_return co_await Get(io, request, target);
  }
  if (head.method == "PUT") co_return co_await Put(io, request, target);
  if (head.method == "DELETE") co_return co_await Delete(io, request, target);
  const std::string allow = config_.upload_token.empty() ? "GET, HEAD" : "GET, HEAD, PUT, DELETE";
  co_return WebError(405, request, {{"Allow", allow}}, !io.parser.is_done());
}

asio::awaitable<WebService::Lookup> WebService::LookUp(SessionIo& io, const WebTarget& target) {
  Lookup lookup;
  lookup.paths = cache_.Get(target.domain, target.key, PathCache::Clock::now());
  if (lookup.paths) {
    ++counters_.cache_hits;
    co_return lookup;
  }
  ++counters_.tracker_lookups;
  auto ask = [&] {
    return trackers_.With(target.domain, [&](client::Client& c) {
      // noverify: we fail over across the paths ourselves (as nginx's
      // mogilefs module), so the tracker need not HEAD the first one.
      client::GetPathsOptions options;
      options.noverify = true;
      return c.GetPaths(target.key, options);
    });
  };
  auto reply = co_await http::RunBlocking(io.blocking_pool, ask);
  if (!reply) {
    if (!IsMissing(reply.error())) {
      WebLog()->warn("get_paths domain={} failed: {}", target.domain, reply.error().errstr());
    }
    lookup.status = StatusFor(reply.error());
    co_return lookup;
  }
  std::vector<std::string> paths = std::move(*reply);
  paths.erase(std::remove(paths.begin(), paths.end(), std::string()), paths.end());
  if (!paths.empty()) cache_.Put(target.domain, target.key, paths, PathCache::Clock::now());
  lookup.paths = std::make_shared<const std::vector<std::string>>(std::move(paths));
  co_return lookup;
}

asio::awaitable<Response> WebService::Get(SessionIo& io, const RequestHead& head,
                                          const WebTarget& target) {
  const auto& log = WebLog();
  Lookup lookup = co_await LookUp(io, target);
  if (lookup.status == 503) co_return WebError(503, head, kRetrySoon);
  if (lookup.status != 200) co_return WebError(lookup.status, head);
  if (lookup.paths->empty()) co_return WebError(503, head, {{"Retry-After", "5"}});

  const std::string etag = ETagForFid(FidFromPath(lookup.paths->front()));
  if (!head.if_none_match.empty() && EtagMatches(head.if_none_match, etag)) {
    // The fid names the bytes: a matching validator needs no node at all.
    EntityInfo info{target.key,
                    etag,
                    std::nullopt,
                    config_.CacheControlFor(target.domain),
                    &config_.inline_types,
                    ""};
    co_return NotModifiedResponse(info, head, std::time(nullptr));
  }
  bool dropped = false;
  for (const std::string& path : *lookup.paths) {
    auto url = ParseNodeUrl(path);
    Attempt attempt = Attempt::kFailed;
    Response response;
    if (url) {
      attempt = IsLocal(*url) ? co_await ServeLocal(io, head, *url, target, etag, &response)
                              : co_await ServeRemote(io, head, *url, target, etag, &response);
    }
    if (attempt == Attempt::kServed) co_return response;
    if (attempt == Attempt::kBroken) co_return Response{};  // head sent, body cut: close
    ++counters_.path_failures;
    log->info("domain={} path {} failed; trying the next", target.domain, path);
    if (!dropped) {
      cache_.Drop(target.domain, target.key);
      dropped = true;
    }
  }
  co_return WebError(503, head, {{"Retry-After", "5"}});
}

asio::awaitable<WebService::Attempt> WebService::ServeLocal(SessionIo& io, const RequestHead& head,
                                                            const NodeUrl& url,
                                                            const WebTarget& target,
                                                            const std::string& etag,
                                                            Response* out) {
  auto path = Docroot::Parse(url.path);
  if (!path.ok()) co_return Attempt::kFailed;
  // As fid GETs: from the socket thread when the kernel has the lookup cached, else on the
  // blocking pool; O_NONBLOCK so a FIFO below dev<N> cannot hang us.
  auto opened = docroot_.OpenReadCached(*path.value, O_NONBLOCK);
  if (!opened.ok() && opened.failure.kind == PathError::kIo && opened.failure.err == EAGAIN) {
    auto open = [&] { return docroot_.OpenRead(*path.value, O_NONBLOCK); };
    opened = co_await http::RunBlocking(io.blocking_pool, open);
  }
  if (!opened.ok()) co_return Attempt::kFailed;
  http::UniqueFd fd(*opened.value);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) co_return Attempt::kFailed;

  EntityInfo info{
      target.key, etag, st.st_mtime, config_.CacheControlFor(target.domain), &config_.inline_types,
      "local"};
  const std::time_t now = std::time(nullptr);
  FilePlan plan = PlanFileResponse(info, static_cast<uint64_t>(st.st_size), head, now);
  out->status = plan.status;
  out->head = std::move(plan.head);
  out->keep_alive = plan.keep_alive;
  if (plan.length > 0) {
    bool read = false;
    if (plan.length <= http::kInlineBodyLimit) {
      std::string body(plan.length, '\0');
      struct iovec iov = {body.data(), body.size()};
      const ssize_t n = ::preadv2(fd.get(), &iov, 1, static_cast<off_t>(plan.offset), RWF_NOWAIT);
      if (n == static_cast<ssize_t>(body.size())) {
        out->body = std::move(body);
        read = true;
      }
    }
    if (!read) {
      out->file = std::move(fd);
      out->file_offset = plan.offset;
      out->file_length = plan.length;
    }
  }
  ++counters_.local_serves;
  co_return Attempt::kServed;
}

asio::awaitable<WebService::Attempt> WebService::ServeRemote(SessionIo& io, const RequestHead& head,
                                                             const NodeUrl& url,
                                                             const WebTarget& target,
                                                             const std::string& etag,
                                                             Response* out) {
  beast::tcp_stream node(io.stream.get_executor());
  if (!co_await ConnectTo(node, url)) co_return Attempt::kFailed;
  std::string request = (head.IsHead() ? "HEAD " : "GET ") + url.path +
                        " HTTP/1.1\r\nHost: " + url.hostport + "\r\nConnection: close\r\n";
  if (!head.range.empty() && ForwardableRange(head.range)) {
    request += "Range: " + head.range + "\r\n";
  }
  request += "\r\n";
  node.expires_after(kNodeIoTimeout);
  if (auto [ec, n] = co_await asio::async_write(node, asio::buffer(request), kAsTuple); ec) {
    co_return Attempt::kFailed;
  }
  beast::flat_buffer buffer(64 * 1024 + 16 * 1024);
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(boost::none);
  parser.header_limit(64 * 1024);
  if (head.IsHead()) parser.skip(true);
  if (auto [ec, n] = co_await bhttp::async_read_header(node, buffer, parser, kAsTuple); ec) {
    co_return Attempt::kFailed;
  }
  const auto& msg = parser.get();
  const int status = static_cast<int>(msg.result_int());
  if (status != 200 && status != 206 && status != 416) co_return Attempt::kFailed;
  const std::string last_modified = FieldValue(msg, bhttp::field::last_modified);
  EntityInfo info{target.key,
                  etag,
                  ParseHttpDate(last_modified),
                  config_.CacheControlFor(target.domain),
                  &config_.inline_types,
                  "remote"};
  const std::time_t now = std::time(nullptr);
  if (status != 416 && NotModified(head, etag, info.mtime)) {
    *out = NotModifiedResponse(info, head, now);
    ++counters_.remote_serves;
    co_return Attempt::kServed;
  }
  const std::string length = FieldValue(msg, bhttp::field::content_length);
  if (length.empty()) co_return Attempt::kFailed;  // our nodes always send one
  http::HeadWriter writer("HTTP/1.1", status, ReasonPhrase(status));
  thread_local http::HttpDateMemo date;
  writer.Add("Date", date.Get(now));
  writer.Add("Server", "mogstored");
  AddEntityHeaders(info, &writer);
  if (const std::string range = FieldValue(msg, bhttp::field::content_range); !range.empty()) {
    writer.Add("Content-Range", range);
  }
  writer.Add("Content-Length", length);
  out->status = status;
  out->keep_alive = http::ClientWantsKeepAlive(head);
  writer.AddConnection(out->keep_alive);
  const std::string response_head = std::move(writer).Finish();
  ++counters_.remote_serves;

  // From here on the client has our head: a failure can only close the connection.
  io.stream.expires_after(io.idle_timeout);
  if (auto [ec, n] = co_await asio::async_write(io.stream, asio::buffer(response_head), kAsTuple);
      ec) {
    co_return Attempt::kBroken;
  }
  if (head.IsHead() || status == 416) co_return Attempt::kServed;
  std::vector<char> chunk(kStreamChunk);
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    node.expires_after(kNodeIoTimeout);
    auto [ec, n] = co_await bhttp::async_read(node, buffer, parser, kAsTuple);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) co_return Attempt::kBroken;
    const size_t got = chunk.size() - parser.get().body().size;
    if (got == 0) continue;
    io.stream.expires_after(io.idle_timeout);
    auto [write_ec, written] =
        co_await asio::async_write(io.stream, asio::buffer(chunk.data(), got), kAsTuple);
    if (write_ec) co_return Attempt::kBroken;
  }
  co_return Attempt::kServed;
}

asio::awaitable<Response> WebService::Put(SessionIo& io, const RequestHead& head,
                                          const WebTarget& target) {
  const auto& log = WebLog();
  const bool body_pending = !io.parser.is_done();
  if (config_.upload_token.empty()) {
    co_return WebError(405, head, {{"Allow", "GET, HEAD"}}, body_pending);
  }
  if (!Authorized(head)) {
    co_return WebError(401, head, {{"WWW-Authenticate", "Bearer"}}, body_pending);
  }
  std::optional<std::string> class_name = QueryParam(target.query, "class");
  if (class_name && class_name->empty()) class_name.reset();

  auto open = [&] {
    return trackers_.With(target.domain,
                          [&](client::Client& c) { return c.CreateOpen(target.key, class_name); });
  };
  auto opened = co_await http::RunBlocking(io.blocking_pool, open);
  if (!opened) {
    log->info("PUT domain={} create_open: {}", target.domain, opened.error().errstr());
    const int status = StatusFor(opened.error());
    co_return WebError(status, head, status == 503 ? kRetrySoon : http::HeaderList{}, body_pending);
  }

  std::optional<beast::tcp_stream> connected;
  const client::Destination* used = nullptr;
  std::optional<NodeUrl> node_url;
  for (const auto& destination : opened->destinations) {
    node_url = ParseNodeUrl(destination.path);
    if (!node_url) continue;
    connected.emplace(io.stream.get_executor());
    if (co_await ConnectTo(*connected, *node_url)) {
      used = &destination;
      break;
    }
    connected.reset();
  }
  if (!used) co_return WebError(503, head, kRetrySoon, body_pending);
  beast::tcp_stream& node = *connected;

  if (body_pending && head.expect.find("100-continue") != std::string::npos) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    io.stream.expires_after(io.idle_timeout);
    if (auto [ec, n] = co_await asio::async_write(io.stream, asio::buffer(kContinue), kAsTuple);
        ec) {
      co_return Response{};
    }
  }
  const bool chunked = head.chunked;
  std::string put = "PUT " + node_url->path + " HTTP/1.1\r\nHost: " + node_url->hostport +
                    "\r\nConnection: close\r\n";
  put += chunked ? std::string("Transfer-Encoding: chunked\r\n")
                 : "Content-Length: " + std::to_string(head.content_length.value_or(0)) + "\r\n";
  put += "\r\n";
  node.expires_after(kNodeIoTimeout);
  if (auto [ec, n] = co_await asio::async_write(node, asio::buffer(put), kAsTuple); ec) {
    co_return WebError(502, head, {}, body_pending);
  }

  // Streams the body through one bounded buffer; a client that goes away mid-body leaves the
  // node with a cut upload (discarded, never visible) and the tracker with an unclosed fid.
  uint64_t size = 0;
  std::vector<char> chunk(kUploadChunk);
  while (!io.parser.is_done()) {
    io.parser.get().body().data = chunk.data();
    io.parser.get().body().size = chunk.size();
    io.stream.expires_after(io.idle_timeout);
    auto [ec, n] = co_await bhttp::async_read(io.stream, io.buffer, io.parser, kAsTuple);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      log->info("PUT domain={} fid={} abandoned by the client after {} bytes: {}", target.domain,
                opened->fid, size, ec.message());
      co_return Response{};
    }
    const size_t got = chunk.size() - io.parser.get().body().size;
    if (got == 0) continue;
    std::vector<asio::const_buffer> parts;
    char frame[24];
    if (chunked) {
      const int len = std::snprintf(frame, sizeof(frame), "%zx\r\n", got);
      parts.emplace_back(frame, static_cast<size_t>(len));
    }
    parts.emplace_back(chunk.data(), got);
    if (chunked) parts.emplace_back("\r\n", 2);
    node.expires_after(kNodeIoTimeout);
    if (auto [wec, wn] = co_await asio::async_write(node, parts, kAsTuple); wec) {
      log->warn("PUT domain={} fid={} to {} failed: {}", target.domain, opened->fid, used->path,
                wec.message());
      co_return WebError(502, head, {}, /*body_unread=*/true);
    }
    size += got;
  }
  if (chunked) {
    node.expires_after(kNodeIoTimeout);
    if (auto [ec, n] = co_await asio::async_write(node, asio::buffer("0\r\n\r\n", 5), kAsTuple);
        ec) {
      co_return WebError(502, head);
    }
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> reply;
  reply.body_limit(64 * 1024);
  node.expires_after(kNodePutReplyTimeout);
  auto [rec, rn] = co_await bhttp::async_read(node, buffer, reply, kAsTuple);
  const int node_status = rec ? 0 : static_cast<int>(reply.get().result_int());
  if (node_status < 200 || node_status >= 300) {
    log->warn("PUT domain={} fid={} to {}: node answered {} {}", target.domain, opened->fid,
              used->path, node_status, rec.message());
    co_return WebError(502, head);
  }
  auto close = [&] {
    return trackers_.With(target.domain, [&](client::Client& c) {
      return c.CreateClose(opened->fid, *used, target.key, size);
    });
  };
  auto closed = co_await http::RunBlocking(io.blocking_pool, close);
  cache_.Drop(target.domain, target.key);
  if (!closed) {
    log->warn("PUT domain={} fid={} create_close: {}", target.domain, opened->fid,
              closed.error().errstr());
    const int status = StatusFor(closed.error());
    co_return WebError(status == 503 ? 503 : 502, head,
                       status == 503 ? kRetrySoon : http::HeaderList{});
  }
  Response response = WebError(201, head, {{"ETag", ETagForFid(opened->fid)}});
  co_return response;
}

asio::awaitable<Response> WebService::Delete(SessionIo& io, const RequestHead& head,
                                             const WebTarget& target) {
  const bool body_pending = !io.parser.is_done();
  if (config_.upload_token.empty()) {
    co_return WebError(405, head, {{"Allow", "GET, HEAD"}}, body_pending);
  }
  if (!Authorized(head)) {
    co_return WebError(401, head, {{"WWW-Authenticate", "Bearer"}}, body_pending);
  }
  auto remove = [&] {
    return trackers_.With(target.domain, [&](client::Client& c) { return c.Delete(target.key); });
  };
  auto removed = co_await http::RunBlocking(io.blocking_pool, remove);
  cache_.Drop(target.domain, target.key);
  if (!removed) {
    const int status = StatusFor(removed.error());
    co_return WebError(status, head, status == 503 ? kRetrySoon : http::HeaderList{}, body_pending);
  }
  co_return WebError(204, head, {}, body_pending);
}

}  // namespace mog::storage::web
