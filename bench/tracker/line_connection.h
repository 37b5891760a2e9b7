// One blocking TCP connection to a tracker, kept open for many requests as MogileFS::Backend
// keeps its socket. Send/receive are bounded by a socket timeout so a stuck tracker shows up as
// an error instead of a hung benchmark.
#pragma once

#include <string>
#include <string_view>

#include "common/protocol/line_codec.h"

namespace mog::bench {

// Plain blocking socket with SO_RCVTIMEO/SO_SNDTIMEO; closes on destruction.
class Socket {
 public:
  Socket() = default;
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Empty string on success, else a message ("connect 127.0.0.1:7001: Connection refused").
  std::string Connect(const std::string& host, uint16_t port, double timeout_s);
  std::string SendAll(std::string_view bytes);
  // Appends what arrives; "" ok, "closed" on EOF, else an error message.
  std::string ReadSome(std::string* into);
  void Close();
  bool open() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

class LineConnection {
 public:
  LineConnection(std::string host, uint16_t port, double timeout_s)
      : host_(std::move(host)), port_(port), timeout_s_(timeout_s) {}

  // Sends one request and reads one reply line. A transport failure returns a Reply with
  // ok=false, errcode "" and errstr describing it; the socket is then reopened on the next call.
  Reply Call(std::string_view verb, const ArgList& args);

 private:
  std::string host_;
  uint16_t port_;
  double timeout_s_;
  Socket socket_;
  std::string buffer_;
};

}  // namespace mog::bench
