// Removes the hidden temp files that uploads interrupted by a crash (kill -9, power loss)
// leave below dev<N>/. A PUT writes ".<name>.<16 hex>.tmp" beside its target and renames it
// only when complete, so such a file is never a finished upload; one older than this
// process cannot belong to an upload still in progress (only this process writes temps).
// Upstream's mogstored leaves its partial files behind forever.
//
// The walk runs on its own low-priority thread at start-up: a docroot holds millions of files
// and the node must serve at once. It stops early when asked (shutdown).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>

namespace mog::storage {

// True for names AtomicFile gives its temp files: ".<target>.<16 lowercase hex>.tmp".
bool IsUploadTempName(std::string_view name);

struct SweepStats {
  uint64_t dirs = 0;
  uint64_t removed = 0;
  uint64_t failed = 0;  // unlink errors (logged)
};

using SweepClock = std::chrono::system_clock;

// Walks every dev<N> directory below `docroot` (following dev<N> itself when it is a
// symlink, nothing below it) and unlinks temp files whose mtime is before `cutoff`.
// `stop` is polled between entries.
SweepStats SweepStaleTemps(const std::string& docroot, SweepClock::time_point cutoff,
                           const std::atomic<bool>& stop);

// The cutoff for a process starting now, before it listens: file times come from the
// kernel's coarse clock (a tick behind), so a margin keeps this run's own first uploads safe;
// a leftover younger than the margin simply waits for the next start.
SweepClock::time_point SweepCutoffAtStart();

// Runs SweepStaleTemps once in the background and logs what it removed.
class StaleTempSweeper {
 public:
  StaleTempSweeper(std::string docroot, SweepClock::time_point cutoff);
  ~StaleTempSweeper();  // asks the walk to stop and joins it
  StaleTempSweeper(const StaleTempSweeper&) = delete;
  StaleTempSweeper& operator=(const StaleTempSweeper&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace mog::storage
