#include "trackerd/nodes/http_node_client.h"

#include <array>
#include <atomic>
#include <future>
#include <limits>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/log/logging.h"
#include "trackerd/nodes/digest_hasher.h"
#include "trackerd/nodes/node_url.h"
#include "trackerd/nodes/side_channel_reply.h"

namespace mog::tracker {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kCopyChunk = 1 << 20;  // upstream streams copies in <= 1 MiB pieces

struct Conn {
  explicit Conn(asio::io_context& ioc) : stream(ioc) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};
using ConnPtr = std::unique_ptr<Conn>;

// Idle keep-alive connections; beyond `cap` (or 25 s idle) the oldest are closed.
class ConnectionPool {
 public:
  explicit ConnectionPool(size_t cap) : cap_(cap) {}
  ConnPtr Take(const std::string& key) {
    std::lock_guard lock(mu_);
    const auto now = Clock::now();
    // Perlbal drops idle keep-alive clients after 30 s; older entries would only cost a retry.
    while (!idle_.empty() && now - idle_.back().since > kMaxIdle) idle_.pop_back();
    for (auto it = idle_.begin(); it != idle_.end(); ++it) {
      if (it->key == key) {
        ConnPtr conn = std::move(it->conn);
        idle_.erase(it);
        return conn;
      }
    }
    return nullptr;
  }
  void Give(const std::string& key, ConnPtr conn) {
    if (cap_ == 0) return;
    std::lock_guard lock(mu_);
    idle_.push_front(Entry{key, std::move(conn), Clock::now()});
    while (idle_.size() > cap_) idle_.pop_back();
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return idle_.size();
  }
  void Clear() {
    std::lock_guard lock(mu_);
    idle_.clear();
  }

 private:
  struct Entry {
    std::string key;
    ConnPtr conn;
    Clock::time_point since;
  };
  static constexpr auto kMaxIdle = std::chrono::seconds(25);
  const size_t cap_;
  mutable std::mutex mu_;
  std::list<Entry> idle_;  // most recently used first
};

bool IsTimeout(const boost::system::error_code& ec) {
  return ec == beast::error::timeout || ec == asio::error::timed_out;
}

NodeError ErrorFrom(const boost::system::error_code& ec, std::string_view what) {
  NodeError e;
  e.failure = IsTimeout(ec) ? NodeFailure::kTimeout : NodeFailure::kIo;
  e.message = std::string(what) + ": " + (IsTimeout(ec) ? std::string("timeout") : ec.message());
  return e;
}

NodeError BadUrl(std::string_view url) {
  return NodeError{NodeFailure::kBadUrl, 0, "bad storage URL: " + std::string(url)};
}

std::optional<uint64_t> ParseLength(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (std::numeric_limits<uint64_t>::max() - 9) / 10) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

template <class Fields>
HttpHeaders CopyHeaders(const Fields& fields) {
  HttpHeaders out;
  for (const auto& f : fields)
    out.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return out;
}

struct RawRequest {
  http::verb verb = http::verb::get;
  unsigned version = 11;
  std::optional<std::string> body;  // set → Content-Length + Content-Type octet-stream
  bool zero_length = false;         // MKCOL: explicit Content-Length: 0
  HttpHeaders extra;
  size_t max_body = 1 << 20;
};

struct ExchangeOutcome {
  bool ok = false;
  NodeError error;
  HttpReply reply;
};

struct ConnectOutcome {
  ConnPtr conn;
  NodeError error;
};

// A GET whose header has been read; the body is pulled chunk by chunk.
struct OpenGet {
  bool ok = false;
  NodeError error;
  std::string key;
  ConnPtr conn;
  std::unique_ptr<http::response_parser<http::buffer_body>> parser;
};

struct DigestOutcome {
  bool ok = false;
  NodeError error;
  DigestReply reply;
};

struct CopyOutcome {
  bool ok = false;
  CopyError error;
  CopyReply reply;
};

}  // namespace

// One event loop with its idle connections. A client with io_threads > 0 has one shared lane
// run by its own threads; with io_threads == 0 every calling thread gets a lane of its own and
// runs the exchange itself, so a call costs no hand-off to an I/O thread and back (two context
// switches and two scheduler waits per call, which on a busy machine cost more than the
// loopback exchange). Lanes die with their thread.
namespace {
struct Lane {
  explicit Lane(size_t pool_cap) : pool(pool_cap) {}
  asio::io_context ioc;
  ConnectionPool pool;  // destroyed before ioc: its sockets belong to it
};

std::atomic<uint64_t> next_client_id{1};
}  // namespace

struct HttpNodeClient::Impl {
  explicit Impl(HttpNodeClientOptions opts)
      : options(std::move(opts)), id(next_client_id.fetch_add(1)) {
    if (options.io_threads > 0) {
      shared = std::make_shared<Lane>(options.pool_size);
      work.emplace(asio::make_work_guard(shared->ioc));
      for (int i = 0; i < options.io_threads; ++i) {
        threads.emplace_back([this] { shared->ioc.run(); });
      }
    }
  }
  ~Impl() {
    if (shared) {
      work.reset();
      shared->pool.Clear();
      shared->ioc.stop();
      for (auto& t : threads) t.join();
    }
    // Caller lanes outlive this client inside their threads; close their idle sockets now.
    std::lock_guard lock(lanes_mu);
    for (auto& weak : lanes) {
      if (auto lane = weak.lock()) lane->pool.Clear();
    }
  }

  // The lane of the running exchange: the shared one, or the calling thread's own.
  Lane& CurrentLane() {
    if (shared) return *shared;
    thread_local std::unordered_map<uint64_t, std::shared_ptr<Lane>> mine;
    auto& lane = mine[id];
    if (!lane) {
      lane = std::make_shared<Lane>(options.pool_size);
      std::lock_guard lock(lanes_mu);
      std::erase_if(lanes, [](const std::weak_ptr<Lane>& w) { return w.expired(); });
      lanes.push_back(lane);
    }
    return *lane;
  }

  size_t IdleConnections() {
    size_t n = shared ? shared->pool.size() : 0;
    std::lock_guard lock(lanes_mu);
    for (auto& weak : lanes) {
      if (auto lane = weak.lock()) n += lane->pool.size();
    }
    return n;
  }

  // Runs `aw` to completion: on the shared lane's threads (waiting on a future), or right here
  // on this thread's lane. `aw` has not started yet (awaitables are lazy), so its body sees the
  // lane of the thread that runs it.
  template <typename T>
  T RunSync(asio::awaitable<T> aw) {
    if (shared) {
      std::promise<T> promise;
      auto future = promise.get_future();
      asio::co_spawn(shared->ioc, std::move(aw), [&promise](std::exception_ptr e, T value) {
        if (e) {
          promise.set_exception(e);
        } else {
          promise.set_value(std::move(value));
        }
      });
      return future.get();
    }
    Lane& lane = CurrentLane();
    std::optional<T> result;
    std::exception_ptr error;
    asio::co_spawn(lane.ioc, std::move(aw), [&](std::exception_ptr e, T value) {
      error = e;
      if (!e) result.emplace(std::move(value));
    });
    lane.ioc.restart();
    lane.ioc.run();  // returns once the exchange and its timers are done
    if (error) std::rethrow_exception(error);
    if (!result) throw std::runtime_error("node exchange did not complete");
    return std::move(*result);
  }

  asio::awaitable<ConnectOutcome> Connect(const NodeUrl& url) {
    ConnectOutcome out;
    boost::system::error_code ec;
    auto address = asio::ip::make_address(url.host, ec);
    tcp::endpoint endpoint;
    if (ec) {
      // Host names are unusual (hostip is an IP) but cost nothing to support.
      tcp::resolver resolver(CurrentLane().ioc);
      auto [rec, results] =
          co_await resolver.async_resolve(url.host, std::to_string(url.port), kTuple);
      if (rec || results.empty()) {
        out.error = NodeError{NodeFailure::kConnect, 0, "cannot resolve " + url.host};
        co_return out;
      }
      endpoint = *results.begin();
    } else {
      endpoint = tcp::endpoint(address, url.port);
    }
    auto conn = std::make_unique<Conn>(CurrentLane().ioc);
    conn->stream.expires_after(options.timeout);
    auto [cec] = co_await conn->stream.async_connect(endpoint, kTuple);
    if (cec) {
      out.error = ErrorFrom(cec, "connect to " + url.HostHeader());
      if (!IsTimeout(cec)) out.error.failure = NodeFailure::kConnect;
      co_return out;
    }
    // Small request/response exchanges must not wait for delayed ACKs (Nagle).
    conn->stream.socket().set_option(tcp::no_delay(true), ec);
    ++connections_opened;
    out.conn = std::move(conn);
    co_return out;
  }

  http::request<http::string_body> BuildRequest(const NodeUrl& url, const RawRequest& req) {
    http::request<http::string_body> r{req.verb, url.target, req.version};
    r.set(http::field::host, url.HostHeader());
    r.set(http::field::user_agent, options.user_agent);
    r.set(http::field::connection, "keep-alive");
    for (const auto& [name, value] : req.extra) r.set(name, value);
    if (req.body) {
      r.set(http::field::content_type, "application/octet-stream");
      r.body() = *req.body;
      r.content_length(req.body->size());
    } else if (req.zero_length) {
      r.content_length(0);
    }
    return r;
  }

  // One request/response on a pooled or new connection; one retry when a reused connection
  // turns out stale (error before any response byte, not a timeout).
  asio::awaitable<ExchangeOutcome> Exchange(NodeUrl url, RawRequest req) {
    ExchangeOutcome out;
    const std::string key = url.HostHeader();
    const std::string what = std::string(http::to_string(req.verb)) + " http://" + key + url.target;
    auto request = BuildRequest(url, req);
    for (int attempt = 0; attempt < 2; ++attempt) {
      ConnPtr conn = attempt == 0 ? CurrentLane().pool.Take(key) : nullptr;
      const bool reused = conn != nullptr;
      if (!conn) {
        auto c = co_await Connect(url);
        if (!c.conn) {
          out.error = c.error;
          out.error.message = what + ": " + c.error.message;
          co_return out;
        }
        conn = std::move(c.conn);
      }
      conn->stream.expires_after(options.timeout);
      auto [wec, wn] = co_await http::async_write(conn->stream, request, kTuple);
      if (wec) {
        if (reused && !IsTimeout(wec)) continue;
        out.error = ErrorFrom(wec, what);
        co_return out;
      }
      http::response_parser<http::string_body> parser;
      parser.body_limit(req.max_body);
      if (req.verb == http::verb::head) parser.skip(true);
      conn->stream.expires_after(options.timeout);
      auto [rec, rn] = co_await http::async_read(conn->stream, conn->buffer, parser, kTuple);
      if (rec) {
        if (reused && !IsTimeout(rec) && !parser.got_some()) continue;
        out.error = ErrorFrom(rec, what);
        // Beast's parse errors (bad status line, body over the limit) mean the peer is not
        // speaking HTTP we accept; EOF/partial messages stay I/O errors.
        if (rec.category() == http::make_error_code(http::error::bad_version).category() &&
            rec != http::error::end_of_stream && rec != http::error::partial_message) {
          out.error.failure = NodeFailure::kBadResponse;
        }
        co_return out;
      }
      auto& res = parser.get();
      out.ok = true;
      out.reply.status = static_cast<int>(res.result_int());
      out.reply.headers = CopyHeaders(res.base());
      out.reply.body = std::move(res.body());
      if (res.keep_alive()) {
        conn->stream.expires_never();
        CurrentLane().pool.Give(key, std::move(conn));
      }
      co_return out;
    }
    out.error = NodeError{NodeFailure::kIo, 0, what + ": stale connection"};
    co_return out;
  }

  ExchangeOutcome Do(const std::string& url, RawRequest req) {
    auto parsed = ParseNodeUrl(url);
    if (!parsed) {
      ExchangeOutcome out;
      out.error = BadUrl(url);
      return out;
    }
    return RunSync(Exchange(std::move(*parsed), std::move(req)));
  }

  // GET as HTTP/1.0 keep-alive, header only; body left to ReadChunk.
  asio::awaitable<OpenGet> Open(NodeUrl url, std::chrono::milliseconds wait) {
    OpenGet out;
    out.key = url.HostHeader();
    const std::string what = "GET http://" + out.key + url.target;
    RawRequest raw;
    raw.version = 10;
    auto request = BuildRequest(url, raw);
    for (int attempt = 0; attempt < 2; ++attempt) {
      ConnPtr conn = attempt == 0 ? CurrentLane().pool.Take(out.key) : nullptr;
      const bool reused = conn != nullptr;
      if (!conn) {
        auto c = co_await Connect(url);
        if (!c.conn) {
          out.error = c.error;
          out.error.message = what + ": " + c.error.message;
          co_return out;
        }
        conn = std::move(c.conn);
      }
      conn->stream.expires_after(wait);
      auto [wec, wn] = co_await http::async_write(conn->stream, request, kTuple);
      if (wec) {
        if (reused && !IsTimeout(wec)) continue;
        out.error = ErrorFrom(wec, what);
        co_return out;
      }
      auto parser = std::make_unique<http::response_parser<http::buffer_body>>();
      parser->body_limit(boost::none);
      conn->stream.expires_after(wait);
      auto [rec, rn] =
          co_await http::async_read_header(conn->stream, conn->buffer, *parser, kTuple);
      if (rec) {
        if (reused && !IsTimeout(rec) && !parser->got_some()) continue;
        out.error = ErrorFrom(rec, what);
        co_return out;
      }
      out.ok = true;
      out.conn = std::move(conn);
      out.parser = std::move(parser);
      co_return out;
    }
    out.error = NodeError{NodeFailure::kIo, 0, what + ": stale connection"};
    co_return out;
  }

  // Body bytes of an opened GET go straight from the socket into the caller's buffer: beast's
  // parser would read through the connection's flat_buffer, whose read size starts at 512
  // bytes, i.e. thousands of recv calls and coroutine resumptions per MiB. The bytes that
  // arrived together with the header (left in conn->buffer) come first. Fills exactly `want`
  // bytes (the caller never asks past Content-Length) or fails.
  asio::awaitable<boost::system::error_code> FillBody(OpenGet& get, char* buf, size_t want,
                                                      std::chrono::milliseconds wait) {
    auto& pending = get.conn->buffer;
    const size_t early = std::min(want, pending.size());
    if (early > 0) {
      asio::buffer_copy(asio::buffer(buf, early), pending.data(), early);
      pending.consume(early);
    }
    if (early == want) co_return boost::system::error_code{};
    get.conn->stream.expires_after(wait);
    auto [ec, n] = co_await asio::async_read(get.conn->stream,
                                             asio::buffer(buf + early, want - early), kTuple);
    co_return ec;
  }

  // The whole body of an opened GET was consumed: keep the connection if the node allows.
  void Release(OpenGet& get) {
    if (get.conn && get.parser && get.parser->get().keep_alive() && get.conn->buffer.size() == 0) {
      get.conn->stream.expires_never();
      CurrentLane().pool.Give(get.key, std::move(get.conn));
    }
  }

  asio::awaitable<DigestOutcome> HttpDigest(NodeUrl url, DigestAlg alg,
                                            std::chrono::milliseconds wait) {
    DigestOutcome out;
    auto get = co_await Open(url, wait);
    if (!get.ok) {
      out.error = get.error;
      co_return out;
    }
    int status = static_cast<int>(get.parser->get().result_int());
    if (status == 404) {
      out.ok = true;
      out.reply.missing = true;
      co_return out;  // connection dropped: the 404 body is not worth draining
    }
    if (status < 200 || status >= 300) {
      out.error =
          NodeError{NodeFailure::kStatus, status,
                    "GET http://" + get.key + url.target + ": HTTP " + std::to_string(status)};
      co_return out;
    }
    auto length = ParseLength(get.parser->get()[http::field::content_length]);
    if (!length) {
      out.error = NodeError{NodeFailure::kBadResponse, status,
                            "GET http://" + get.key + url.target + ": no Content-Length"};
      co_return out;
    }
    DigestHasher hasher(alg);
    std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(kCopyChunk, *length)));
    for (uint64_t left = *length; left > 0;) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
      if (auto ec = co_await FillBody(get, buf.data(), want, wait)) {
        out.error = ErrorFrom(ec, "GET http://" + get.key + url.target);
        co_return out;
      }
      hasher.Update(buf.data(), want);
      left -= want;
    }
    Release(get);
    out.ok = true;
    out.reply.hex = hasher.FinalHex();
    co_return out;
  }

  // Side channel first (§5.8), falling back to hashing an HTTP GET.
  asio::awaitable<DigestOutcome> DigestCo(DigestRequest req, NodeUrl get_url) {
    const auto reply_wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::seconds(req.size / (2u << 20)) + options.timeout +
        (req.reason == "fsck" ? std::chrono::seconds(3600) : std::chrono::seconds(0)));
    const std::string line = DigestRequestLine(req.alg, get_url.target, req.reason);
    NodeUrl side{req.host_ip, req.side_port, "/"};
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto c = co_await Connect(side);
      if (!c.conn) break;
      auto& stream = c.conn->stream;
      stream.expires_after(options.timeout);
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(line), kTuple);
      if (wec) {
        if (IsTimeout(wec)) break;
        continue;
      }
      std::string in;
      stream.expires_after(reply_wait);
      auto [rec, rn] = co_await asio::async_read_until(stream, asio::dynamic_buffer(in, 64 * 1024),
                                                       "\r\n", kTuple);
      if (rec) {
        if (IsTimeout(rec)) break;
        continue;  // EOF / reset: reconnect
      }
      auto parsed =
          ParseDigestLine(std::string_view(in).substr(0, rn - 2), req.alg, get_url.target);
      if (parsed.kind == DigestLineKind::kDigest) {
        DigestOutcome out;
        out.ok = true;
        out.reply.hex = parsed.hex;
        out.reply.via_side_channel = true;
        co_return out;
      }
      break;  // -1 or an error line: let HTTP decide (404 → missing)
    }
    co_return co_await HttpDigest(std::move(get_url), req.alg, reply_wait);
  }

  asio::awaitable<CopyOutcome> CopyCo(CopyRequest req, NodeUrl src, NodeUrl dst) {
    CopyOutcome out;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(req.wait_timeout);
    auto fail = [&out](bool source_side, NodeError e) {
      out.ok = false;
      out.error = CopyError{source_side, std::move(e), {}};
      return std::move(out);
    };
    const std::string src_what = "GET http://" + src.HostHeader() + src.target;
    const std::string dst_what = "PUT http://" + dst.HostHeader() + dst.target;
    auto get = co_await Open(src, wait);
    if (!get.ok) co_return fail(true, get.error);
    auto& head = get.parser->get();
    int status = static_cast<int>(head.result_int());
    if (status < 200 || status >= 300) {
      co_return fail(true, NodeError{NodeFailure::kStatus, status,
                                     src_what + ": HTTP " + std::to_string(status)});
    }
    auto src_len = ParseLength(head[http::field::content_length]);
    if (!src_len || *src_len != req.length) {
      co_return fail(true, NodeError{NodeFailure::kBadResponse, status,
                                     src_what + ": Content-Length " +
                                         std::string(head[http::field::content_length]) +
                                         " != expected " + std::to_string(req.length)});
    }
    // Raw header, byte for byte what upstream's copy sends.
    std::string put_head = "PUT " + dst.target + " HTTP/1.0\r\nConnection: keep-alive\r\n" +
                           "Content-length: " + std::to_string(req.length);
    if (!req.content_md5_b64.empty()) put_head += "\r\nContent-MD5: " + req.content_md5_b64;
    put_head += "\r\n\r\n";
    std::optional<DigestHasher> hasher;
    if (req.digest) hasher.emplace(*req.digest);
    // A small file is a single piece: the destination gets header and body in one segment.
    std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(kCopyChunk, req.length)));
    uint64_t copied = 0;  // body bytes already written to the destination
    // Reads the next piece (up to the buffer) from the source and hashes it; the closure is
    // awaited at once, so its references into this frame stay valid.
    auto next_piece = [&]() -> asio::awaitable<std::pair<boost::system::error_code, size_t>> {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(req.length - copied, buf.size()));
      auto ec = co_await FillBody(get, buf.data(), want, wait);
      if (!ec && hasher) hasher->Update(buf.data(), want);
      co_return std::make_pair(ec, want);
    };
    auto [first_ec, first_n] = co_await next_piece();
    if (first_ec) co_return fail(true, ErrorFrom(first_ec, src_what));
    ConnPtr conn;
    const std::string dst_key = dst.HostHeader();
    for (int attempt = 0; attempt < 2 && !conn; ++attempt) {
      ConnPtr c = attempt == 0 ? CurrentLane().pool.Take(dst_key) : nullptr;
      const bool reused = c != nullptr;
      if (!c) {
        auto fresh = co_await Connect(dst);
        if (!fresh.conn) co_return fail(false, fresh.error);
        c = std::move(fresh.conn);
      }
      c->stream.expires_after(wait);
      const std::array<asio::const_buffer, 2> head_and_piece{asio::buffer(put_head),
                                                             asio::buffer(buf.data(), first_n)};
      auto [wec, wn] = co_await asio::async_write(c->stream, head_and_piece, kTuple);
      if (wec) {
        if (reused && !IsTimeout(wec)) continue;
        co_return fail(false, ErrorFrom(wec, dst_what));
      }
      conn = std::move(c);
    }
    if (!conn) co_return fail(false, NodeError{NodeFailure::kIo, 0, dst_what + ": stale"});
    copied += first_n;
    while (copied < req.length) {
      auto [ec, n] = co_await next_piece();
      if (ec) co_return fail(true, ErrorFrom(ec, src_what));
      conn->stream.expires_after(wait);
      auto [wec, wn] =
          co_await asio::async_write(conn->stream, asio::buffer(buf.data(), n), kTuple);
      if (wec) co_return fail(false, ErrorFrom(wec, dst_what));
      copied += n;
    }
    Release(get);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    conn->stream.expires_after(wait);
    auto [rec, rn] = co_await http::async_read(conn->stream, conn->buffer, parser, kTuple);
    if (rec) co_return fail(false, ErrorFrom(rec, dst_what));
    int dst_status = static_cast<int>(parser.get().result_int());
    if (dst_status < 200 || dst_status >= 300) {
      out = fail(false, NodeError{NodeFailure::kStatus, dst_status,
                                  dst_what + ": HTTP " + std::to_string(dst_status) + " " +
                                      parser.get().body()});
      if (hasher) out.error.source_digest_hex = hasher->FinalHex();
      co_return out;
    }
    if (parser.get().keep_alive()) {
      conn->stream.expires_never();
      CurrentLane().pool.Give(dst_key, std::move(conn));
    }
    out.ok = true;
    out.reply.bytes = copied;
    out.reply.dst_status = dst_status;
    if (hasher) out.reply.digest_hex = hasher->FinalHex();
    co_return out;
  }

  HttpNodeClientOptions options;
  const uint64_t id;             // key of this client's lanes in each thread
  std::shared_ptr<Lane> shared;  // io_threads > 0
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::mutex lanes_mu;
  std::vector<std::weak_ptr<Lane>> lanes;  // io_threads == 0: every thread's lane
  std::atomic<size_t> connections_opened{0};

  std::mutex mkcol_mu;
  std::unordered_set<std::string> no_mkcol_devices;
  std::unordered_map<std::string, Clock::time_point> mkcol_done;
};

HttpNodeClient::HttpNodeClient(HttpNodeClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpNodeClient::~HttpNodeClient() = default;

NodeResult<HeadInfo> HttpNodeClient::HeadSize(const std::string& url) {
  RawRequest req;
  req.verb = http::verb::head;
  auto out = impl_->Do(url, std::move(req));
  // Upstream's wording (create_close quotes it in size_verify_error); a socket-level failure
  // reads as the fake 500 upstream's HTTP client produces.
  if (!out.ok) {
    out.error.message = "Failed HEAD check for " + url + " (500): " + out.error.message;
    return out.error;
  }
  HeadInfo info;
  info.status = out.reply.status;
  if (info.status == 404) return info;
  if (info.status < 200 || info.status >= 300) {
    return NodeError{
        NodeFailure::kStatus, info.status,
        "Failed HEAD check for " + url + " (" + std::to_string(info.status) +
            "): " + std::string(http::obsolete_reason(static_cast<http::status>(info.status)))};
  }
  info.content_length = ParseLength(out.reply.Header("Content-Length"));
  if (!info.content_length && out.reply.Header("Server").starts_with("lighttpd")) {
    info.content_length = 0;
  }
  return info;
}

MkcolOutcome HttpNodeClient::Mkcol(const std::string& url) {
  if (impl_->options.skip_mkcol && impl_->options.skip_mkcol()) return MkcolOutcome::kSkipped;
  auto parsed = ParseNodeUrl(url);
  if (!parsed) return MkcolOutcome::kFailed;
  const std::string device = DeviceKeyOfUrl(url).value_or(parsed->HostHeader());
  const auto now = Clock::now();
  {
    std::lock_guard lock(impl_->mkcol_mu);
    if (impl_->no_mkcol_devices.count(device)) return MkcolOutcome::kUnsupported;
    auto it = impl_->mkcol_done.find(url);
    if (it != impl_->mkcol_done.end() && now - it->second < impl_->options.mkcol_cache_ttl) {
      return MkcolOutcome::kSkipped;
    }
  }
  RawRequest req;
  req.verb = http::verb::mkcol;
  req.zero_length = true;
  auto out = impl_->RunSync(impl_->Exchange(std::move(*parsed), std::move(req)));
  if (!out.ok) return MkcolOutcome::kFailed;
  std::lock_guard lock(impl_->mkcol_mu);
  if (out.reply.status == 400 || out.reply.status == 501) {
    impl_->no_mkcol_devices.insert(device);
    return MkcolOutcome::kUnsupported;
  }
  if (!out.reply.ok()) return MkcolOutcome::kFailed;
  if (impl_->mkcol_done.size() > 100000) {
    std::erase_if(impl_->mkcol_done, [&](const auto& kv) {
      return now - kv.second >= impl_->options.mkcol_cache_ttl;
    });
  }
  impl_->mkcol_done[url] = now;
  return MkcolOutcome::kCreated;
}

NodeResult<HttpReply> HttpNodeClient::Get(const std::string& url, size_t max_body) {
  RawRequest req;
  req.verb = http::verb::get;
  req.version = 10;
  req.max_body = max_body;
  auto out = impl_->Do(url, std::move(req));
  if (!out.ok) return out.error;
  return std::move(out.reply);
}

NodeResult<HttpReply> HttpNodeClient::Put(const std::string& url, std::string_view body,
                                          const HttpHeaders& headers) {
  RawRequest req;
  req.verb = http::verb::put;
  req.body = std::string(body);
  req.extra = headers;
  req.max_body = 64 * 1024;
  auto out = impl_->Do(url, std::move(req));
  if (!out.ok) return out.error;
  return std::move(out.reply);
}

NodeResult<int> HttpNodeClient::Delete(const std::string& url) {
  RawRequest req;
  req.verb = http::verb::delete_;
  req.max_body = 64 * 1024;
  auto out = impl_->Do(url, std::move(req));
  if (!out.ok) return out.error;
  return out.reply.status;
}

NodeResult<DigestReply> HttpNodeClient::Digest(const DigestRequest& request) {
  auto get_url = ParseNodeUrl(request.get_url);
  if (!get_url) return BadUrl(request.get_url);
  auto out = impl_->RunSync(impl_->DigestCo(request, std::move(*get_url)));
  if (!out.ok) return out.error;
  return out.reply;
}

boost::system::result<CopyReply, CopyError> HttpNodeClient::Copy(const CopyRequest& request) {
  auto src = ParseNodeUrl(request.src_url);
  if (!src) return CopyError{true, BadUrl(request.src_url), {}};
  auto dst = ParseNodeUrl(request.dst_url);
  if (!dst) return CopyError{false, BadUrl(request.dst_url), {}};
  auto out = impl_->RunSync(impl_->CopyCo(request, std::move(*src), std::move(*dst)));
  if (!out.ok) return out.error;
  return out.reply;
}

size_t HttpNodeClient::TEST_idle_connections() const { return impl_->IdleConnections(); }
size_t HttpNodeClient::TEST_connections_opened() const { return impl_->connections_opened; }

}  // namespace mog::tracker
