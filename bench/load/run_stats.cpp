#include "bench/load/run_stats.h"

#include <algorithm>
#include <cmath>

namespace mog::bench {

void RunStats::Merge(RunStats&& other) {
  ok += other.ok;
  status_errors += other.status_errors;
  size_errors += other.size_errors;
  transport_errors += other.transport_errors;
  connections += other.connections;
  body_bytes += other.body_bytes;
  latencies_us.insert(latencies_us.end(), other.latencies_us.begin(), other.latencies_us.end());
  if (first_error.empty()) first_error = std::move(other.first_error);
}

double PercentileUs(const std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least q of all values at or below it.
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

Summary Summarize(RunStats& stats, double elapsed_s) {
  std::sort(stats.latencies_us.begin(), stats.latencies_us.end());
  Summary s;
  s.elapsed_s = elapsed_s;
  if (elapsed_s > 0) {
    s.requests_per_s = static_cast<double>(stats.ok) / elapsed_s;
    s.mb_per_s = static_cast<double>(stats.body_bytes) / 1e6 / elapsed_s;
  }
  s.p50_ms = PercentileUs(stats.latencies_us, 0.50) / 1000.0;
  s.p99_ms = PercentileUs(stats.latencies_us, 0.99) / 1000.0;
  s.max_ms = stats.latencies_us.empty() ? 0 : stats.latencies_us.back() / 1000.0;
  return s;
}

}  // namespace mog::bench
