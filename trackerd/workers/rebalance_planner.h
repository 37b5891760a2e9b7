// The pure rules of a rebalance run (tracker.md §6.8), apart from the database so they are
// unit-tested: which source device is being emptied, how a policy limit is charged, which
// destinations a queued fid may go to, and what state a source device returns to.
//
// Where we differ from upstream on purpose:
//  * limit_by=count lets exactly `limit` fids through (upstream's post-decrement goes negative
//    and, being true again, lets almost everything through);
//  * limit_type=global starts from the policy's limit (upstream never initialises it, so a
//    global limit queues nothing);
//  * a source device the operator had already set to `drain` stays `drain` when the run is
//    done with it or is stopped; one the run drained itself goes back to `alive` on stop too
//    (upstream forgets it there).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "trackerd/placement/random_source.h"
#include "trackerd/query/rebalance_policy.h"
#include "trackerd/workers/rebalance_state.h"

namespace mog::tracker {

class RebalancePlanner {
 public:
  // `state` is read and updated in place. A global limit is (re)started from the policy when
  // the run has not queued anything yet: this is how a state written by upstream (limit=0)
  // gets a working global limit.
  RebalancePlanner(const RebalancePolicy& policy, RebalanceState& state);

  // The device being emptied. With none in progress, takes the next of source_devs, with its
  // cursor at the start and (limit_type=device) a fresh limit; `*started` tells whether that
  // happened. nullopt = no source left: the run is over.
  std::optional<DevId> CurrentSource(bool* started);
  // The current device is done (exhausted or out of budget): it joins completed_devs and the
  // cursor/limit are cleared. Returns its id (0 if none was current).
  DevId FinishSource();

  // Before a page of fids: false when the budget cannot let anything more through (count 0,
  // or less than 1 KiB of a size limit left).
  bool HasBudget() const;
  // Charges one fid of `length` bytes; false = it does not fit (skipped, budget unchanged).
  bool Charge(uint64_t length);

  // Devices never used as destinations: sources pending, completed and current.
  std::vector<DevId> DestinationExclusions() const;
  // The destination list queued with one fid: the candidates shuffled, all of them or the
  // first use_dest_devs.
  std::vector<DevId> PickDestinations(std::vector<DevId> candidates, RandomSource& random) const;

  // Paging direction: fid_age=new walks the device from the highest fid down.
  bool descending() const { return descending_; }
  // Counts one queued fid into fids_queued / bytes_queued.
  void NoteQueued(uint64_t length);
  // After a page: time_latest_run, and the empty-run counters when nothing was queued.
  void NoteRound(int64_t now, size_t queued);

 private:
  int64_t* Budget();
  const int64_t* Budget() const;

  const RebalancePolicy& policy_;
  RebalanceState& state_;
  std::string limit_by_;
  bool global_ = false;
  bool descending_ = false;
};

// The status a source device gets once the run is done with it or stopped: "alive", or
// nullopt to leave it as it is (leave_in_drain_mode, or the operator had drained it).
std::optional<std::string> StatusAfterRebalance(DevId devid, bool leave_in_drain_mode,
                                                const std::vector<DevId>& operator_drained);

}  // namespace mog::tracker
