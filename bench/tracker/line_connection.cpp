#include "bench/tracker/line_connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace mog::bench {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

Socket::~Socket() { Close(); }

void Socket::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string Socket::Connect(const std::string& host, uint16_t port, double timeout_s) {
  Close();
  std::string where = "connect " + host + ":" + std::to_string(port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    // Names are resolved once per connect; the benchmark normally gets literal IPs.
    addrinfo hints{};
    hints.ai_family = AF_INET;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res)
      return where + ": cannot resolve";
    addr.sin_addr = reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
    freeaddrinfo(res);
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Errno("socket");
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout_s);
  tv.tv_usec = static_cast<suseconds_t>((timeout_s - static_cast<double>(tv.tv_sec)) * 1e6);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // also bounds connect()
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::string err = Errno(where);
    Close();
    return err;
  }
  return {};
}

std::string Socket::SendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("send");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

std::string Socket::ReadSome(std::string* into) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      into->append(buf, static_cast<size_t>(n));
      return {};
    }
    if (n == 0) return "closed";
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? "timeout" : Errno("recv");
  }
}

Reply LineConnection::Call(std::string_view verb, const ArgList& args) {
  auto fail = [this](std::string message) {
    socket_.Close();
    buffer_.clear();
    Reply r;
    r.errstr = std::move(message);
    return r;
  };
  if (!socket_.open()) {
    if (std::string err = socket_.Connect(host_, port_, timeout_s_); !err.empty())
      return fail(err);
  }
  if (std::string err = socket_.SendAll(EncodeRequest(verb, args)); !err.empty())
    return fail("tracker " + err);
  for (int reads = 0; reads < 1'000'000; ++reads) {  // bounded: each read has a timeout too
    if (std::optional<std::string> line = TakeLine(&buffer_)) {
      if (line->empty()) continue;
      return ParseReply(*line);
    }
    if (std::string err = socket_.ReadSome(&buffer_); !err.empty())
      return fail("tracker read " + err);
  }
  return fail("tracker reply too long");
}

}  // namespace mog::bench
