// Command line of http_load: what to request, how hard, and for how long (always bounded).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mog::bench {

enum class Method { kGet, kPut };

struct LoadOptions {
  Method method = Method::kGet;
  // Either url_list, or host + port + path_template.
  std::string url_list;
  std::string host;
  uint16_t port = 0;
  std::string path_template;
  uint64_t template_start = 0;
  uint64_t template_count = 0;  // 0: every request gets a new number

  int concurrency = 1;       // connections, each with one request in flight
  int threads = 1;           // event-loop threads sharing the connections
  uint64_t requests = 0;     // total requests to start; 0: limited by duration only
  double duration_s = 0;     // stop starting requests after this; 0: limited by requests only
  double timeout_s = 60;     // a request making no progress for this long fails
  double max_seconds = 900;  // hard cap for the whole run, whatever else is set
  uint64_t body_size = 0;    // PUT body bytes (generated, never held in full)
  std::optional<uint64_t> expect_size;  // GET: a 2xx with another Content-Length is an error
  size_t recv_buffer = 256 * 1024;      // per connection; large so big bodies drain fast
  bool quiet = false;                   // only the RESULT line
};

// Throws mog::ConfigError with a message for the user; `*help` is set for --help.
LoadOptions ParseLoadOptions(int argc, const char* const* argv, bool* help);
std::string LoadOptionsHelp();

}  // namespace mog::bench
