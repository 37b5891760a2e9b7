// Response framing exactly as Perlbal (mogstored's HTTP engine) puts it on the wire: the status
// line is always "HTTP/1.0 <code> <text>" (a code without a text keeps the trailing space),
// headers in upstream's order, and the keep-alive rules of Perlbal's setup_keepalive.
// Serialised by hand because the exact bytes matter (Beast would print "201 Created").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storaged/http/request_head.h"

namespace mog::storage::http {

// Perlbal's code texts; "" for codes it has no text for (201).
std::string_view StatusText(int code);
// RFC 7231 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (locale independent).
std::string HttpDate(std::time_t t);

// The last HttpDate() result for one time, kept (per thread, per call site) so that a server
// answering thousands of requests per second formats the Date header once per second.
class HttpDateMemo {
 public:
  std::string_view Get(std::time_t t);

 private:
  std::time_t time_ = -1;
  std::string text_;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;
std::string SerializeHead(int code, const HeaderList& headers);

// Writes a response head straight into one string (the hot GET path: no per-header
// allocations). Same bytes as SerializeHead with the same headers in the same order.
class HeadWriter {
 public:
  explicit HeadWriter(int code);
  // "<version> <code> <reason>" (the web listener's HTTP/1.1 status lines).
  HeadWriter(std::string_view version, int code, std::string_view reason);
  void Add(std::string_view name, std::string_view value);
  void AddNumber(std::string_view name, uint64_t value);
  // Appends "Connection: keep-alive" + "Keep-Alive: timeout=30, max=100", or "Connection: close".
  void AddConnection(bool keep_alive);
  std::string Finish() &&;  // the blank line ending the head

 private:
  void AddDecimal(uint64_t value);
  std::string out_;
};

// HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
bool ClientWantsKeepAlive(const RequestHead& request);
// Appends "Connection: keep-alive" + "Keep-Alive: timeout=30, max=100", or "Connection: close".
void AddConnectionHeaders(bool keep_alive, HeaderList* headers);

// An owned file descriptor (the body of a file response).
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  ~UniqueFd();
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// What the session writes: `head`, then `body`, then `file_length` bytes of `file` from
// `file_offset` (by sendfile). `keep_alive` false: close after writing.
struct Response {
  int status = 0;
  std::string head;
  std::string body;
  UniqueFd file;
  uint64_t file_offset = 0;
  uint64_t file_length = 0;
  bool keep_alive = false;
};

// Perlbal's "simple response": Content-Type: text/html, Content-Length, Server, Connection
// [, Keep-Alive]; body "<h1><code> - <text></h1>\n" + message (no Content-Type/Length/body for
// 204/304). HEAD gets the same headers without the body. `body_unread`: the request body was
// not consumed, so the connection cannot be reused.
Response SimpleResponse(int code, std::string_view message, const RequestHead& request,
                        bool body_unread = false);

}  // namespace mog::storage::http
