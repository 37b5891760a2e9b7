// repl_bench's own pieces against a scripted loopback peer: pipelined tracker calls keep
// replies in request order across connections and windows (the benchmark counts failed
// updateclass/delete replies by position), a peer that hangs up mid-batch is reported, and the
// verification GET rejects short or oversized bodies.
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bench/replication/http_get.h"
#include "bench/replication/pipelined_calls.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mog::bench {
namespace {

// Accepts connections on 127.0.0.1 and runs `serve(fd)` for each on its own thread. Reads are
// bounded by a 5 s receive timeout, so a test can never hang on the peer.
class ScriptedPeer {
 public:
  explicit ScriptedPeer(std::function<void(int fd)> serve) : serve_(std::move(serve)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 16), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
      for (;;) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0 || stopping_) {
          if (fd >= 0) ::close(fd);
          return;
        }
        timeval tv{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        handlers_.emplace_back([this, fd] {
          serve_(fd);
          ::close(fd);
        });
      }
    });
  }
  ~ScriptedPeer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    ::close(listen_fd_);
    for (auto& t : handlers_) t.join();
  }
  uint16_t port() const { return port_; }

 private:
  std::function<void(int)> serve_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::vector<std::thread> handlers_;  // only the acceptor thread appends
};

// Reads one '\n'-terminated line (without it); false on EOF/timeout.
bool ReadLine(int fd, std::string* buffer, std::string* line) {
  for (int reads = 0; reads < 10000; ++reads) {
    const auto nl = buffer->find('\n');
    if (nl != std::string::npos) {
      *line = buffer->substr(0, nl);
      buffer->erase(0, nl + 1);
      return true;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<size_t>(n));
  }
  return false;
}

void SendAll(int fd, const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

// The `i=` argument of a request line "verb i=<n>\r".
std::string IndexOf(const std::string& line) {
  const auto at = line.find("i=");
  return at == std::string::npos ? "" : line.substr(at + 2, line.find_first_of("&\r", at) - at - 2);
}

std::vector<std::string> Lines(int n) {
  std::vector<std::string> lines;
  for (int i = 0; i < n; ++i) lines.push_back(EncodeRequest("noop", {{"i", std::to_string(i)}}));
  return lines;
}

TEST(PipelinedCallsTest, RepliesStayInRequestOrderAcrossConnectionsAndWindows) {
  // Each reply goes out in two fragments, so lines straddle reads.
  ScriptedPeer peer([](int fd) {
    std::string buffer, line;
    while (ReadLine(fd, &buffer, &line)) {
      const std::string reply = "OK n=" + IndexOf(line) + "\r\n";
      SendAll(fd, reply.substr(0, 3));
      SendAll(fd, reply.substr(3));
    }
  });
  auto result = PipelinedCalls("127.0.0.1", peer.port(), Lines(301), 3, 7, 5.0);
  EXPECT_EQ(result.error, "");
  ASSERT_EQ(result.replies.size(), 301u);
  for (size_t i = 0; i < result.replies.size(); ++i) {
    ASSERT_TRUE(result.replies[i].ok) << i;
    EXPECT_EQ(result.replies[i].args.Get("n"), std::to_string(i)) << i;
  }
}

TEST(PipelinedCallsTest, ErrRepliesAreKeptPerRequest) {
  ScriptedPeer peer([](int fd) {
    std::string buffer, line;
    while (ReadLine(fd, &buffer, &line)) {
      const int i = std::stoi(IndexOf(line));
      SendAll(fd, i % 2 ? "ERR unknown_key unknown_key\r\n" : "OK \r\n");
    }
  });
  auto result = PipelinedCalls("127.0.0.1", peer.port(), Lines(40), 2, 64, 5.0);
  EXPECT_EQ(result.error, "");
  for (size_t i = 0; i < result.replies.size(); ++i) {
    EXPECT_EQ(result.replies[i].ok, i % 2 == 0) << i;
    if (i % 2) {
      EXPECT_EQ(result.replies[i].errcode, "unknown_key");
    }
  }
}

TEST(PipelinedCallsTest, PeerHangingUpMidBatchIsAnErrorAndUnansweredStayNotOk) {
  ScriptedPeer peer([](int fd) {
    std::string buffer, line;
    for (int answered = 0; answered < 5 && ReadLine(fd, &buffer, &line); ++answered) {
      SendAll(fd, "OK \r\n");
    }
  });
  auto result = PipelinedCalls("127.0.0.1", peer.port(), Lines(20), 1, 8, 5.0);
  EXPECT_NE(result.error, "");
  for (size_t i = 0; i < result.replies.size(); ++i) EXPECT_EQ(result.replies[i].ok, i < 5) << i;
}

TEST(PipelinedCallsTest, RefusedPortIsAnError) {
  uint16_t port = 0;
  {
    ScriptedPeer peer([](int) {});
    port = peer.port();
  }
  auto result = PipelinedCalls("127.0.0.1", port, Lines(3), 2, 8, 2.0);
  EXPECT_NE(result.error, "");
  for (const auto& r : result.replies) EXPECT_FALSE(r.ok);
}

// A one-shot HTTP peer answering every request with `response`, then closing.
ScriptedPeer HttpPeer(std::string response) {
  return ScriptedPeer([response](int fd) {
    std::string buffer, line;
    while (ReadLine(fd, &buffer, &line) && line != "\r") {
    }
    SendAll(fd, response);
  });
}

TEST(HttpGetTest, BodyOfContentLengthAndStatus) {
  auto peer = HttpPeer("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  auto got = HttpGet("http://127.0.0.1:" + std::to_string(peer.port()) + "/dev1/x.fid", 100, 5.0);
  EXPECT_EQ(got.error, "");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "hello");
}

TEST(HttpGetTest, ShortBodyIsAnError) {
  auto peer = HttpPeer("HTTP/1.0 200 OK\r\ncontent-length: 10\r\n\r\nabc");
  auto got = HttpGet("http://127.0.0.1:" + std::to_string(peer.port()) + "/x", 100, 5.0);
  EXPECT_NE(got.error, "");
}

TEST(HttpGetTest, BodyFarBeyondTheExpectedSizeIsRefused) {
  auto peer = HttpPeer("HTTP/1.0 200 OK\r\n\r\n" + std::string(200000, 'x'));
  auto got = HttpGet("http://127.0.0.1:" + std::to_string(peer.port()) + "/x", 10, 5.0);
  EXPECT_NE(got.error, "");
}

TEST(HttpGetTest, StatusOtherThan200IsReported) {
  auto peer = HttpPeer("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  auto got = HttpGet("http://127.0.0.1:" + std::to_string(peer.port()) + "/x", 10, 5.0);
  EXPECT_EQ(got.error, "");
  EXPECT_EQ(got.status, 404);
}

TEST(HttpGetTest, BadUrlIsAnError) {
  EXPECT_NE(HttpGet("ftp://127.0.0.1/x", 10, 1.0).error, "");
  EXPECT_NE(HttpGet("http://127.0.0.1/no-port", 10, 1.0).error, "");
}

}  // namespace
}  // namespace mog::bench
