#include "client/http_transfer.h"

#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace mog::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

struct ParsedUrl {
  std::string host;
  std::string port;
  std::string target;
  std::string authority() const { return host + ":" + port; }
};

std::optional<ParsedUrl> ParseHttpUrl(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || parsed->host().empty()) return std::nullopt;
  ParsedUrl out;
  out.host = parsed->host();
  out.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  out.target = std::string(parsed->encoded_target());
  if (out.target.empty()) out.target = "/";
  return out;
}

// One HTTP connection whose every step runs the io_context to completion under a deadline.
class Session {
 public:
  Session() : stream_(io_) {}

  beast::error_code Connect(const ParsedUrl& url, std::chrono::milliseconds timeout) {
    beast::error_code ec;
    tcp::resolver resolver(io_);
    auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return ec;
    stream_.expires_after(timeout);
    stream_.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    Run();
    return ec;
  }

  template <typename Op>
  beast::error_code Step(std::chrono::milliseconds timeout, Op op) {
    beast::error_code ec;
    stream_.expires_after(timeout);
    op([&](beast::error_code e, size_t) { ec = e; });
    Run();
    return ec;
  }

  beast::tcp_stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  void Run() {
    io_.restart();
    io_.run();
  }
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

std::string Describe(const beast::error_code& ec) {
  return ec == beast::error::timeout ? std::string("timed out") : ec.message();
}

}  // namespace

ClientResult<void> HttpPut(const std::string& url, std::istream& source, uint64_t length,
                           const HttpOptions& options, const ProgressFn& progress) {
  auto parsed = ParseHttpUrl(url);
  if (!parsed) return ClientError::Storage("bad storage URL: " + url);
  Session session;
  if (auto ec = session.Connect(*parsed, options.connect_timeout)) {
    return ClientError::Storage("couldn't connect to " + parsed->authority() + " for upload of " +
                                url + ": " + Describe(ec));
  }
  http::request<http::empty_body> request{http::verb::put, parsed->target, 10};
  request.set(http::field::host, parsed->authority());
  request.content_length(length);
  http::request_serializer<http::empty_body> header_writer{request};
  if (auto ec = session.Step(options.io_timeout, [&](auto handler) {
        http::async_write_header(session.stream(), header_writer, handler);
      })) {
    return ClientError::Storage("unable to write to storage node " + parsed->authority() + ": " +
                                Describe(ec));
  }
  std::vector<char> chunk(options.chunk_size);
  uint64_t sent = 0;
  while (sent < length) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), length - sent));
    source.read(chunk.data(), static_cast<std::streamsize>(want));
    const size_t got = static_cast<size_t>(source.gcount());
    if (got == 0) {
      return ClientError::Local("source ended after " + std::to_string(sent) + " of " +
                                std::to_string(length) + " bytes");
    }
    if (auto ec = session.Step(options.io_timeout, [&](auto handler) {
          asio::async_write(session.stream(), asio::buffer(chunk.data(), got), handler);
        })) {
      // A node that refuses the body (full disk, bad path) often answers and closes before
      // reading it all; its status says more than the broken pipe does.
      http::response_parser<http::string_body> early;
      early.body_limit(64 * 1024);
      session.Step(std::chrono::seconds(1), [&](auto handler) {
        http::async_read(session.stream(), session.buffer(), early, handler);
      });
      if (early.is_header_done()) {
        return ClientError::Storage("HTTP response " + std::to_string(early.get().result_int()) +
                                    " from upload of " + url + " to " + parsed->authority() +
                                    ": " + early.get().body().substr(0, 512));
      }
      return ClientError::Storage("unable to write to storage node " + parsed->authority() +
                                  " after " + std::to_string(sent) + " bytes: " + Describe(ec));
    }
    sent += got;
    if (progress) progress(sent, length);
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  beast::error_code ec = session.Step(options.response_timeout, [&](auto handler) {
    http::async_read(session.stream(), session.buffer(), parser, handler);
  });
  // Some servers close right after the status line on HTTP/1.0; the header is what counts.
  if (ec && !parser.is_header_done()) {
    return ClientError::Storage("Unable to read response line from server " +
                                parsed->authority() + " after upload of " + url + ": " +
                                Describe(ec));
  }
  const auto& response = parser.get();
  const unsigned status = response.result_int();
  if (status < 200 || status > 299) {
    std::string body = response.body().substr(0, 512);
    return ClientError::Storage("HTTP response " + std::to_string(status) + " from upload of " +
                                url + " to " + parsed->authority() + ": " + body);
  }
  return {};
}

HttpGetOutcome HttpGet(const std::string& url, const BodySink& sink, const HttpOptions& options,
                       const ProgressFn& progress, bool head_only) {
  HttpGetOutcome outcome;
  auto parsed = ParseHttpUrl(url);
  if (!parsed) {
    outcome.status = 400;
    outcome.status_line = "400 URL must be absolute http";
    return outcome;
  }
  Session session;
  if (auto ec = session.Connect(*parsed, options.connect_timeout)) {
    outcome.status = 500;
    outcome.status_line = "500 Can't connect to " + parsed->authority() + " (" + Describe(ec) + ")";
    return outcome;
  }
  http::request<http::empty_body> request{head_only ? http::verb::head : http::verb::get,
                                          parsed->target, 11};
  request.set(http::field::host, parsed->authority());
  request.set(http::field::connection, "close");
  if (auto ec = session.Step(options.io_timeout, [&](auto handler) {
        http::async_write(session.stream(), request, handler);
      })) {
    outcome.status = 500;
    outcome.status_line = "500 " + Describe(ec);
    return outcome;
  }
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  parser.skip(head_only);
  if (auto ec = session.Step(options.io_timeout, [&](auto handler) {
        http::async_read_header(session.stream(), session.buffer(), parser, handler);
      })) {
    outcome.status = 500;
    outcome.status_line = "500 Server closed connection without sending any data back";
    if (ec == beast::error::timeout) outcome.status_line = "500 read timeout";
    return outcome;
  }
  const auto& header = parser.get();
  outcome.status = static_cast<int>(header.result_int());
  outcome.status_line = std::to_string(outcome.status) + " " + std::string(header.reason());
  if (auto it = header.find(http::field::content_length); it != header.end()) {
    outcome.content_length = std::stoll(std::string(it->value()));
  }
  if (auto it = header.find(http::field::last_modified); it != header.end()) {
    outcome.last_modified = std::string(it->value());
  }
  if (head_only || !outcome.ok()) return outcome;

  const uint64_t total = outcome.content_length > 0 ? outcome.content_length : 0;
  std::vector<char> chunk(std::max<size_t>(options.chunk_size, 4096));
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    beast::error_code ec = session.Step(options.io_timeout, [&](auto handler) {
      http::async_read(session.stream(), session.buffer(), parser, handler);
    });
    if (ec == http::error::need_buffer) ec = {};
    const size_t got = chunk.size() - parser.get().body().size;
    if (got > 0) {
      if (!sink(chunk.data(), got)) {
        outcome.status = 500;
        outcome.status_line = "500 could not write the received data";
        return outcome;
      }
      outcome.bytes += got;
      if (progress) progress(outcome.bytes, total);
    }
    if (ec) {
      // LWP reports a truncated body as a failure of the whole request.
      outcome.status = 500;
      outcome.status_line = "500 read error after " + std::to_string(outcome.bytes) +
                            " bytes: " + Describe(ec);
      return outcome;
    }
  }
  return outcome;
}

}  // namespace mog::client
