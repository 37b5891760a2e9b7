// get_paths ordering (tracker.md §2.2 get_paths steps 3–5): which devices to offer a reader,
// in which order. Pure; the caller does the HEAD checks while walking `candidates`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "trackerd/placement/random_source.h"
#include "trackerd/state/cluster_state.h"

namespace mog::tracker {

// Weight of a device for reads: 102 − utilization when the observed utilization is a whole
// number ("52"; iostat's "52.55" is not), else the weight column; 0/unset → 100. A negative
// weight column drops the device (upstream's weighted_list ignores weights <= 0).
double ReadWeight(const Device& dev);

struct ReadCandidate {
  uint32_t devid = 0;
  bool drain = false;  // offered only after every non-drain path
};

struct ReadPlan {
  // Readable devices in weighted-random order. Walk them: until one is accepted, HEAD each
  // (unless noverify) and skip size mismatches; drain ones are set aside, then appended.
  std::vector<ReadCandidate> candidates;
  // The last unreadable device seen: a last-resort single path when nothing else qualifies.
  std::optional<uint32_t> backup;
  // devids not in the cache (upstream fails the command with `failure`).
  std::vector<uint32_t> unknown;
};

ReadPlan PlanReadPaths(const ClusterSnapshot& snapshot, const std::vector<uint32_t>& devids,
                       RandomSource& random);

}  // namespace mog::tracker
