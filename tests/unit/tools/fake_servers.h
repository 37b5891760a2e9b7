// In-test stand-ins for a tracker and a storage node, on 127.0.0.1 ephemeral ports, each
// served by its own io_context thread. Scripts decide every reply, so client behaviour
// (failover, timeouts, parsing) is tested without the real daemons.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace mog::test {

struct ScriptedReply {
  std::string line;  // sent verbatim (include "\r\n")
  std::chrono::milliseconds delay{0};
};

class FakeTracker {
 public:
  // `script(request_line_without_crlf, connection_number)`; nullopt closes the connection.
  using Script = std::function<std::optional<ScriptedReply>(const std::string&, int)>;
  explicit FakeTracker(Script script);
  ~FakeTracker();

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int connections() const;
  std::vector<std::string> requests() const;

 private:
  void Accept();
  void Serve(std::shared_ptr<boost::asio::ip::tcp::socket> socket, int number);

  Script script_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  int connections_ = 0;
  std::vector<std::string> requests_;
  std::thread thread_;
};

// A storage node: PUT stores the body (unless `put_status` says otherwise), GET serves it.
class FakeStorage {
 public:
  FakeStorage();
  ~FakeStorage();

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void Put(const std::string& path, std::string body);
  std::optional<std::string> Get(const std::string& path) const;
  void set_put_status(int status) { put_status_ = status; }
  // Raw request heads seen, e.g. "PUT /dev1/x.fid HTTP/1.0".
  std::vector<std::string> request_lines() const;

 private:
  void Accept();
  void Handle(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  int put_status_ = 201;
  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::vector<std::string> request_lines_;
  std::thread thread_;
};

// An address where nothing listens (bound once, then closed).
std::string DeadAddress();

}  // namespace mog::test
