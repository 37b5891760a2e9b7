#include "bench/tracker/phase_stats.h"

#include <algorithm>
#include <cmath>

namespace mog::bench {
namespace {

constexpr size_t kMaxSamples = 5;

}  // namespace

double PercentileMs(const std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1] / 1000.0;
}

void PhaseStats::AddError(uint64_t PhaseStats::*counter, const std::string& cause,
                          const std::string& detail) {
  ++(this->*counter);
  ++causes[cause];
  if (samples.size() < kMaxSamples) samples.push_back(detail);
}

void PhaseStats::Merge(PhaseStats&& other) {
  ok += other.ok;
  tracker_errors += other.tracker_errors;
  http_errors += other.http_errors;
  transport_errors += other.transport_errors;
  for (auto& [cause, n] : other.causes) causes[cause] += n;
  for (auto& s : other.samples)
    if (samples.size() < kMaxSamples) samples.push_back(std::move(s));
  latencies_us.insert(latencies_us.end(), other.latencies_us.begin(), other.latencies_us.end());
  for (auto& [step, v] : other.step_us) step_us[step].insert(step_us[step].end(), v.begin(), v.end());
}

PhaseSummary Summarize(PhaseStats& stats, double elapsed_s) {
  std::sort(stats.latencies_us.begin(), stats.latencies_us.end());
  for (auto& [step, v] : stats.step_us) std::sort(v.begin(), v.end());
  PhaseSummary s;
  s.elapsed_s = elapsed_s;
  s.ops_per_s = elapsed_s > 0 ? static_cast<double>(stats.ok) / elapsed_s : 0;
  s.p50_ms = PercentileMs(stats.latencies_us, 0.50);
  s.p99_ms = PercentileMs(stats.latencies_us, 0.99);
  s.max_ms = stats.latencies_us.empty() ? 0 : stats.latencies_us.back() / 1000.0;
  return s;
}

}  // namespace mog::bench
