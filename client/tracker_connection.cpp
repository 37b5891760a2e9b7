#include "client/tracker_connection.h"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "common/log/logging.h"
#include "common/protocol/line_codec.h"
#include "client/tracker_reply.h"

namespace mog::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

void throw_exception_from_error(const ClientError& e, const boost::source_location&) {
  throw std::runtime_error(e.errstr());
}

namespace {

// Splits "host:port" at the last colon; false when there is no numeric port.
bool SplitHostPort(const std::string& text, std::string* host, std::string* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return false;
  for (size_t i = colon + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  *host = text.substr(0, colon);
  *port = text.substr(colon + 1);
  return !host->empty();
}

std::string Seconds(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000);
  char buf[32];
  snprintf(buf, sizeof buf, "%.2f", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

}  // namespace

struct TrackerConnection::Impl {
  std::vector<std::string> trackers;
  TrackerOptions options;
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  std::string connected_to;  // tracker of the open stream
  std::string last_tracker;
  size_t next_index = 0;
  std::vector<Clock::time_point> dead_until;
  std::string read_buffer;

  // Runs queued async work until it completes; deadlines live on the stream itself.
  void RunIo() {
    io.restart();
    io.run();
  }

  void Close() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
      stream.reset();
    }
    connected_to.clear();
    read_buffer.clear();
  }

  // Tries each tracker once (skipping recently dead ones unless all are); on success the
  // stream is open and `connected_to` names the tracker.
  ClientResult<void> Connect() {
    Close();
    if (trackers.empty()) return ClientError::Transport("no trackers configured");
    const auto now = Clock::now();
    std::string failures;
    std::vector<bool> tried(trackers.size(), false);
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t n = 0; n < trackers.size(); ++n) {
        size_t index = (next_index + n) % trackers.size();
        // Pass 0 honours the dead list; pass 1 tries the skipped ones rather than give up.
        if (tried[index] || (pass == 0 && dead_until[index] > now)) continue;
        tried[index] = true;
        std::string error;
        if (TryConnect(trackers[index], &error)) {
          connected_to = trackers[index];
          next_index = index;
          return {};
        }
        dead_until[index] = Clock::now() + options.dead_retry;
        if (!failures.empty()) failures += ", ";
        failures += trackers[index] + " (" + error + ")";
      }
    }
    return ClientError::Transport("couldn't connect to mogilefsd backend at " + failures);
  }

  bool TryConnect(const std::string& tracker, std::string* error) {
    std::string host, port;
    if (!SplitHostPort(tracker, &host, &port)) {
      *error = "not host:port";
      return false;
    }
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) {
      *error = ec.message();
      return false;
    }
    stream.emplace(io);
    stream->expires_after(options.connect_timeout);
    stream->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    RunIo();
    if (ec) {
      *error = ec == beast::error::timeout ? "connect timed out" : ec.message();
      stream.reset();
      return false;
    }
    stream->socket().set_option(tcp::no_delay(true), ec);
    return true;
  }

  // Writes the request; false on any send error.
  bool Send(const std::string& request) {
    beast::error_code ec;
    stream->expires_after(options.reply_timeout);
    asio::async_write(*stream, asio::buffer(request), [&](beast::error_code e, size_t) { ec = e; });
    RunIo();
    return !ec;
  }

  enum class ReadStatus { kOk, kTimeout, kEof, kError };
  ReadStatus ReadLine(std::string* line) {
    beast::error_code ec;
    size_t n = 0;
    stream->expires_after(options.reply_timeout);
    asio::async_read_until(*stream, asio::dynamic_buffer(read_buffer), '\n',
                           [&](beast::error_code e, size_t bytes) {
                             ec = e;
                             n = bytes;
                           });
    RunIo();
    if (ec == beast::error::timeout) return ReadStatus::kTimeout;
    if (ec == asio::error::eof) return ReadStatus::kEof;
    if (ec) return ReadStatus::kError;
    *line = read_buffer.substr(0, n);
    read_buffer.erase(0, n);
    return ReadStatus::kOk;
  }
};

TrackerConnection::TrackerConnection(std::vector<std::string> trackers, TrackerOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->trackers = std::move(trackers);
  impl_->options = options;
  impl_->dead_until.assign(impl_->trackers.size(), Clock::time_point{});
}

TrackerConnection::~TrackerConnection() { impl_->Close(); }

void TrackerConnection::Disconnect() { impl_->Close(); }
const std::string& TrackerConnection::last_tracker() const { return impl_->last_tracker; }
const std::vector<std::string>& TrackerConnection::trackers() const { return impl_->trackers; }
void TrackerConnection::set_reply_timeout(std::chrono::milliseconds t) {
  impl_->options.reply_timeout = t;
}

ClientResult<ReplyArgs> TrackerConnection::Call(std::string_view command, const ArgList& args) {
  static const auto log = Logger("client");
  Impl& s = *impl_;
  const std::string request = EncodeRequest(command, args);
  const std::string shown = request.substr(0, request.size() - 2);

  // A reused socket may have been closed by the tracker while idle: one fresh retry is safe
  // because nothing was processed (the send failed or EOF came before any byte of a reply).
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = s.stream.has_value();
    if (!reused) {
      auto connected = s.Connect();
      if (!connected) return connected.error();
    }
    const std::string tracker = s.connected_to;
    if (!s.Send(request)) {
      s.Close();
      if (reused) continue;
      return ClientError::Transport("error sending command [" + shown + "] to " + tracker);
    }
    std::string line;
    switch (s.ReadLine(&line)) {
      case Impl::ReadStatus::kOk:
        break;
      case Impl::ReadStatus::kTimeout:
        // Never reuse this socket: its reply may still arrive later.
        s.Close();
        return ClientError::Transport("timed out after " + Seconds(s.options.reply_timeout) +
                                      "s against " + tracker + " when sending command: [" +
                                      shown + "]");
      case Impl::ReadStatus::kEof: {
        const bool nothing_read = s.read_buffer.empty();
        s.Close();
        if (reused && nothing_read) continue;
        return ClientError::Transport("socket closed on read");
      }
      case Impl::ReadStatus::kError:
        s.Close();
        return ClientError::Transport("error reading reply from " + tracker);
    }
    s.last_tracker = tracker;
    log->debug("tracker={} request=[{}] reply=[{}]", tracker, shown, line);
    auto parsed = ParseTrackerReply(line);
    if (!parsed && parsed.error().kind == ClientError::Kind::kTransport) s.Close();
    return parsed;
  }
  return ClientError::Transport("socket closed on read");
}

}  // namespace mog::client
