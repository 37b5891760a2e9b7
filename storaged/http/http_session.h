// One client connection: reads requests (bounded header block, idle timeout), answers them in
// order (keep-alive and pipelining), streams PUT bodies through a bounded buffer into an
// AtomicFile, and sends file bodies with sendfile(2). Runs as a coroutine on its own strand;
// an error ends only this connection.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "storaged/docroot/docroot.h"
#include "storaged/http/request_head.h"
#include "storaged/http/response.h"
#include "storaged/http/session_handler.h"

namespace mog::storage::http {

class HttpSession;

// The live sessions, for maxconns and shutdown. Shared with the sessions themselves, so it
// outlives the server while the io_context tears down.
class SessionRegistry {
 public:
  void Add(const std::shared_ptr<HttpSession>& session);
  void Remove(const HttpSession* session);
  size_t size() const;
  // Calls `fn` for each live session (outside the lock).
  void ForEach(const std::function<void(const std::shared_ptr<HttpSession>&)>& fn) const;
  // Once set, sessions answer the request in progress and then close.
  void SetStopping() { stopping_ = true; }
  bool stopping() const { return stopping_; }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;  // GUARDED_BY
  std::atomic<bool> stopping_{false};
};

struct SessionContext {
  const Docroot& docroot;
  boost::asio::thread_pool& blocking_pool;
  std::chrono::seconds idle_timeout;
  SessionHandler* handler = nullptr;  // set: every request goes to it (the web listener)
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // Upper bounds that keep a hostile client from making us buffer: Perlbal closes on a header
  // block over 100 KiB; bodies stream through kBodyChunk at a time.
  static constexpr size_t kHeaderLimit = 100 * 1024;
  static constexpr size_t kBodyChunk = 256 * 1024;

  HttpSession(boost::asio::ip::tcp::socket socket, SessionContext context,
              std::shared_ptr<SessionRegistry> registry);
  ~HttpSession();

  boost::asio::awaitable<void> Run();
  // Thread-safe: posted to the session's strand.
  void RequestStop();  // finish the current request, then close; close now if idle
  void Close();        // close now

  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

  // How long, and how many bytes, a refused client's further input is read and dropped before
  // the close (see LingerBeforeClose).
  static constexpr std::chrono::seconds kLingerTime{2};
  static constexpr size_t kLingerBytes = 1024 * 1024;

  struct HeaderRead {
    size_t size = 0;           // > 0: a complete header block of this size is buffered
    std::string_view refusal;  // not empty: no request can start this way; answer 400, close
  };
  // Reads until a complete header block is buffered (bare LFs normalised to CRLF), judging the
  // request line as soon as it can be judged; size 0 and no refusal: just close.
  boost::asio::awaitable<HeaderRead> ReadHeaderBlock();
  // Answers 400 to a request that cannot be parsed, then closes.
  boost::asio::awaitable<void> RefuseMalformed(const std::string& message);
  // Half-closes, then drops what the client still sends (until it closes, kLingerTime or
  // kLingerBytes), so the close does not reset the connection before the client has read our
  // answer.
  boost::asio::awaitable<void> LingerBeforeClose();
  // A non-blocking recv into the header buffer (used when it is empty).
  enum class ProbeResult { kGotBytes, kNothingYet, kClosed };
  ProbeResult ProbeRead();
  boost::asio::awaitable<Response> Dispatch(Parser& parser, const RequestHead& head);
  boost::asio::awaitable<Response> HandlePut(Parser& parser, const RequestHead& head);
  boost::asio::awaitable<bool> WriteResponse(Response& response);
  boost::asio::awaitable<bool> SendFile(int file_fd, uint64_t offset, uint64_t length);
  // sendfile until `length` bytes from *position are out (waiting for writability).
  boost::asio::awaitable<bool> SendWindow(int file_fd, off_t* position, uint64_t length);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer wait_timer_;
  SessionContext context_;
  std::shared_ptr<SessionRegistry> registry_;
  bool idle_ = true;       // waiting for the next request's header
  bool stopping_ = false;  // no further requests on this connection
};

}  // namespace mog::storage::http
