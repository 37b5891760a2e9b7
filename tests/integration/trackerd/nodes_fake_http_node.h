// An in-process stand-in for mogstored used by the node-client and Monitor integration tests
// when the real binary is not wanted (or to misbehave on purpose): HTTP on one port with an
// in-memory docroot, the management side channel on another, on a loopback address.
//
// HTTP behaves like mogstored where the tracker cares: PUT stores (Content-MD5 checked → 201,
// mismatch → 400), GET/HEAD 200 or 404, DELETE 204/404, MKCOL 400 (or 201 when allowed),
// status line HTTP/1.0, keep-alive when asked. Side channel: `MD5|SHA-1 <path>[ reason]` and
// `watch`.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "trackerd/nodes/digest_hasher.h"

namespace mog::test {

class FakeHttpNode {
 public:
  struct Seen {
    std::string method;
    std::string target;
    unsigned version = 0;
    std::string host;
    std::string user_agent;
    std::string connection;
  };

  explicit FakeHttpNode(std::string ip = "127.0.0.1") : ip_(std::move(ip)) {
    namespace asio = boost::asio;
    using tcp = asio::ip::tcp;
    auto addr = asio::ip::make_address(ip_);
    http_ = std::make_unique<tcp::acceptor>(ioc_, tcp::endpoint(addr, 0));
    side_ = std::make_unique<tcp::acceptor>(ioc_, tcp::endpoint(addr, 0));
    http_port_ = http_->local_endpoint().port();
    side_port_ = side_->local_endpoint().port();
    asio::co_spawn(ioc_, AcceptLoop(*http_, true), asio::detached);
    asio::co_spawn(ioc_, AcceptLoop(*side_, false), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~FakeHttpNode() { Stop(); }

  void Stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(ioc_, [this] {
      boost::system::error_code ec;
      http_->close(ec);
      side_->close(ec);
      for (auto& s : sockets_) {
        if (auto p = s.lock()) p->close(ec);
      }
      ioc_.stop();
    });
    thread_.join();
  }

  const std::string& ip() const { return ip_; }
  uint16_t http_port() const { return http_port_; }
  uint16_t side_port() const { return side_port_; }
  std::string Url(const std::string& path) const {
    return "http://" + ip_ + ":" + std::to_string(http_port()) + path;
  }

  void PutFile(const std::string& path, std::string body) {
    std::lock_guard lock(mu_);
    files_[path] = std::move(body);
  }
  std::optional<std::string> File(const std::string& path) {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }
  void SetUsage(int devid, long used_kib, long total_kib) {
    PutFile("/dev" + std::to_string(devid) + "/usage",
            "available: " + std::to_string(total_kib - used_kib) +
                "\ndevice: /dev/fake\ndisk: /x/dev" + std::to_string(devid) +
                "\ntime: 1795607920\ntotal: " + std::to_string(total_kib) +
                "\nuse: 10%\nused: " + std::to_string(used_kib) + "\n");
  }
  void set_mkcol_allowed(bool v) { mkcol_allowed_ = v; }
  // PUTs answer 500 (disk "broken") while set.
  void set_fail_puts(bool v) { fail_puts_ = v; }
  // GET bodies of test-write files come back altered while set.
  void set_corrupt_reads(bool v) { corrupt_reads_ = v; }
  // Accept the Content-MD5 header without checking it (an old/odd server).
  void set_ignore_content_md5(bool v) { ignore_md5_ = v; }
  // Side channel answers digests with "ERROR ..." (forcing the HTTP fallback).
  void set_side_channel_errors(bool v) { side_errors_ = v; }
  // Utilization lines streamed to `watch` subscribers.
  void SetWatch(std::map<int, std::string> util) {
    std::lock_guard lock(mu_);
    watch_ = std::move(util);
  }

  std::vector<Seen> requests() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  int Count(const std::string& method) {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& s : seen_) n += s.method == method ? 1 : 0;
    return n;
  }
  int http_connections() const { return http_connections_; }
  int side_connections() const { return side_connections_; }

 private:
  using tcp = boost::asio::ip::tcp;
  template <class T>
  using awaitable = boost::asio::awaitable<T>;

  awaitable<void> AcceptLoop(tcp::acceptor& acceptor, bool http) {
    namespace asio = boost::asio;
    for (;;) {
      auto [ec, sock] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      auto shared = std::make_shared<tcp::socket>(std::move(sock));
      sockets_.push_back(shared);
      if (http) {
        ++http_connections_;
        asio::co_spawn(ioc_, ServeHttp(shared), asio::detached);
      } else {
        ++side_connections_;
        asio::co_spawn(ioc_, ServeSide(shared), asio::detached);
      }
    }
  }

  awaitable<void> ServeHttp(std::shared_ptr<tcp::socket> sock) {
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64u << 20);  // Beast's default (1 MiB) is below test copies
      auto [ec, n] = co_await http::async_read(*sock, buffer, parser,
                                               asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      auto req = parser.release();
      auto res = Handle(req);
      res.keep_alive(req.keep_alive());
      if (req.method() == http::verb::head) {
        http::response<http::empty_body> head{res.result(), 10};
        for (const auto& f : res.base()) head.set(f.name_string(), f.value());
        auto [wec, wn] = co_await http::async_write(*sock, head,
                                                    asio::as_tuple(asio::use_awaitable));
        if (wec) co_return;
      } else {
        auto [wec, wn] = co_await http::async_write(*sock, res,
                                                    asio::as_tuple(asio::use_awaitable));
        if (wec) co_return;
      }
      if (!req.keep_alive()) co_return;
    }
  }

  boost::beast::http::response<boost::beast::http::string_body> Handle(
      const boost::beast::http::request<boost::beast::http::string_body>& req) {
    namespace http = boost::beast::http;
    std::string target(req.target());
    {
      std::lock_guard lock(mu_);
      seen_.push_back({std::string(req.method_string()), target, req.version(),
                       std::string(req[http::field::host]),
                       std::string(req[http::field::user_agent]),
                       std::string(req[http::field::connection])});
    }
    auto simple = [](http::status st, std::string body) {
      http::response<http::string_body> r{st, 10};
      r.set(http::field::server, "Perlbal");
      r.body() = std::move(body);
      r.prepare_payload();
      return r;
    };
    std::lock_guard lock(mu_);
    switch (req.method()) {
      case http::verb::get:
      case http::verb::head: {
        auto it = files_.find(target);
        if (it == files_.end()) return simple(http::status::not_found, "<h1>404 - Not Found</h1>\n");
        std::string body = it->second;
        if (corrupt_reads_ && target.find("test-write") != std::string::npos) body += "x";
        http::response<http::string_body> r{http::status::ok, 10};
        r.set(http::field::server, "Perlbal");
        r.set(http::field::content_type, "text/plain");
        r.body() = std::move(body);
        r.prepare_payload();
        return r;
      }
      case http::verb::put: {
        if (fail_puts_) return simple(http::status::internal_server_error, "Internal error");
        auto md5 = req[http::field::content_md5];
        if (!md5.empty() && !ignore_md5_) {
          auto actual = mog::tracker::DigestBase64(mog::tracker::DigestAlg::kMd5, req.body());
          if (std::string(md5) != actual) {
            return simple(http::status::bad_request, "Content-MD5 mismatch");
          }
          files_[target] = req.body();
          return simple(http::status::created, "<h1>201</h1>\n");
        }
        files_[target] = req.body();
        return simple(http::status::ok, "<h1>200 - OK</h1>\n");
      }
      case http::verb::delete_: {
        if (files_.erase(target) == 0) return simple(http::status::not_found, "");
        http::response<http::string_body> r{http::status::no_content, 10};
        return r;
      }
      case http::verb::mkcol:
        if (mkcol_allowed_) return simple(http::status::created, "");
        return simple(http::status::bad_request, "<h1>400 - Bad request</h1>\n");
      default:
        return simple(http::status::bad_request, "<h1>400 - Bad request</h1>\n");
    }
  }

  awaitable<void> ServeSide(std::shared_ptr<tcp::socket> sock) {
    namespace asio = boost::asio;
    std::string in;
    for (;;) {
      auto [ec, n] = co_await asio::async_read_until(*sock, asio::dynamic_buffer(in), "\n",
                                                     asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      std::string line = in.substr(0, n);
      in.erase(0, n);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      if (line == "watch") {
        for (int i = 0; i < 10000; ++i) {
          std::string block;
          {
            std::lock_guard lock(mu_);
            for (const auto& [devid, util] : watch_) {
              block += std::to_string(devid) + "\t" + util + "\n";
            }
          }
          block += ".\n";
          auto [wec, wn] = co_await asio::async_write(*sock, asio::buffer(block),
                                                      asio::as_tuple(asio::use_awaitable));
          if (wec) co_return;
          asio::steady_timer t(ioc_, std::chrono::milliseconds(100));
          co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        co_return;
      }
      std::string reply;
      auto sp = line.find(' ');
      std::string alg = line.substr(0, sp);
      std::string rest = sp == std::string::npos ? "" : line.substr(sp + 1);
      std::string path = rest.substr(0, rest.find(' '));
      if (side_errors_ || (alg != "MD5" && alg != "SHA-1")) {
        reply = "ERROR: unknown command: " + alg + "\r\n";
      } else {
        std::lock_guard lock(mu_);
        auto it = files_.find(path);
        if (it == files_.end()) {
          reply = path + " " + alg + "=-1\r\n";
        } else {
          auto a = alg == "MD5" ? mog::tracker::DigestAlg::kMd5 : mog::tracker::DigestAlg::kSha1;
          reply = path + " " + alg + "=" + mog::tracker::DigestHex(a, it->second) + "\r\n";
        }
      }
      auto [wec, wn] = co_await asio::async_write(*sock, asio::buffer(reply),
                                                  asio::as_tuple(asio::use_awaitable));
      if (wec) co_return;
    }
  }

  std::string ip_;
  boost::asio::io_context ioc_;
  std::unique_ptr<tcp::acceptor> http_;
  std::unique_ptr<tcp::acceptor> side_;
  uint16_t http_port_ = 0;
  uint16_t side_port_ = 0;
  std::vector<std::weak_ptr<tcp::socket>> sockets_;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::map<int, std::string> watch_;
  std::vector<Seen> seen_;
  std::atomic<bool> mkcol_allowed_{false};
  std::atomic<bool> fail_puts_{false};
  std::atomic<bool> corrupt_reads_{false};
  std::atomic<bool> ignore_md5_{false};
  std::atomic<bool> side_errors_{false};
  std::atomic<int> http_connections_{0};
  std::atomic<int> side_connections_{0};
};

// A listener that accepts TCP connections (kernel backlog) but never reads or answers.
class Blackhole {
 public:
  explicit Blackhole(const std::string& ip = "127.0.0.1")
      : acceptor_(ioc_, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(ip), 0)) {}
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace mog::test
