// The HTTP listener (httplisten, default 0.0.0.0:7500): accepts connections, enforces
// maxconns, runs one HttpSession per connection, and shuts down in two steps (stop accepting
// and let uploads finish; then close whatever is left).
//
// Threads: one io_context per core, each run by its own thread (nginx's worker model);
// connections are dealt out round-robin and stay on their thread, so a request needs no
// strand and no cross-thread hand-off unless it must wait for the disk (blocking pool).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "storaged/docroot/docroot.h"
#include "storaged/http/session_handler.h"

namespace mog::storage::http {

class SessionRegistry;

struct HttpServerOptions {
  size_t max_connections = 10000;
  std::chrono::seconds idle_timeout{30};  // Perlbal's idle_timeout / persist_client_idle_timeout
  size_t blocking_threads = 16;           // disk calls run here, never on the socket threads
  size_t socket_threads = 0;              // 0: one per core
  SessionHandler* handler = nullptr;      // set: it answers every request (web listener)
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, const Docroot& docroot, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds; throws std::system_error (e.g. address in use).
  void Listen(const boost::asio::ip::tcp::endpoint& endpoint);
  void Start();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  // Stops accepting; idle keep-alive connections are closed, requests in progress finish.
  void Shutdown();
  // Closes every remaining connection (unfinished uploads are discarded).
  void CloseAll();
  size_t active_connections() const;
  // Last resort when connections will not close: stops the socket threads' loops.
  void StopSocketThreads();
  // Waits for the socket threads (their loops end once no connection is left) and the
  // blocking pool. Call after Shutdown().
  void Join();

 private:
  boost::asio::io_context& io_;
  const Docroot& docroot_;
  HttpServerOptions options_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::thread_pool blocking_pool_;
  std::shared_ptr<SessionRegistry> registry_;
  // Declared after blocking_pool_: destroyed first, with any session frames still in them.
  std::vector<std::unique_ptr<boost::asio::io_context>> workers_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
};

}  // namespace mog::storage::http
