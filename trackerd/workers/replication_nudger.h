// Makes backed-off replication due at once when a device comes back. Replication that fails
// while a node is away is rescheduled by failcount (15 s, 60 s, 300 s, ... as upstream), so
// after an outage of more than ~15 s files stayed below mindevcount for a minute or more
// after the node had returned. This watches the Monitor's observations and, when a device
// that was seen unreachable (or read-only) is observed writeable again, runs what the
// `replicate_now` command runs (Store::ReplicateNow): every delayed file_to_replicate row
// becomes due. Rows a JobMaster has leased may then be claimed twice; the per-fid replicate
// lock serialises the two and the second finds nothing left to do.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <vector>

#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/worker_thread.h"

namespace mog::tracker {

// Devices observed writeable in `now` whose previous observation (in `before`) was
// unreachable or readable. Devices never observed before (start-up) do not count.
std::vector<uint32_t> ReturnedDevices(const std::map<uint32_t, DeviceObserved>& before,
                                      const ClusterSnapshot& now);
// The observed state of every device in `snap`.
std::map<uint32_t, DeviceObserved> ObservedDevices(const ClusterSnapshot& snap);

class ReplicationNudger {
 public:
  ReplicationNudger(ClusterState& state, StoreFactory& factory,
                    std::chrono::milliseconds poll = std::chrono::milliseconds(500));

  void Start();
  void Stop();

 private:
  void Loop(WorkerThread& thread);

  ClusterState& state_;
  StoreFactory& factory_;
  std::chrono::milliseconds poll_;
  WorkerThread thread_;  // last member: joined before the rest is destroyed
};

}  // namespace mog::tracker
