#include "bench/tests/fake_http_server.h"

#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <istream>
#include <sstream>
#include <string>

namespace mog::bench::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

FakeHttpServer::FakeHttpServer()
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeHttpServer::~FakeHttpServer() {
  stopping_ = true;
  boost::system::error_code ignored;
  // Wake the blocked accept() by connecting once; the loop then sees stopping_.
  {
    tcp::socket poke(io_);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ignored);
  }
  accept_thread_.join();
  acceptor_.close(ignored);
  {
    std::lock_guard lock(mutex_);
    for (auto& s : sockets_) s->shutdown(tcp::socket::shutdown_both, ignored);
  }
  for (auto& t : threads_) t.join();
}

void FakeHttpServer::AcceptLoop() {
  while (!stopping_) {
    auto socket = std::make_shared<tcp::socket>(io_);
    boost::system::error_code ec;
    acceptor_.accept(*socket, ec);
    if (ec || stopping_) return;
    ++connections_;
    std::lock_guard lock(mutex_);
    sockets_.push_back(socket);
    threads_.emplace_back([this, socket] { Serve(socket); });
  }
}

void FakeHttpServer::Serve(std::shared_ptr<tcp::socket> socket) {
  asio::streambuf in;
  boost::system::error_code ec;
  while (!stopping_) {
    size_t head_size = asio::read_until(*socket, in, "\r\n\r\n", ec);
    if (ec) return;
    std::string head(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + head_size);
    in.consume(head_size);
    std::istringstream lines(head);
    std::string method, path, version, line;
    lines >> method >> path >> version;
    uint64_t content_length = 0;
    while (std::getline(lines, line)) {
      if (line.rfind("Content-Length:", 0) == 0) content_length = std::stoull(line.substr(15));
    }
    ++requests_;

    if (method == "PUT") {
      uint64_t offset = 0;
      while (offset < content_length) {
        if (in.size() == 0) {
          asio::read(*socket, in, asio::transfer_at_least(1), ec);
          if (ec) return;
        }
        size_t take = static_cast<size_t>(std::min<uint64_t>(in.size(), content_length - offset));
        const char* data = static_cast<const char*>(in.data().data());
        // http_load repeats a buffer of min(body, 1 MiB) bytes holding 'a' + index % 26.
        const uint64_t period = std::min<uint64_t>(content_length, 1 << 20);
        for (size_t i = 0; i < take; ++i) {
          if (data[i] != static_cast<char>('a' + (offset + i) % period % 26)) {
            put_bodies_intact_ = false;
          }
        }
        in.consume(take);
        offset += take;
      }
      put_body_bytes_ += content_length;
      asio::write(*socket, asio::buffer(std::string("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")), ec);
      if (ec) return;
      continue;
    }

    std::string response;
    bool close_after = false;
    if (path.rfind("/ok/", 0) == 0) {
      size_t n = std::stoul(path.substr(4));
      response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n" +
                 std::string(n, 'x');
    } else if (path == "/missing") {
      response = "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope";
    } else if (path == "/short") {
      response = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789";
      close_after = true;
    } else if (path == "/close") {
      response = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello";
      close_after = true;
    } else if (path == "/eof") {
      response = "HTTP/1.0 200 OK\r\n\r\nhello";
      close_after = true;
    } else if (path == "/stall") {
      asio::read(*socket, in, asio::transfer_at_least(1), ec);  // until the client closes
      return;
    } else {
      response = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    }
    asio::write(*socket, asio::buffer(response), ec);
    if (ec || close_after) {
      socket->shutdown(tcp::socket::shutdown_both, ec);
      return;
    }
  }
}

}  // namespace mog::bench::test
