// Counters one connection keeps during a run, merged at the end into the figures http_load
// prints. Only complete 2xx responses count as successes; bytes are body bytes moved by them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mog::bench {

struct RunStats {
  uint64_t ok = 0;
  uint64_t status_errors = 0;     // complete response, but not 2xx
  uint64_t size_errors = 0;       // 2xx with a Content-Length other than --expect-size
  uint64_t transport_errors = 0;  // connect/reset/timeout/truncated body/malformed head
  uint64_t connections = 0;       // connections opened
  uint64_t body_bytes = 0;        // GET: response bodies, PUT: request bodies, successes only
  std::vector<uint32_t> latencies_us;  // successes only, request start to last body byte
  std::string first_error;

  uint64_t errors() const { return status_errors + size_errors + transport_errors; }
  void Merge(RunStats&& other);
};

struct Summary {
  double elapsed_s = 0;
  double requests_per_s = 0;
  double mb_per_s = 0;  // 10^6 bytes per second
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Nearest-rank percentile (q in (0,1]) of an ascending vector; 0 when empty.
double PercentileUs(const std::vector<uint32_t>& sorted, double q);

// Sorts stats.latencies_us in place.
Summary Summarize(RunStats& stats, double elapsed_s);

}  // namespace mog::bench
