// What one worker records during a phase, merged into the figures tracker_bench prints.
// Every failure is counted by kind and cause; nothing is dropped or retried silently.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mog::bench {

struct PhaseStats {
  uint64_t ok = 0;
  uint64_t tracker_errors = 0;    // ERR lines
  uint64_t http_errors = 0;       // PUT answered with a non-2xx status
  uint64_t transport_errors = 0;  // connect/timeout/closed/unparsable reply
  std::map<std::string, uint64_t> causes;  // "ERR no_devices", "HTTP 500", "transport" ...
  std::vector<std::string> samples;        // first few full error texts
  std::vector<uint32_t> latencies_us;      // successful operations only
  // Per step of a successful upload ("create_open", "PUT", "create_close"), to show where
  // the time goes.
  std::map<std::string, std::vector<uint32_t>> step_us;

  uint64_t errors() const { return tracker_errors + http_errors + transport_errors; }
  void AddError(uint64_t PhaseStats::*counter, const std::string& cause,
                const std::string& detail);
  void Merge(PhaseStats&& other);
};

struct PhaseSummary {
  double elapsed_s = 0;
  double ops_per_s = 0;  // successful operations per second
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Sorts the latencies in place; nearest-rank percentiles.
PhaseSummary Summarize(PhaseStats& stats, double elapsed_s);

// Nearest-rank percentile (q in (0,1]) in ms of an ascending vector; 0 when empty.
double PercentileMs(const std::vector<uint32_t>& sorted, double q);

}  // namespace mog::bench
