// rebal_policy strings (tracker.md §6.8): whitespace-separated key=value, comma lists, only
// the upstream keys. Used by rebalance_set_policy / rebalance_test / rebalance_start to
// validate the policy and pick source and destination devices from the cache.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error/error.h"
#include "trackerd/state/cluster_state.h"

namespace mog::tracker {

struct RebalancePolicy {
  std::map<std::string, std::string> values;  // every key, defaults filled in
  std::map<std::string, std::vector<std::string>> lists;

  std::vector<int64_t> Ids(const std::string& key) const;
  int64_t Num(const std::string& key) const;  // 0 when unset
};

// Unknown key -> Error(kBadRebalPol, "Invalid setting <key>").
Result<RebalancePolicy> ParseRebalancePolicy(std::string_view text);

std::vector<uint32_t> RebalanceSourceDevices(const RebalancePolicy& policy,
                                             const ClusterSnapshot& snap);
std::vector<uint32_t> RebalanceDestDevices(const RebalancePolicy& policy,
                                           const ClusterSnapshot& snap,
                                           const std::vector<uint32_t>& exclude);

// The state saved in rebal_state by rebalance_start before the JobMaster takes over.
std::string InitialRebalanceState(const std::vector<uint32_t>& source_devs, int64_t now);

std::string JoinIds(const std::vector<uint32_t>& ids);

}  // namespace mog::tracker
