// The upload request MogileFS::NewHTTPFile sends for a known length: a fresh connection,
// "PUT <uri> HTTP/1.0\r\nContent-length: N\r\n\r\n" + body, then only the status line is read.
#pragma once

#include <string>
#include <string_view>

namespace mog::bench {

struct PutResult {
  int status = 0;     // HTTP status; 0 when no status line was read
  std::string error;  // transport/URL problem, or "" (then look at status)
};

PutResult HttpPut(std::string_view url, std::string_view body, double timeout_s);

}  // namespace mog::bench
