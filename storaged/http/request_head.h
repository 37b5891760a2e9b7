// The parts of an HTTP request the handlers look at, independent of the parser, so that the
// request -> response decision can be tested without a socket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mog::storage::http {

struct RequestHead {
  std::string method;  // as sent: "GET", "PUT", "MKCOL"...
  std::string target;  // raw request-target, not decoded
  unsigned version = 11;  // 10 or 11
  std::string connection;
  std::string range;
  std::string if_modified_since;
  std::string if_none_match;
  std::string content_md5;
  std::string expect;
  std::string authorization;
  bool chunked = false;
  std::optional<uint64_t> content_length;

  bool IsHead() const { return method == "HEAD"; }
};

}  // namespace mog::storage::http
