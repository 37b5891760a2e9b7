// The workers' pure timing rules (tracker.md §6.2, §6.3, §6.5, §6.6), apart from any clock or
// database so they are unit-tested as tables.
#pragma once

#include <cstdint>
#include <optional>

namespace mog::tracker {

// Replication backoff before jitter: 15, 60, 300, 1800, 3600, 7200, 14400, 28800 s by the
// row's failcount, then 86400 s.
int64_t ReplicateBackoffSeconds(int failcount);
// d · jitter (jitter uniform in 0.8…1.2, passed in) · scale, rounded, at least 1 s.
int64_t JitteredDelay(int64_t base_seconds, double jitter, double scale = 1.0);

// Why the Delete worker postpones a fid (§6.5).
enum class DeleteRetry {
  kNotWriteable,   // device not observed writeable: 60·(10+failcount)
  kNotDeletable,   // host/device state forbids deleting: 3600·(1+failcount)
  kHttpFailed,     // DELETE answered something other than 2xx/404: 1800·(1+failcount)
  kUnknownDevice,  // file_on names a devid the cache does not know: as kNotDeletable
};
// The delay in seconds, multiplied by `scale` (tests) and at least 1 s.
int64_t DeleteRetrySeconds(DeleteRetry why, int failcount, double scale = 1.0);

// JobMaster batch sizing (§6.2): start at 100; fetch when the worker queue is empty (and then
// grow the batch by 50 up to the limit) or under 70 % of the batch; back to 100 when a claim
// found nothing.
class BatchSizer {
 public:
  static constexpr int kInitial = 100;
  // How many rows to claim now, 0 = the workers have enough.
  int WantFetch(size_t queued, int limit);
  void Found(bool any);
  int batch() const { return batch_; }

 private:
  int batch_ = kInitial;
};

// Reaper pacing for one dead device (§6.6): 5 s while passes find fids, else 60, 120, 240 …
// s; nullopt = give up (the next delay would go beyond 7200 s).
class ReaperBackoff {
 public:
  // Seconds until the next pass, given whether this pass found fids.
  std::optional<int64_t> Next(bool found);

 private:
  int64_t empty_delay_ = 0;
};

}  // namespace mog::tracker
