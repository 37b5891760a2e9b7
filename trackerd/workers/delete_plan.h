// What the Delete worker does with one file_on row of a deleted fid (tracker.md §6.5), decided
// from the cached device/host state alone so the rules are unit-tested without nodes.
#pragma once

#include <optional>

#include "trackerd/state/cluster_state.h"
#include "trackerd/workers/schedules.h"

namespace mog::tracker {

struct DeleteStep {
  enum class Kind {
    kHttpDelete,  // send DELETE to the PUT port; 2xx/404 -> drop the row
    kDropRow,     // dead device: forget the row, no HTTP
    kRetryLater,  // keep the row, reschedule the fid (see `retry`)
  };
  Kind kind = Kind::kRetryLater;
  DeleteRetry retry = DeleteRetry::kNotWriteable;
};

DeleteStep PlanDeleteOnDevice(const ClusterSnapshot& snap, DevId devid);

}  // namespace mog::tracker
