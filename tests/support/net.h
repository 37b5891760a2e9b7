// Blocking loopback networking for tests: free ports, waiting for a listener, and a raw TCP
// client with timeouts (tests speak bytes, so the wire format itself is under test).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace mog::test {

// Polls `pred` every 10 ms until true or `timeout`; returns the last result.
bool WaitUntil(const std::function<bool()>& pred,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A port that was free on `ip` a moment ago.
uint16_t FreePort(const std::string& ip = "127.0.0.1");
bool CanConnect(const std::string& ip, uint16_t port);
bool WaitForPort(const std::string& ip, uint16_t port,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

class TcpClient {
 public:
  TcpClient(const std::string& ip, uint16_t port,
            std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool Send(const std::string& data);
  // Reads up to and including `delim`; returns what arrived (possibly without delim on
  // timeout/EOF).
  std::string ReadUntil(const std::string& delim);
  std::string ReadLine() { return ReadUntil("\n"); }
  std::string ReadExactly(size_t n);
  // Reads until the peer closes (or timeout).
  std::string ReadAll();
  // True once the peer has closed the connection (read returns 0) within the timeout.
  bool PeerClosed();
  void ShutdownWrite();
  void Close();
  int fd() const { return fd_; }

 private:
  bool Fill();
  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  std::string buffer_;
  bool eof_ = false;
};

// Minimal HTTP/1.x exchange for tests: sends `request` bytes verbatim, parses one response
// (status, headers, body by Content-Length, or to EOF).
struct HttpResponse {
  int status = 0;
  std::string status_line;
  std::string headers;  // raw header block
  std::string body;
  std::string Header(const std::string& name) const;  // case-insensitive, "" if absent
};
HttpResponse ReadHttpResponse(TcpClient& client, bool head_request = false);
HttpResponse HttpExchange(const std::string& ip, uint16_t port, const std::string& request,
                          bool head_request = false);

}  // namespace mog::test
