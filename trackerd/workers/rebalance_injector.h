// Rebalance feeding (tracker.md §6.8), run by the JobMaster of the tracker named by the
// rebal_host setting. Each round: honour rebal_signal=stop; take the current (or next) source
// device and make sure it is `drain` in the database; page through its file_on fids from the
// saved cursor (queue_rate_for_rebal per round while fewer than queue_size_for_rebal type-2 rows
// wait), charge the policy limit, and queue file_to_queue rows (type 2, devid = source,
// arg = destination candidates). An exhausted device (or spent limit) is completed and its
// status restored; with no source left the run finishes. rebal_state is saved every round in
// upstream's format, so either tracker can carry on a run the other started.
//
// Which source devices were already `drain` before the run took them (the operator's drain,
// to be left alone afterwards) is remembered in the extra setting `rebal_operator_drain`
// (comma list of devids): rebal_state itself must keep upstream's keys only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "trackerd/placement/random_source.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

inline constexpr std::string_view kOperatorDrainSetting = "rebal_operator_drain";

class RebalanceInjector {
 public:
  using Clock = std::function<int64_t()>;  // epoch seconds (the state's times)
  explicit RebalanceInjector(std::string hostname, Clock clock = nullptr,
                             RandomSource& random = GlobalRandom());

  // Does nothing unless rebal_host equals this tracker's hostname. Returns whether rows were
  // queued. Control keys are read from the database, not the cache.
  bool RunIfOwner(Store& store, const ClusterSnapshot& snap);

 private:
  std::string hostname_;
  Clock clock_;
  RandomSource& random_;
  int64_t last_no_dest_log_ = 0;
};

}  // namespace mog::tracker
