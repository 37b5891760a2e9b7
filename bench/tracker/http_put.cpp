#include "bench/tracker/http_put.h"

#include <boost/url/parse.hpp>

#include "bench/tracker/line_connection.h"

namespace mog::bench {

PutResult HttpPut(std::string_view url, std::string_view body, double timeout_s) {
  PutResult result;
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || !parsed->has_port()) {
    result.error = "bad PUT url: " + std::string(url);
    return result;
  }
  std::string host(parsed->host());
  uint16_t port = parsed->port_number();
  std::string target(parsed->encoded_target());
  Socket socket;
  if (std::string err = socket.Connect(host, port, timeout_s); !err.empty()) {
    result.error = err;
    return result;
  }
  std::string head = "PUT " + target + " HTTP/1.0\r\nContent-length: " +
                     std::to_string(body.size()) + "\r\n\r\n";
  if (std::string err = socket.SendAll(head); !err.empty()) {
    result.error = "PUT " + err;
    return result;
  }
  if (std::string err = socket.SendAll(body); !err.empty()) {
    result.error = "PUT body " + err;
    return result;
  }
  std::string reply;
  for (int reads = 0; reads < 64 && reply.find('\n') == std::string::npos; ++reads) {
    if (std::string err = socket.ReadSome(&reply); !err.empty()) {
      if (err == "closed") break;
      result.error = "PUT response " + err;
      return result;
    }
  }
  // "HTTP/1.x NNN ..." as the client's /^HTTP\/\d+\.\d+\s+(\d+)/.
  auto space = reply.find(' ');
  if (!reply.starts_with("HTTP/") || space == std::string::npos || reply.size() < space + 4) {
    result.error = "PUT: unreadable response line from " + host + ":" + std::to_string(port);
    return result;
  }
  result.status = std::atoi(reply.c_str() + space + 1);
  return result;
}

}  // namespace mog::bench
