// A small blocking HTTP/1.1 server on 127.0.0.1 for testing http_load itself. Each path
// chooses a behaviour, some of them deliberately broken:
//   GET /ok/<n>     200 with an n-byte body, keep-alive
//   GET /missing    404 with a short body, keep-alive
//   GET /short      announces 1000 bytes, sends 10, closes
//   GET /close      200 with "Connection: close", then closes
//   GET /eof        HTTP/1.0 200 without Content-Length, body ends at close
//   GET /stall      never answers (until the client gives up)
//   PUT <any>       reads Content-Length bytes, 201; the bytes are counted
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace mog::bench::test {

class FakeHttpServer {
 public:
  FakeHttpServer();
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  uint16_t port() const { return port_; }
  uint64_t requests() const { return requests_; }
  uint64_t connections() const { return connections_; }
  uint64_t put_body_bytes() const { return put_body_bytes_; }
  // True if every PUT body byte matched the pattern http_load sends ('a' + offset % 26).
  bool put_bodies_intact() const { return put_bodies_intact_; }

 private:
  void AcceptLoop();
  void Serve(std::shared_ptr<boost::asio::ip::tcp::socket> socket);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> connections_{0};
  std::atomic<uint64_t> put_body_bytes_{0};
  std::atomic<bool> put_bodies_intact_{true};
  std::mutex mutex_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
  std::vector<std::thread> threads_;
  std::thread accept_thread_;
};

}  // namespace mog::bench::test
