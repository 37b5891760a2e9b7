#include "trackerd/workers/delete_plan.h"

namespace mog::tracker {

DeleteStep PlanDeleteOnDevice(const ClusterSnapshot& snap, DevId devid) {
  const Device* dev = snap.FindDevice(devid);
  // Upstream leaves rows of unknown devices alone; we keep them and look again much later.
  if (!dev) return {DeleteStep::Kind::kRetryLater, DeleteRetry::kUnknownDevice};
  if (dev->status == DeviceStatus::kDead) return {DeleteStep::Kind::kDropRow, {}};
  if (dev->observed != DeviceObserved::kWriteable) {
    return {DeleteStep::Kind::kRetryLater, DeleteRetry::kNotWriteable};
  }
  if (!snap.IsDeletable(*dev)) return {DeleteStep::Kind::kRetryLater, DeleteRetry::kNotDeletable};
  return {DeleteStep::Kind::kHttpDelete, {}};
}

}  // namespace mog::tracker
