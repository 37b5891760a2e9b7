#include "storaged/http/http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "common/log/logging.h"
#include "storaged/http/http_session.h"

namespace mog::storage::http {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

asio::awaitable<void> AcceptLoop(tcp::acceptor& acceptor, SessionContext context,
                                 std::shared_ptr<SessionRegistry> registry,
                                 size_t max_connections,
                                 std::vector<asio::io_context::executor_type> workers) {
  size_t next_worker = 0;
  auto log = Logger("http");
  auto executor = co_await asio::this_coro::executor;
  auto last_refusal_log = std::chrono::steady_clock::time_point{};
  while (acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(
        workers[next_worker++ % workers.size()], asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
    if (ec) {
      // Out of descriptors and the like: back off briefly instead of spinning.
      log->warn("accept failed: {}", ec.message());
      asio::steady_timer pause(executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (registry->size() >= max_connections) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_refusal_log > std::chrono::seconds(1)) {
        log->warn("maxconns={} reached, refusing connections", max_connections);
        last_refusal_log = now;
      }
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<HttpSession>(std::move(socket), context, registry);
    registry->Add(session);
    asio::co_spawn(session->executor(), session->Run(), [session](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        Logger("http")->error("connection ended by exception: {}", ex.what());
      }
    });
  }
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, const Docroot& docroot, HttpServerOptions options)
    : io_(io),
      docroot_(docroot),
      options_(options),
      acceptor_(asio::make_strand(io)),
      blocking_pool_(options.blocking_threads),
      registry_(std::make_shared<SessionRegistry>()) {}

HttpServer::~HttpServer() {
  StopSocketThreads();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  blocking_pool_.stop();
  blocking_pool_.join();
}

void HttpServer::Listen(const tcp::endpoint& endpoint) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void HttpServer::Start() {
  size_t count = options_.socket_threads;
  if (count == 0) count = std::max(1u, std::thread::hardware_concurrency());
  std::vector<asio::io_context::executor_type> executors;
  for (size_t i = 0; i < count; ++i) {
    workers_.push_back(std::make_unique<asio::io_context>(1));  // run by one thread
    guards_.push_back(asio::make_work_guard(*workers_.back()));
    executors.push_back(workers_.back()->get_executor());
  }
  for (auto& worker : workers_) {
    threads_.emplace_back([io = worker.get()] { io->run(); });
  }
  SessionContext context{docroot_, blocking_pool_, options_.idle_timeout, options_.handler};
  asio::co_spawn(acceptor_.get_executor(),
                 AcceptLoop(acceptor_, context, registry_, options_.max_connections,
                            std::move(executors)),
                 [](std::exception_ptr e) {
                   if (!e) return;
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& ex) {
                     Logger("http")->error("accept loop failed: {}", ex.what());
                   }
                 });
}

tcp::endpoint HttpServer::local_endpoint() const { return acceptor_.local_endpoint(); }

void HttpServer::Shutdown() {
  registry_->SetStopping();
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  registry_->ForEach([](const std::shared_ptr<HttpSession>& s) { s->RequestStop(); });
}

void HttpServer::CloseAll() {
  registry_->ForEach([](const std::shared_ptr<HttpSession>& s) { s->Close(); });
}

size_t HttpServer::active_connections() const { return registry_->size(); }

void HttpServer::StopSocketThreads() {
  for (auto& worker : workers_) worker->stop();
}

void HttpServer::Join() {
  guards_.clear();  // each loop ends once its last connection is gone
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  blocking_pool_.join();
}

}  // namespace mog::storage::http
