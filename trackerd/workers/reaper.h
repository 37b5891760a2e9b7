// The Reaper (tracker.md §6.6): for each device marked `dead`, moves its fids from file_on to
// the replication queue (INSERT IGNORE file_to_replicate first, then the file_on row goes, so a
// crash in between loses nothing), at most queue_rate_for_reaper per pass under mgfs:reaper.
#pragma once

#include <chrono>
#include <map>

#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/schedules.h"
#include "trackerd/workers/worker_options.h"
#include "trackerd/workers/worker_thread.h"

namespace mog::tracker {

// One pass over one dead device; returns the number of fids requeued (-1 on a DB error or when
// the lock was busy).
int ReapDevice(Store& store, const ClusterSnapshot& snap, DevId devid);

class Reaper {
 public:
  Reaper(StoreFactory& factory, ClusterState& state, const WorkerOptions& options);
  ~Reaper() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }
  WorkerThread& thread() { return thread_; }

 private:
  struct DeviceReaping {
    std::chrono::steady_clock::time_point first_seen;
    std::chrono::steady_clock::time_point next_pass;
    ReaperBackoff backoff;
    bool given_up = false;
  };
  void Loop(WorkerThread& thread);

  StoreFactory& factory_;
  ClusterState& state_;
  const WorkerOptions& options_;
  std::map<DevId, DeviceReaping> reaping_;
  WorkerThread thread_;
};

}  // namespace mog::tracker
