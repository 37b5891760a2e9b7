// rebal_policy strings (tracker.md §6.8): whitespace-separated key=value, comma lists, only
// the upstream keys. Used by rebalance_set_policy / rebalance_test / rebalance_start to
// validate the policy and pick source and destination devices from the cache.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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

// Unknown key -> Error(kBadRebalPol, "Invalid setting <key>"). Values upstream only chokes on
// once the run has started (limit_by, limit_type, fid_age, use_dest_devs, a size limit that is
// not N[bkmgtp]) are refused here with a clear text instead. A list key given without a value
// ("to_devices=") is, as upstream, a list of one empty member: it matches no device.
Result<RebalancePolicy> ParseRebalancePolicy(std::string_view text);

// "100", "10k", "5G" (1024-based, case-insensitive suffix b/k/m/g/t/p) -> bytes; nullopt for
// anything else.
std::optional<int64_t> HumanToBytes(std::string_view text);
// The budget a limit starts with: a fid count (limit_by=count), bytes (size), 0 for none.
int64_t RebalanceLimitBudget(const RebalancePolicy& policy);

std::vector<uint32_t> RebalanceSourceDevices(const RebalancePolicy& policy,
                                             const ClusterSnapshot& snap);
std::vector<uint32_t> RebalanceDestDevices(const RebalancePolicy& policy,
                                           const ClusterSnapshot& snap,
                                           const std::vector<uint32_t>& exclude);

// The state saved in rebal_state by rebalance_start before the JobMaster takes over. With a
// policy, a global limit starts at its budget (upstream leaves it 0, so a global limit never
// lets anything through).
std::string InitialRebalanceState(const std::vector<uint32_t>& source_devs, int64_t now);
std::string InitialRebalanceState(const RebalancePolicy& policy,
                                  const std::vector<uint32_t>& source_devs, int64_t now);

std::string JoinIds(const std::vector<uint32_t>& ids);

}  // namespace mog::tracker
