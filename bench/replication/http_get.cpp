#include "bench/replication/http_get.h"

#include <cctype>
#include <cstdlib>
#include <optional>

#include <boost/url/parse.hpp>

#include "bench/tracker/line_connection.h"

namespace mog::bench {
namespace {

// Content-Length from a header block, if present (case-insensitive name).
std::optional<size_t> ContentLength(std::string_view head) {
  size_t pos = 0;
  while ((pos = head.find('\n', pos)) != std::string_view::npos) {
    ++pos;
    std::string_view line = head.substr(pos, head.find('\n', pos) - pos);
    constexpr std::string_view kName = "content-length:";
    if (line.size() > kName.size()) {
      bool match = true;
      for (size_t i = 0; i < kName.size() && match; ++i) {
        match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
      }
      if (match) return static_cast<size_t>(std::strtoull(line.data() + kName.size(), nullptr, 10));
    }
  }
  return std::nullopt;
}

}  // namespace

GetResult HttpGet(std::string_view url, size_t max_body, double timeout_s) {
  GetResult result;
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || !parsed->has_port()) {
    result.error = "bad GET url: " + std::string(url);
    return result;
  }
  Socket socket;
  const std::string host(parsed->host());
  if (std::string err = socket.Connect(host, parsed->port_number(), timeout_s); !err.empty()) {
    result.error = err;
    return result;
  }
  if (std::string err =
          socket.SendAll("GET " + std::string(parsed->encoded_target()) + " HTTP/1.0\r\n\r\n");
      !err.empty()) {
    result.error = "GET " + err;
    return result;
  }
  std::string in;
  size_t head_end = std::string::npos;
  std::optional<size_t> length;
  // Bounded by max_body: each read adds bytes or ends the loop.
  for (;;) {
    if (head_end == std::string::npos) {
      head_end = in.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        length = ContentLength(std::string_view(in).substr(0, head_end + 2));
        head_end += 4;
      }
    }
    if (head_end != std::string::npos && length && in.size() - head_end >= *length) break;
    if (in.size() > max_body + 64 * 1024) {
      result.error = "GET body larger than expected";
      return result;
    }
    std::string err = socket.ReadSome(&in);
    if (err == "closed") break;
    if (!err.empty()) {
      result.error = "GET read " + err;
      return result;
    }
  }
  if (head_end == std::string::npos || !in.starts_with("HTTP/")) {
    result.error = "GET: no HTTP header from " + host;
    return result;
  }
  result.status = std::atoi(in.c_str() + in.find(' ') + 1);
  result.body = in.substr(head_end);
  if (length && result.body.size() != *length) result.error = "GET: short body";
  return result;
}

}  // namespace mog::bench
