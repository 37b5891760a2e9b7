#include "trackerd/workers/schedules.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace mog::tracker {

int64_t ReplicateBackoffSeconds(int failcount) {
  static constexpr int64_t kDelays[] = {15, 60, 300, 1800, 3600, 7200, 14400, 28800};
  if (failcount < 0) failcount = 0;
  if (static_cast<size_t>(failcount) < std::size(kDelays)) return kDelays[failcount];
  return 86400;
}

int64_t JitteredDelay(int64_t base_seconds, double jitter, double scale) {
  const double d = static_cast<double>(base_seconds) * jitter * scale;
  return std::max<int64_t>(1, std::llround(d));
}

int64_t DeleteRetrySeconds(DeleteRetry why, int failcount, double scale) {
  const int64_t n = std::max(failcount, 0);
  int64_t d = 0;
  switch (why) {
    case DeleteRetry::kNotWriteable:
      d = 60 * (10 + n);
      break;
    case DeleteRetry::kNotDeletable:
    case DeleteRetry::kUnknownDevice:
      d = 3600 * (1 + n);
      break;
    case DeleteRetry::kHttpFailed:
      d = 1800 * (1 + n);
      break;
  }
  return std::max<int64_t>(1, std::llround(static_cast<double>(d) * scale));
}

int BatchSizer::WantFetch(size_t queued, int limit) {
  if (limit < 1) limit = 1;
  if (queued == 0) {
    const int now = std::min(batch_, limit);
    batch_ = std::min(batch_ + 50, std::max(limit, kInitial));
    return now;
  }
  if (static_cast<double>(queued) < 0.7 * static_cast<double>(std::min(batch_, limit))) {
    return std::min(batch_, limit);
  }
  return 0;
}

void BatchSizer::Found(bool any) {
  if (!any) batch_ = kInitial;
}

std::optional<int64_t> ReaperBackoff::Next(bool found) {
  if (found) {
    empty_delay_ = 0;
    return 5;
  }
  empty_delay_ = empty_delay_ == 0 ? 60 : empty_delay_ * 2;
  if (empty_delay_ > 7200) return std::nullopt;
  return empty_delay_;
}

}  // namespace mog::tracker
