#include "tests/support/net.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <thread>

namespace mog::test {

bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

namespace {

sockaddr_in Address(const std::string& ip, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) throw std::runtime_error("bad ip " + ip);
  return addr;
}

}  // namespace

uint16_t FreePort(const std::string& ip) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = Address(ip, 0);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("bind failed on " + ip);
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool CanConnect(const std::string& ip, uint16_t port) {
  TcpClient c(ip, port, std::chrono::milliseconds(200));
  return c.connected();
}

bool WaitForPort(const std::string& ip, uint16_t port, std::chrono::milliseconds timeout) {
  return WaitUntil([&] { return CanConnect(ip, port); }, timeout);
}

TcpClient::TcpClient(const std::string& ip, uint16_t port, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = Address(ip, port);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

TcpClient::~TcpClient() { Close(); }

void TcpClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void TcpClient::ShutdownWrite() {
  if (fd_ >= 0) shutdown(fd_, SHUT_WR);
}

bool TcpClient::Send(const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool TcpClient::Fill() {
  if (fd_ < 0 || eof_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) return false;
  char buf[65536];
  ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

std::string TcpClient::ReadUntil(const std::string& delim) {
  while (true) {
    if (auto pos = buffer_.find(delim); pos != std::string::npos) {
      std::string out = buffer_.substr(0, pos + delim.size());
      buffer_.erase(0, pos + delim.size());
      return out;
    }
    if (!Fill()) {
      std::string out;
      out.swap(buffer_);
      return out;
    }
  }
}

std::string TcpClient::ReadExactly(size_t n) {
  while (buffer_.size() < n && Fill()) {
  }
  std::string out = buffer_.substr(0, std::min(n, buffer_.size()));
  buffer_.erase(0, out.size());
  return out;
}

std::string TcpClient::ReadAll() {
  while (Fill()) {
  }
  std::string out;
  out.swap(buffer_);
  return out;
}

bool TcpClient::PeerClosed() {
  while (Fill()) {
  }
  return eof_;
}

std::string HttpResponse::Header(const std::string& name) const {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  const std::string want = lower(name);
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t end = headers.find("\r\n", pos);
    if (end == std::string::npos) end = headers.size();
    std::string line = headers.substr(pos, end - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos && lower(line.substr(0, colon)) == want) {
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      return line.substr(v);
    }
    pos = end + 2;
  }
  return {};
}

HttpResponse ReadHttpResponse(TcpClient& client, bool head_request) {
  HttpResponse r;
  std::string head = client.ReadUntil("\r\n\r\n");
  if (head.empty()) return r;
  auto line_end = head.find("\r\n");
  r.status_line = head.substr(0, line_end);
  if (r.status_line.size() >= 12) r.status = std::atoi(r.status_line.c_str() + 9);
  r.headers = head.substr(line_end + 2);
  if (head_request || r.status == 204 || r.status == 304 || r.status / 100 == 1) return r;
  std::string length = r.Header("Content-Length");
  if (!length.empty()) {
    r.body = client.ReadExactly(std::stoull(length));
  } else {
    r.body = client.ReadAll();
  }
  return r;
}

HttpResponse HttpExchange(const std::string& ip, uint16_t port, const std::string& request,
                          bool head_request) {
  TcpClient client(ip, port);
  if (!client.connected()) return {};
  client.Send(request);
  return ReadHttpResponse(client, head_request);
}

}  // namespace mog::test
