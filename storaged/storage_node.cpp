#include "storaged/storage_node.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/log/logging.h"
#include "storaged/docroot/stale_temp_sweeper.h"
#include "storaged/iostat/iostat_monitor.h"
#include "storaged/sidechannel/sidechannel_server.h"
#include "storaged/usage/usage_writer.h"
#include "storaged/web/web_service.h"

namespace mog::storage {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

tcp::endpoint ToAsio(const Endpoint& endpoint, const std::string& what) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(endpoint.host, ec);
  if (ec) {
    throw std::runtime_error(what + " " + endpoint.ToString() + ": '" + endpoint.host +
                             "' is not an IP address");
  }
  return {address, endpoint.port};
}

// Perlbal's max_connections raises RLIMIT_NOFILE; do the same as far as the hard limit allows.
void RaiseFileLimit(size_t max_connections) {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;  // + files being served
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    Logger("mogstored")->warn("could not raise the open-file limit to {}", wanted);
  }
}

}  // namespace

void ProbeListenAddress(const Endpoint& endpoint, const std::string& what) {
  asio::io_context io;
  tcp::acceptor probe(io);
  const tcp::endpoint target = ToAsio(endpoint, what);
  boost::system::error_code ec;
  probe.open(target.protocol(), ec);
  if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) probe.bind(target, ec);
  if (ec) throw std::runtime_error("cannot listen on " + what + " " + endpoint.ToString() + ": " +
                                   ec.message());
}

StorageNode::StorageNode(StorageConfig config)
    : config_(std::move(config)),
      io_(1),
      docroot_(config_.docroot),
      signals_(io_, SIGTERM, SIGINT),
      shutdown_timer_(io_) {}

StorageNode::~StorageNode() = default;

void StorageNode::Start() {
  auto log = Logger("mogstored");
  // Taken before anything listens: temps older than this are leftovers of a crashed run.
  const auto sweep_cutoff = SweepCutoffAtStart();
  struct stat st {};
  if (::stat(docroot_.root().c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    if (!config_.web.enabled) {
      throw std::runtime_error("docroot " + docroot_.root() +
                               " does not exist or is not a directory");
    }
    // weblisten + trackers and no docroot: a web node for a tier apart from the storage.
    web_only_ = true;
    log->info("docroot {} absent: pure web node (no httplisten, no mgmtlisten)",
              docroot_.root());
  }
  RaiseFileLimit(config_.max_connections);
  if (config_.web.enabled) {
    std::vector<std::string> local;
    if (!web_only_ && config_.server == "perlbal") {
      local = web::LocalHostPorts(config_.http_listen);
    }
    web_service_ = std::make_unique<web::WebService>(config_.web, docroot_, std::move(local));
    http::HttpServerOptions options;
    options.max_connections = config_.max_connections;
    options.handler = web_service_.get();
    web_ = std::make_unique<http::HttpServer>(io_, docroot_, options);
    try {
      web_->Listen(ToAsio(config_.web.listen, "weblisten"));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on weblisten " + config_.web.listen.ToString() +
                               ": " + e.code().message());
    }
  }
  if (web_only_) {
    web_->Start();
    WaitForSignal();
    log->info("listening: web={} trackers={}", config_.web.listen.ToString(),
              config_.web.trackers.size());
    return;
  }

  if (config_.server == "perlbal") {
    http::HttpServerOptions options;
    options.max_connections = config_.max_connections;
    http_ = std::make_unique<http::HttpServer>(io_, docroot_, options);
    try {
      http_->Listen(ToAsio(config_.http_listen, "httplisten"));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on httplisten " + config_.http_listen.ToString() +
                               ": " + e.code().message());
    }
  }
  if (config_.iostat) iostat_ = std::make_unique<IostatMonitor>(io_, docroot_);
  side_channel_ = std::make_unique<SideChannelServer>(io_, docroot_, iostat_.get());
  try {
    side_channel_->Listen(ToAsio(config_.mgmt_listen, "mgmtlisten"));
  } catch (const std::system_error& e) {
    throw std::runtime_error("cannot listen on mgmtlisten " + config_.mgmt_listen.ToString() +
                             ": " + e.code().message());
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on mgmtlisten " + config_.mgmt_listen.ToString() +
                             ": " + e.code().message());
  }
  usage_ = std::make_unique<UsageWriter>(io_, docroot_, std::chrono::seconds(10));

  if (http_) http_->Start();
  if (web_) web_->Start();
  if (iostat_) iostat_->Start();
  usage_->Start();
  temp_sweeper_ = std::make_unique<StaleTempSweeper>(docroot_.root(), sweep_cutoff);
  WaitForSignal();
  log->info("listening: http={} mgmt={} web={} docroot={} maxconns={} devices={}",
            http_ ? config_.http_listen.ToString() : std::string("(none)"),
            config_.mgmt_listen.ToString(),
            web_ ? config_.web.listen.ToString() : std::string("(none)"), docroot_.root(),
            config_.max_connections, docroot_.Devices().size());
}

void StorageNode::WaitForSignal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (!shutting_down_) {
      Logger("mogstored")->info("signal {}: shutting down (up to {} s for requests in progress)",
                                signo, kShutdownGrace.count());
      WaitForSignal();  // a second signal skips the grace period
      BeginShutdown();  // may cancel that wait at once when nothing is in flight
    } else {
      Logger("mogstored")->info("signal {} again: closing remaining connections", signo);
      shutdown_deadline_ = std::chrono::steady_clock::now();
      WaitForSignal();
    }
  });
}

void StorageNode::BeginShutdown() {
  shutting_down_ = true;
  shutdown_deadline_ = std::chrono::steady_clock::now() + kShutdownGrace;
  if (http_) http_->Shutdown();
  if (web_) web_->Shutdown();
  if (side_channel_) side_channel_->Stop();
  if (usage_) usage_->Stop();
  if (iostat_) iostat_->Stop();
  PollShutdown();
}

// Checks every 50 ms whether all HTTP connections are gone; after the grace period closes
// them (discarding unfinished uploads), and a little later stops the loop outright.
void StorageNode::PollShutdown() {
  const auto now = std::chrono::steady_clock::now();
  const size_t active = (http_ ? http_->active_connections() : 0) +
                        (web_ ? web_->active_connections() : 0);
  if (active == 0) {
    signals_.cancel();
    return;  // nothing left: the io_context runs out of work and Run() returns
  }
  if (now >= shutdown_deadline_ && !forced_) {
    Logger("mogstored")->warn("closing {} connection(s) still open after the grace period",
                              active);
    forced_ = true;
    if (http_) http_->CloseAll();
    if (web_) web_->CloseAll();
  } else if (forced_ && now >= shutdown_deadline_ + std::chrono::seconds(2)) {
    Logger("mogstored")->error("connections did not close; stopping the event loops");
    if (http_) http_->StopSocketThreads();
    if (web_) web_->StopSocketThreads();
    io_.stop();
    return;
  }
  shutdown_timer_.expires_after(std::chrono::milliseconds(50));
  shutdown_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) PollShutdown();
  });
}

int StorageNode::Run() {
  // This thread runs the control loop (signals, side channel, usage, iostat, accepting);
  // HTTP connections run on the HttpServer's one-per-core socket threads.
  io_.run();
  if (http_) http_->Join();
  if (web_) web_->Join();
  Logger("mogstored")->info("stopped");
  return 0;
}

}  // namespace mog::storage
