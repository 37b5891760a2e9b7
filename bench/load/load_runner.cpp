#include "bench/load/load_runner.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "bench/load/response_head.h"

namespace mog::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr size_t kBodyChunk = 1 << 20;  // PUT bodies are sent in slices of this buffer

std::chrono::nanoseconds Seconds(double s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

// State every connection reads; only the request counter and the stop flag change.
struct SharedRun {
  SharedRun(const LoadOptions& o, const TargetSource& t) : options(o), targets(t) {}
  const LoadOptions& options;
  const TargetSource& targets;
  std::vector<char> body_chunk;  // read-only once the run starts
  Clock::time_point start;
  std::optional<Clock::time_point> duration_end;
  Clock::time_point hard_end;
  std::atomic<uint64_t> next_seq{0};
  std::atomic<bool> stop{false};

  // The number of the next request to start, or nullopt once the run's bounds are reached.
  std::optional<uint64_t> Claim() {
    if (stop.load(std::memory_order_relaxed)) return std::nullopt;
    if (duration_end && Clock::now() >= *duration_end) return std::nullopt;
    uint64_t seq = next_seq.fetch_add(1, std::memory_order_relaxed);
    if (options.requests != 0 && seq >= options.requests) return std::nullopt;
    return seq;
  }
};

enum class Outcome { kOk, kStatusError, kSizeError, kTransportError };

class Connection {
 public:
  Connection(asio::io_context& io, SharedRun& run)
      : io_(io), run_(run), socket_(io), watchdog_(io), buffer_(run.options.recv_buffer) {}

  RunStats& stats() { return stats_; }

  asio::awaitable<void> Run() {
    while (auto seq = run_.Claim()) {
      Target target = run_.targets.At(*seq);
      Clock::time_point started = Clock::now();
      busy_ = true;
      last_progress_ = started;
      std::string error;
      Outcome outcome = co_await Exchange(target, &error);
      busy_ = false;
      switch (outcome) {
        case Outcome::kOk: {
          auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started)
                        .count();
          stats_.latencies_us.push_back(
              static_cast<uint32_t>(std::min<int64_t>(us, UINT32_MAX)));
          ++stats_.ok;
          break;
        }
        case Outcome::kStatusError:
          ++stats_.status_errors;
          break;
        case Outcome::kSizeError:
          ++stats_.size_errors;
          break;
        case Outcome::kTransportError:
          ++stats_.transport_errors;
          CloseSocket();
          // A refused or dying server must not turn the loop into a busy spin.
          asio::steady_timer pause(io_, std::chrono::milliseconds(10));
          error_code ignored;
          co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
          break;
      }
      if (outcome != Outcome::kOk && stats_.first_error.empty()) {
        stats_.first_error = target.host + ":" + std::to_string(target.port) + target.path +
                             ": " + error;
      }
    }
    done_ = true;
    watchdog_.cancel();
    CloseSocket();
  }

  // Closes the socket of a request that stalls longer than --timeout, or of every request once
  // --max-seconds is over; the pending operation then fails and counts as an error.
  asio::awaitable<void> Watchdog() {
    const auto timeout = Seconds(run_.options.timeout_s);
    while (!done_) {
      watchdog_.expires_after(std::chrono::milliseconds(200));
      error_code ec;
      co_await watchdog_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (done_) break;
      auto now = Clock::now();
      if (now >= run_.hard_end) {
        run_.stop = true;
        if (busy_) timed_out_ = true;
        CloseSocket();
      } else if (busy_ && now - last_progress_ > timeout) {
        timed_out_ = true;
        CloseSocket();
      }
    }
  }

 private:
  void CloseSocket() {
    error_code ignored;
    socket_.close(ignored);
    connected_to_.reset();
  }

  void Progress() { last_progress_ = Clock::now(); }

  Outcome Fail(std::string* error, std::string what, const error_code& ec = {}) {
    *error = timed_out_ ? "timed out (" + what + ")"
             : ec       ? what + ": " + ec.message()
                        : std::move(what);
    timed_out_ = false;
    return Outcome::kTransportError;
  }

  asio::awaitable<error_code> Connect(const Target& target) {
    error_code ec;
    auto address = asio::ip::make_address(target.host, ec);
    if (!ec) {
      co_await socket_.async_connect(tcp::endpoint(address, target.port),
                                     asio::redirect_error(asio::use_awaitable, ec));
    } else {
      tcp::resolver resolver(io_);
      auto results = co_await resolver.async_resolve(
          target.host, std::to_string(target.port),
          asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        co_await asio::async_connect(socket_, results,
                                     asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    if (!ec) {
      socket_.set_option(tcp::no_delay(true), ec);
      connected_to_ = std::make_pair(target.host, target.port);
      ++stats_.connections;
    }
    co_return ec;
  }

  asio::awaitable<error_code> SendRequest(const Target& target) {
    const LoadOptions& o = run_.options;
    std::string head;
    head.reserve(160 + target.path.size() + target.host.size());
    head += o.method == Method::kPut ? "PUT " : "GET ";
    head += target.path;
    head += " HTTP/1.1\r\nHost: ";
    head += target.host;
    head += ':';
    head += std::to_string(target.port);
    head += "\r\nUser-Agent: mog-http_load\r\n";
    if (o.method == Method::kPut) {
      head += "Content-Length: ";
      head += std::to_string(o.body_size);
      head += "\r\n";
    }
    head += "\r\n";

    error_code ec;
    uint64_t remaining = o.method == Method::kPut ? o.body_size : 0;
    // The head travels with the first slice of the body in one write.
    size_t first = static_cast<size_t>(std::min<uint64_t>(remaining, run_.body_chunk.size()));
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head),
                                              asio::buffer(run_.body_chunk.data(), first)};
    co_await asio::async_write(socket_, buffers, asio::redirect_error(asio::use_awaitable, ec));
    remaining -= first;
    Progress();
    while (!ec && remaining > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(remaining, run_.body_chunk.size()));
      co_await asio::async_write(socket_, asio::buffer(run_.body_chunk.data(), n),
                                 asio::redirect_error(asio::use_awaitable, ec));
      remaining -= n;
      Progress();
    }
    co_return ec;
  }

  asio::awaitable<Outcome> Exchange(const Target& target, std::string* error) {
    const LoadOptions& o = run_.options;
    bool reused = true;
    if (!socket_.is_open() || !connected_to_ || connected_to_->first != target.host ||
        connected_to_->second != target.port) {
      CloseSocket();
      reused = false;
      if (error_code ec = co_await Connect(target)) co_return Fail(error, "connect", ec);
      Progress();
    }
    if (error_code ec = co_await SendRequest(target)) {
      co_return Fail(error, reused ? "send on reused connection" : "send", ec);
    }

    // Head: read until the blank line; it has to fit the receive buffer.
    size_t filled = 0;
    HeadResult parsed;
    while (true) {
      error_code ec;
      size_t n = co_await socket_.async_read_some(
          asio::buffer(buffer_.data() + filled, buffer_.size() - filled),
          asio::redirect_error(asio::use_awaitable, ec));
      Progress();
      if (ec) {
        co_return Fail(error,
                       filled == 0 && reused ? "no response on reused connection"
                                             : "reading response head",
                       ec);
      }
      filled += n;
      parsed = ParseResponseHead(std::string_view(buffer_.data(), filled));
      if (parsed.state == HeadParse::kComplete) break;
      if (parsed.state == HeadParse::kMalformed) co_return Fail(error, parsed.error);
      if (filled == buffer_.size()) co_return Fail(error, "response head larger than buffer");
    }
    const ResponseHead& head = parsed.head;
    if (head.chunked) co_return Fail(error, "chunked responses are not supported");

    // Body: count and discard; it must be exactly as long as announced.
    std::optional<uint64_t> expected = ExpectedBodyBytes(head, false);
    uint64_t received = filled - head.head_size;
    if (expected && received > *expected) {
      co_return Fail(error, "more bytes than Content-Length (" + std::to_string(received) +
                                " > " + std::to_string(*expected) + ")");
    }
    while (!expected || received < *expected) {
      error_code ec;
      size_t want = buffer_.size();
      if (expected) want = static_cast<size_t>(std::min<uint64_t>(want, *expected - received));
      size_t n = co_await socket_.async_read_some(asio::buffer(buffer_.data(), want),
                                                  asio::redirect_error(asio::use_awaitable, ec));
      Progress();
      if (ec == asio::error::eof && !expected) break;  // body delimited by close
      if (ec) {
        co_return Fail(error,
                       "body truncated at " + std::to_string(received + n) + " of " +
                           (expected ? std::to_string(*expected) : std::string("?")) + " bytes",
                       ec);
      }
      received += n;
    }
    if (!head.keep_alive) CloseSocket();

    if (head.status < 200 || head.status > 299) {
      *error = "HTTP status " + std::to_string(head.status);
      co_return Outcome::kStatusError;
    }
    if (o.method == Method::kGet && o.expect_size && received != *o.expect_size) {
      *error = "body of " + std::to_string(received) + " bytes, expected " +
               std::to_string(*o.expect_size);
      co_return Outcome::kSizeError;
    }
    stats_.body_bytes += o.method == Method::kPut ? o.body_size : received;
    co_return Outcome::kOk;
  }

  asio::io_context& io_;
  SharedRun& run_;
  tcp::socket socket_;
  asio::steady_timer watchdog_;
  std::vector<char> buffer_;
  std::optional<std::pair<std::string, uint16_t>> connected_to_;
  Clock::time_point last_progress_;
  bool busy_ = false;
  bool done_ = false;
  bool timed_out_ = false;
  RunStats stats_;
};

}  // namespace

RunResult RunLoad(const LoadOptions& options, const TargetSource& targets) {
  SharedRun run(options, targets);
  if (options.method == Method::kPut) {
    run.body_chunk.resize(static_cast<size_t>(std::min<uint64_t>(options.body_size, kBodyChunk)));
    for (size_t i = 0; i < run.body_chunk.size(); ++i) {
      run.body_chunk[i] = static_cast<char>('a' + i % 26);
    }
  }

  std::vector<std::unique_ptr<asio::io_context>> loops;
  for (int i = 0; i < options.threads; ++i) {
    loops.push_back(std::make_unique<asio::io_context>(1));
  }
  std::vector<std::unique_ptr<Connection>> connections;
  RunStats crashed;  // a coroutine that escaped with an exception (a bug, but never silent)
  for (int i = 0; i < options.concurrency; ++i) {
    asio::io_context& io = *loops[i % loops.size()];
    connections.push_back(std::make_unique<Connection>(io, run));
  }

  run.start = Clock::now();
  if (options.duration_s > 0) run.duration_end = run.start + Seconds(options.duration_s);
  run.hard_end = run.start + Seconds(options.max_seconds);
  std::mutex crash_mutex;
  auto on_exit = [&](std::exception_ptr e) {
    if (!e) return;
    std::lock_guard lock(crash_mutex);
    ++crashed.transport_errors;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      if (crashed.first_error.empty()) crashed.first_error = std::string("internal: ") + ex.what();
    }
  };
  for (size_t i = 0; i < connections.size(); ++i) {
    asio::io_context& io = *loops[i % loops.size()];
    asio::co_spawn(io, connections[i]->Run(), on_exit);
    asio::co_spawn(io, connections[i]->Watchdog(), on_exit);
  }
  std::vector<std::thread> threads;
  for (size_t i = 1; i < loops.size(); ++i) threads.emplace_back([&, i] { loops[i]->run(); });
  loops[0]->run();
  for (auto& t : threads) t.join();

  RunResult result;
  result.elapsed_s = std::chrono::duration<double>(Clock::now() - run.start).count();
  for (auto& connection : connections) result.stats.Merge(std::move(connection->stats()));
  result.stats.Merge(std::move(crashed));
  return result;
}

}  // namespace mog::bench
