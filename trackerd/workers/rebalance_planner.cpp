#include "trackerd/workers/rebalance_planner.h"

#include <algorithm>

#include "trackerd/query/query_context.h"

namespace mog::tracker {
namespace {

// Upstream gives up on a size budget once less than this is left.
constexpr int64_t kMinSizeBudget = 1024;

}  // namespace

RebalancePlanner::RebalancePlanner(const RebalancePolicy& policy, RebalanceState& state)
    : policy_(policy), state_(state) {
  limit_by_ = policy.values.at("limit_by");
  global_ = policy.values.at("limit_type") == "global";
  descending_ = policy.values.at("fid_age") == "new";
  if (global_ && state_.fids_queued == 0 && state_.bytes_queued == 0) {
    state_.limit = RebalanceLimitBudget(policy_);
  }
}

std::optional<DevId> RebalancePlanner::CurrentSource(bool* started) {
  *started = false;
  if (state_.sdev_current != 0) return state_.sdev_current;
  if (state_.source_devs.empty()) return std::nullopt;
  state_.sdev_current = state_.source_devs.front();
  state_.source_devs.erase(state_.source_devs.begin());
  state_.sdev_lastfid = 0;
  state_.sdev_limit = global_ ? 0 : RebalanceLimitBudget(policy_);
  *started = true;
  return state_.sdev_current;
}

DevId RebalancePlanner::FinishSource() {
  const DevId done = state_.sdev_current;
  if (done != 0) state_.completed_devs.push_back(done);
  state_.sdev_current = 0;
  state_.sdev_lastfid = 0;
  state_.sdev_limit = 0;
  return done;
}

int64_t* RebalancePlanner::Budget() { return global_ ? &state_.limit : &state_.sdev_limit; }
const int64_t* RebalancePlanner::Budget() const {
  return global_ ? &state_.limit : &state_.sdev_limit;
}

bool RebalancePlanner::HasBudget() const {
  if (limit_by_ == "count") return *Budget() > 0;
  if (limit_by_ == "size") return *Budget() >= kMinSizeBudget;
  return true;
}

bool RebalancePlanner::Charge(uint64_t length) {
  int64_t* budget = Budget();
  if (limit_by_ == "count") {
    if (*budget <= 0) return false;
    --*budget;
    return true;
  }
  if (limit_by_ == "size") {
    if (*budget < 0 || length > static_cast<uint64_t>(*budget)) return false;
    *budget -= static_cast<int64_t>(length);
    return true;
  }
  return true;
}

std::vector<DevId> RebalancePlanner::DestinationExclusions() const {
  std::vector<DevId> out = state_.source_devs;
  out.insert(out.end(), state_.completed_devs.begin(), state_.completed_devs.end());
  if (state_.sdev_current != 0) out.push_back(state_.sdev_current);
  return out;
}

std::vector<DevId> RebalancePlanner::PickDestinations(std::vector<DevId> candidates,
                                                      RandomSource& random) const {
  for (size_t i = candidates.size(); i > 1; --i) {
    const size_t j =
        std::min(static_cast<size_t>(random.NextUnit() * static_cast<double>(i)), i - 1);
    std::swap(candidates[i - 1], candidates[j]);
  }
  const std::string& use = policy_.values.at("use_dest_devs");
  if (use != "all") {
    const auto n = static_cast<size_t>(std::max<int64_t>(0, PerlInt(use)));
    if (candidates.size() > n) candidates.resize(n);
  }
  return candidates;
}

void RebalancePlanner::NoteQueued(uint64_t length) {
  ++state_.fids_queued;
  state_.bytes_queued += length;
}

void RebalancePlanner::NoteRound(int64_t now, size_t queued) {
  state_.time_latest_run = now;
  if (queued == 0) {
    ++state_.empty_runs;
    state_.time_latest_empty_run = now;
  }
}

std::optional<std::string> StatusAfterRebalance(DevId devid, bool leave_in_drain_mode,
                                                const std::vector<DevId>& operator_drained) {
  if (leave_in_drain_mode) return std::nullopt;
  if (std::find(operator_drained.begin(), operator_drained.end(), devid) !=
      operator_drained.end()) {
    return std::nullopt;
  }
  return std::string("alive");
}

}  // namespace mog::tracker
