// A plain HTTP/1.0 GET of a whole (bounded) body, to check that a replicated copy holds
// exactly the uploaded bytes.
#pragma once

#include <string>
#include <string_view>

namespace mog::bench {

struct GetResult {
  int status = 0;
  std::string body;
  std::string error;  // transport / URL / framing problem, or ""
};

GetResult HttpGet(std::string_view url, size_t max_body, double timeout_s);

}  // namespace mog::bench
