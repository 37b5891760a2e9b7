#include "storaged/http/http_session.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "common/log/logging.h"
#include "storaged/http/blocking.h"
#include "storaged/http/delete_handler.h"
#include "storaged/http/get_handler.h"
#include "storaged/http/header_block.h"
#include "storaged/http/put_handler.h"
#include "storaged/http/request_line.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

namespace mog::storage::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kAsTuple = asio::as_tuple(use_awaitable);

std::string HeaderValue(const bhttp::fields& fields, std::string_view name) {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : std::string(it->value());
}

RequestHead ToRequestHead(const bhttp::request_parser<bhttp::buffer_body>& parser) {
  const auto& msg = parser.get();
  RequestHead head;
  head.method = std::string(msg.method_string());
  head.target = std::string(msg.target());
  head.version = msg.version();
  head.connection = HeaderValue(msg, "Connection");
  head.range = HeaderValue(msg, "Range");
  head.if_modified_since = HeaderValue(msg, "If-Modified-Since");
  head.if_none_match = HeaderValue(msg, "If-None-Match");
  head.content_md5 = HeaderValue(msg, "Content-MD5");
  head.expect = HeaderValue(msg, "Expect");
  head.authorization = HeaderValue(msg, "Authorization");
  head.chunked = parser.chunked();
  if (auto length = parser.content_length()) head.content_length = *length;
  return head;
}

void SetCork(int fd, bool on) {
  int value = on ? 1 : 0;
  ::setsockopt(fd, IPPROTO_TCP, TCP_CORK, &value, sizeof(value));
}

}  // namespace

// ---- SessionRegistry ---------------------------------------------------------------------

void SessionRegistry::Add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock(mutex_);
  sessions_[session.get()] = session;
}

void SessionRegistry::Remove(const HttpSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void SessionRegistry::ForEach(
    const std::function<void(const std::shared_ptr<HttpSession>&)>& fn) const {
  std::vector<std::shared_ptr<HttpSession>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (const auto& s : live) fn(s);
}

// ---- HttpSession -------------------------------------------------------------------------

HttpSession::HttpSession(asio::ip::tcp::socket socket, SessionContext context,
                         std::shared_ptr<SessionRegistry> registry)
    : stream_(std::move(socket)),
      buffer_(2 * kHeaderLimit + 128 * 1024),  // a header block, normalised, + one read
      wait_timer_(stream_.get_executor()),
      context_(context),
      registry_(std::move(registry)) {}

HttpSession::~HttpSession() { registry_->Remove(this); }

void HttpSession::RequestStop() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->idle_) self->stream_.cancel();
  });
}

void HttpSession::Close() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // shutdown, not close: a blocking-pool thread may be inside sendfile on this fd, and a
    // closed fd number could be reused by another connection. Run() closes it at the end.
    boost::system::error_code ignored;
    self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    self->stream_.socket().cancel(ignored);
    self->wait_timer_.cancel();
  });
}

asio::awaitable<void> HttpSession::Run() {
  auto self = shared_from_this();
  auto log = Logger("http");
  while (!stopping_ && !registry_->stopping()) {
    idle_ = true;
    const HeaderRead read = co_await ReadHeaderBlock();
    idle_ = false;
    if (!read.refusal.empty()) {
      log->debug("bad request line: {}", read.refusal);
      co_await RefuseMalformed("");
      break;
    }
    if (read.size == 0) break;  // gone, too slow, or a header block over the limit
    const size_t header_size = read.size;
    const std::string_view block(static_cast<const char*>(buffer_.data().data()), header_size);
    const std::optional<long long> negative_length = NegativeContentLength(block);

    Parser parser;
    parser.header_limit(kHeaderLimit * 2);  // the block is complete and already bounded
    parser.body_limit(boost::none);         // bodies stream to disk; size is the disk's problem
    // The whole header block is already in buffer_ (ReadHeaderBlock waited for its end):
    // parse it in place instead of going through an async read operation and a completion
    // hop. Beast parses a header only when it has all of it, so an error here, need_more
    // included, means the block is malformed: waiting for more bytes would only hold the
    // connection until the deadline.
    boost::system::error_code ec;
    const size_t used = parser.put(asio::buffer(buffer_.data().data(), header_size), ec);
    if (ec) {
      // A malformed request: say so and close (we cannot find the next request's start).
      log->debug("bad request: {}", ec.message());
      std::string message;
      if (negative_length) {
        message = "Content-length of " + std::to_string(*negative_length) + " is invalid.";
      }
      co_await RefuseMalformed(message);
      break;
    }
    buffer_.consume(used);
    const RequestHead head = ToRequestHead(parser);
    Response response = co_await Dispatch(parser, head);
    log->debug("{} {} -> {}", head.method, head.target, response.status);
    if (response.status == 0) break;  // connection lost mid-request; nothing to answer
    if (!co_await WriteResponse(response) || !response.keep_alive) break;
  }
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

asio::awaitable<HttpSession::HeaderRead> HttpSession::ReadHeaderBlock() {
  // One deadline for the whole block (from its first byte): a client trickling a byte at a
  // time cannot hold the connection longer than the idle timeout.
  stream_.expires_after(context_.idle_timeout);
  bool line_checked = false;
  while (true) {
    std::string_view data(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    if (!line_checked && !data.empty()) {
      // The request line is judged as soon as it can be: a line that cannot start a request
      // is answered now, not after a blank line that may never come.
      const RequestStart start = CheckRequestStart(data, kHeaderLimit);
      if (start.verdict == RequestStart::kInvalid)
        co_return HeaderRead{.size = 0, .refusal = start.reason};
      if (start.verdict == RequestStart::kValid) {
        buffer_.consume(start.skip);  // the empty line before it; the buffer is not empty
        data.remove_prefix(start.skip);
        line_checked = true;
      }
    }
    if (line_checked) {
      const size_t end = FindHeaderEnd(data);
      if (end != std::string_view::npos) {
        if (end > kHeaderLimit) co_return HeaderRead{};
        if (!HasBareLineFeed(data.substr(0, end))) co_return HeaderRead{.size = end, .refusal = {}};
        std::string fixed = NormalizeLineEnds(data.substr(0, end));
        const size_t fixed_size = fixed.size();
        fixed.append(data.substr(end));
        buffer_.consume(buffer_.size());
        buffer_.commit(asio::buffer_copy(buffer_.prepare(fixed.size()), asio::buffer(fixed)));
        co_return HeaderRead{.size = fixed_size, .refusal = {}};
      }
    }
    if (buffer_.size() > kHeaderLimit) co_return HeaderRead{};
    if (buffer_.size() == 0) {
      // Between requests: one non-blocking recv both asks whether the next request is there
      // and, usually, fetches all of it (no separate readiness probe, no 64 KiB buffer).
      const ProbeResult probe = ProbeRead();
      if (probe == ProbeResult::kGotBytes) continue;
      if (probe == ProbeResult::kClosed) co_return HeaderRead{};
      // Idle keep-alive connection: hold no buffer while waiting (maxconns may be 10000), and
      // allocate only once bytes have arrived.
      buffer_.shrink_to_fit();
      wait_timer_.expires_after(context_.idle_timeout);
      auto which =
          co_await (stream_.socket().async_wait(asio::ip::tcp::socket::wait_read, kAsTuple) ||
                    wait_timer_.async_wait(kAsTuple));
      if (which.index() == 1) co_return HeaderRead{};  // idle timeout
      if (auto [wait_ec] = std::get<0>(which); wait_ec) co_return HeaderRead{};
      stream_.expires_after(context_.idle_timeout);  // from the first byte, 30 s for the rest
      continue;
    }
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(64 * 1024), kAsTuple);
    if (ec) co_return HeaderRead{};
    buffer_.commit(n);
  }
}

asio::awaitable<void> HttpSession::RefuseMalformed(const std::string& message) {
  RequestHead none;
  Response refusal = SimpleResponse(400, message, none, /*body_unread=*/true);
  if (co_await WriteResponse(refusal)) co_await LingerBeforeClose();
}

asio::awaitable<void> HttpSession::LingerBeforeClose() {
  // Closing a socket with unread input makes the kernel send a reset, which can destroy the
  // answer before the client reads it: send our FIN, then drop input until the client's.
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  buffer_.consume(buffer_.size());
  stream_.expires_after(kLingerTime);
  size_t dropped = 0;
  while (dropped < kLingerBytes) {
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(16 * 1024), kAsTuple);
    if (ec) break;
    dropped += n;  // never committed
  }
}

HttpSession::ProbeResult HttpSession::ProbeRead() {
  // Per thread, not per session: nothing suspends between the recv and the copy, and 10000
  // idle sessions must not each hold one.
  thread_local std::array<char, 16 * 1024> probe;
  while (true) {
    const ssize_t n =
        ::recv(stream_.socket().native_handle(), probe.data(), probe.size(), MSG_DONTWAIT);
    if (n > 0) {
      const size_t got = static_cast<size_t>(n);
      buffer_.commit(asio::buffer_copy(buffer_.prepare(got), asio::buffer(probe.data(), got)));
      return ProbeResult::kGotBytes;
    }
    if (n == 0) return ProbeResult::kClosed;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? ProbeResult::kNothingYet
                                                   : ProbeResult::kClosed;
  }
}

asio::awaitable<Response> HttpSession::Dispatch(Parser& parser, const RequestHead& head) {
  if (context_.handler) {
    RequestHead request = head;
    if (registry_->stopping()) request.connection = "close";
    SessionIo io{stream_, buffer_, parser, context_.blocking_pool, context_.idle_timeout};
    co_return co_await context_.handler->Handle(io, request);
  }
  if (head.method == "PUT") co_return co_await HandlePut(parser, head);
  // Only PUT bodies are read; any other request with a body is answered and the connection
  // closed, since the body's bytes cannot be taken for the next request.
  const bool body_unread = !parser.is_done();
  if (head.method == "GET" || head.method == "HEAD") {
    RequestHead get = head;
    if (body_unread || registry_->stopping()) get.connection = "close";
    // Served here when everything is in the kernel's caches; otherwise on the blocking pool,
    // so a slow or hung disk never freezes the socket threads.
    const Docroot& docroot = context_.docroot;
    if (auto cached = HandleGetCached(docroot, get, std::time(nullptr)))
      co_return std::move(*cached);
    auto serve = [&] { return HandleGet(docroot, get, std::time(nullptr)); };
    co_return co_await RunBlocking(context_.blocking_pool, serve);
  }
  if (head.method == "DELETE") {
    const Docroot& docroot = context_.docroot;
    auto remove = [&] { return HandleDelete(docroot, head); };
    Outcome outcome = co_await RunBlocking(context_.blocking_pool, remove);
    co_return SimpleResponse(outcome.status, outcome.message, head, body_unread);
  }
  // MKCOL, POST, OPTIONS...: 400 is load-bearing (the tracker then stops sending MKCOL).
  co_return SimpleResponse(400, "", head, body_unread);
}

asio::awaitable<Response> HttpSession::HandlePut(Parser& parser, const RequestHead& head) {
  auto log = Logger("http");
  const Docroot& docroot = context_.docroot;
  auto begin = [&] { return PutUpload::Begin(docroot, head); };
  auto started = co_await RunBlocking(context_.blocking_pool, begin);
  if (auto* refusal = std::get_if<Outcome>(&started)) {
    co_return SimpleResponse(refusal->status, refusal->message, head, !parser.is_done());
  }
  std::unique_ptr<PutUpload> upload = std::move(std::get<std::unique_ptr<PutUpload>>(started));

  if (!parser.is_done() && head.expect.find("100-continue") != std::string::npos) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(context_.idle_timeout);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), kAsTuple);
    if (ec) co_return Response{};
  }

  std::vector<char> chunk(kBodyChunk);
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    stream_.expires_after(context_.idle_timeout);
    auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kAsTuple);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      // Client gone, timed out or sent a broken chunk: the temp file is removed with
      // `upload`, the target is untouched.
      log->info("PUT {} abandoned after {} bytes: {}", head.target, upload->bytes_written(),
                ec.message());
      co_return Response{};
    }
    const size_t got = chunk.size() - parser.get().body().size;
    if (got == 0) continue;
    auto append = [&] { return upload->Append(chunk.data(), got); };
    if (int err = co_await RunBlocking(context_.blocking_pool, append); err != 0) {
      log->warn("PUT {} write failed: {}", head.target, std::strerror(err));
      co_return SimpleResponse(500, "Internal error", head, /*body_unread=*/true);
    }
  }
  auto finish = [&] { return upload->Finish(); };
  Outcome outcome = co_await RunBlocking(context_.blocking_pool, finish);
  if (outcome.status >= 500) log->warn("PUT {} failed: {}", head.target, outcome.message);
  co_return SimpleResponse(outcome.status, outcome.message, head);
}

asio::awaitable<bool> HttpSession::WriteResponse(Response& response) {
  const int fd = stream_.socket().native_handle();
  const bool has_file = static_cast<bool>(response.file) && response.file_length > 0;
  if (has_file) SetCork(fd, true);  // headers and the first file bytes in one segment
  stream_.expires_after(context_.idle_timeout);
  std::array<asio::const_buffer, 2> parts = {asio::buffer(response.head),
                                             asio::buffer(response.body)};
  auto [ec, n] = co_await asio::async_write(stream_, parts, kAsTuple);
  if (ec) co_return false;
  if (has_file) {
    bool sent = co_await SendFile(response.file.get(), response.file_offset, response.file_length);
    SetCork(fd, false);
    co_return sent;
  }
  co_return true;
}

asio::awaitable<bool> HttpSession::SendFile(int file_fd, uint64_t offset, uint64_t length) {
  // As Perlbal: the disk is read by readahead(2) on the blocking pool, and sendfile on the
  // socket thread then copies from the page cache without waiting on the disk (a slow disk
  // stalls only the pool). The next window is read ahead while the current one is sent.
  constexpr uint64_t kWindow = 8u << 20;
  boost::system::error_code ec;
  stream_.socket().native_non_blocking(true, ec);
  if (ec) co_return false;
  off_t position = static_cast<off_t>(offset);
  uint64_t window = std::min(length, kWindow);
  auto first = [&] { return ::readahead(file_fd, position, window); };
  co_await RunBlocking(context_.blocking_pool, first);
  while (length > 0) {
    const off_t next_start = position + static_cast<off_t>(window);
    const uint64_t next = std::min(length - window, kWindow);
    bool sent = false;
    if (next > 0) {
      auto prefetch = [&] { return ::readahead(file_fd, next_start, next); };
      auto both = co_await (RunBlocking(context_.blocking_pool, prefetch) &&
                            SendWindow(file_fd, &position, window));
      sent = std::get<1>(both);
    } else {
      sent = co_await SendWindow(file_fd, &position, window);
    }
    if (!sent) co_return false;
    length -= window;
    window = next;
  }
  co_return true;
}

asio::awaitable<bool> HttpSession::SendWindow(int file_fd, off_t* position, uint64_t length) {
  auto& socket = stream_.socket();
  while (length > 0) {
    ssize_t n = ::sendfile(socket.native_handle(), file_fd, position, static_cast<size_t>(length));
    if (n > 0) {
      length -= static_cast<uint64_t>(n);
      continue;
    }
    if (n == 0) co_return false;  // file shrank under us: the promised length cannot be met
    if (errno == EINTR) continue;
    if (errno != EAGAIN) co_return false;
    // Socket buffer full: wait until writable, but no longer than the idle timeout.
    wait_timer_.expires_after(context_.idle_timeout);
    auto which = co_await (socket.async_wait(asio::ip::tcp::socket::wait_write, kAsTuple) ||
                           wait_timer_.async_wait(kAsTuple));
    if (which.index() == 1) co_return false;  // timed out
    auto [wait_ec] = std::get<0>(which);
    if (wait_ec) co_return false;
  }
  co_return true;
}

}  // namespace mog::storage::http
