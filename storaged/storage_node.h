// The storage node: a control io_context on the main thread (signals, accepting, the
// management side channel, the usage writer, the iostat monitor) and the HTTP server with
// its one-io_context-per-core socket threads and blocking pool. Owns start-up order
// (everything bound before "Running.") and shutdown (SIGTERM/SIGINT: stop accepting, let
// requests in progress finish for up to 10 s, then close what is left, exit 0). With
// `weblisten` it also runs the by-key web listener (its own HttpServer whose sessions hand
// every request to a web::WebService); without a docroot it is a pure web node.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

#include "storaged/docroot/docroot.h"
#include "storaged/http/http_server.h"
#include "storaged/storage_config.h"

namespace mog::storage {

class SideChannelServer;
class UsageWriter;
class IostatMonitor;
class StaleTempSweeper;
namespace web {
class WebService;
}

class StorageNode {
 public:
  explicit StorageNode(StorageConfig config);
  ~StorageNode();
  StorageNode(const StorageNode&) = delete;
  StorageNode& operator=(const StorageNode&) = delete;

  // Binds both listeners and starts the background components. Throws std::runtime_error
  // with an operator-facing message (missing docroot, address in use...).
  void Start();
  // Runs until shut down by SIGTERM/SIGINT; returns the exit code.
  int Run();

  static constexpr std::chrono::seconds kShutdownGrace{10};

 private:
  void WaitForSignal();
  void BeginShutdown();
  void PollShutdown();

  StorageConfig config_;
  boost::asio::io_context io_;
  Docroot docroot_;
  std::unique_ptr<IostatMonitor> iostat_;
  std::unique_ptr<SideChannelServer> side_channel_;
  std::unique_ptr<UsageWriter> usage_;
  std::unique_ptr<http::HttpServer> http_;
  std::unique_ptr<web::WebService> web_service_;
  std::unique_ptr<http::HttpServer> web_;  // the by-key web listener (weblisten)
  bool web_only_ = false;                  // no docroot: a pure web node
  std::unique_ptr<StaleTempSweeper> temp_sweeper_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer shutdown_timer_;
  std::chrono::steady_clock::time_point shutdown_deadline_;
  bool shutting_down_ = false;
  bool forced_ = false;
};

// Checks, before daemonizing, that `endpoint` can be bound (so "address in use" reaches the
// terminal). Throws std::runtime_error naming `what`.
void ProbeListenAddress(const Endpoint& endpoint, const std::string& what);

}  // namespace mog::storage
