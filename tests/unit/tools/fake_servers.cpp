#include "tests/unit/tools/fake_servers.h"

#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace mog::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

FakeTracker::FakeTracker(Script script)
    : script_(std::move(script)), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

FakeTracker::~FakeTracker() {
  io_.stop();
  thread_.join();
}

int FakeTracker::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

std::vector<std::string> FakeTracker::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeTracker::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    int number;
    {
      std::lock_guard lock(mu_);
      number = ++connections_;
    }
    Serve(std::make_shared<tcp::socket>(std::move(socket)), number);
    Accept();
  });
}

void FakeTracker::Serve(std::shared_ptr<tcp::socket> socket, int number) {
  auto buffer = std::make_shared<std::string>();
  asio::async_read_until(
      *socket, asio::dynamic_buffer(*buffer), '\n',
      [this, socket, buffer, number](boost::system::error_code ec, size_t n) {
        if (ec) return;
        std::string line = buffer->substr(0, n);
        buffer->erase(0, n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        {
          std::lock_guard lock(mu_);
          requests_.push_back(line);
        }
        std::optional<ScriptedReply> reply = script_(line, number);
        if (!reply) {
          socket->close();
          return;
        }
        auto text = std::make_shared<std::string>(reply->line);
        auto timer = std::make_shared<asio::steady_timer>(io_, reply->delay);
        timer->async_wait([this, socket, text, timer, number](boost::system::error_code) {
          asio::async_write(*socket, asio::buffer(*text),
                            [this, socket, text, number](boost::system::error_code e, size_t) {
                              if (!e) Serve(socket, number);
                            });
        });
      });
}

FakeStorage::FakeStorage() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

FakeStorage::~FakeStorage() {
  io_.stop();
  thread_.join();
}

void FakeStorage::Put(const std::string& path, std::string body) {
  std::lock_guard lock(mu_);
  files_[path] = std::move(body);
}

std::optional<std::string> FakeStorage::Get(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> FakeStorage::request_lines() const {
  std::lock_guard lock(mu_);
  return request_lines_;
}

void FakeStorage::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    Handle(std::move(socket));  // one request per connection, served inline: tests are small
    Accept();
  });
}

void FakeStorage::Handle(tcp::socket socket) {
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  boost::system::error_code ec;
  http::read(socket, buffer, parser, ec);
  if (ec) return;
  http::request<http::string_body> request = parser.release();
  {
    std::lock_guard lock(mu_);
    request_lines_.push_back(std::string(request.method_string()) + " " +
                             std::string(request.target()) + " HTTP/" +
                             (request.version() == 10 ? "1.0" : "1.1"));
  }
  http::response<http::string_body> response;
  response.version(request.version());
  response.keep_alive(false);
  const std::string path(request.target());
  if (request.method() == http::verb::put) {
    response.result(put_status_);
    if (put_status_ >= 200 && put_status_ < 300) Put(path, request.body());
  } else if (auto body = Get(path)) {
    response.result(http::status::ok);
    response.body() = *body;
  } else {
    response.result(http::status::not_found);
    response.body() = "not found";
  }
  response.prepare_payload();
  http::write(socket, response, ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

std::string DeadAddress() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return "127.0.0.1:" + std::to_string(port);
}

}  // namespace mog::test
