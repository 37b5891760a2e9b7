// Where create_open puts a new file (tracker.md §2.2 create_open steps 2–4). Pure: reads a
// cluster snapshot, no DB, no network.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "trackerd/placement/random_source.h"
#include "trackerd/state/cluster_state.h"

namespace mog::tracker {

struct CreateDestRequest {
  std::optional<uint64_t> size;  // bytes the client announced (filters devices only)
  bool multi_dest = false;       // up to kMaxMultiDest destinations instead of 1
};

inline constexpr size_t kMaxMultiDest = 3;
inline constexpr size_t kPlacementTopN = 20;  // only the emptiest devices are weight-shuffled

// Devices for a new file, best first; empty → no_devices.
//  * With a size: devices whose known free space exceeds it; if none, devices with unknown
//    free space.
//  * Then: devices that get new files (§5), sorted by percent free, top 20, weighted random
//    by 100·percent_free (unknown usage or 0 % free → weight 0 → never chosen).
//  * multi_dest: up to 3 devices on different hosts. (Upstream's host filter compares a devid
//    with a hostid and so lets several copies land on one host; we honour the intent.)
std::vector<uint32_t> SelectCreateDevices(const ClusterSnapshot& snapshot,
                                          const CreateDestRequest& request,
                                          RandomSource& random);

// The "top 20 by percent free, weighted random by 100·percent_free" step shared with the
// replication policies; devices must be candidates already.
std::vector<uint32_t> WeightedByFreeSpace(const ClusterSnapshot& snapshot,
                                          std::vector<uint32_t> devids, RandomSource& random);

}  // namespace mog::tracker
