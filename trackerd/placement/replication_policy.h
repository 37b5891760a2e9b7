// Replication policies (tracker.md §6.4): given where a fid's copies are, decide whether it is
// replicated enough, too much, or where the next copy should go. Pure decisions over a
// ClusterSnapshot, tested with upstream's one-line cluster notation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/error/error.h"
#include "trackerd/placement/random_source.h"
#include "trackerd/state/cluster_state.h"

namespace mog::tracker {

struct ReplicationInput {
  std::vector<uint32_t> on_devids;  // devices holding the fid (dead ones are ignored)
  std::set<uint32_t> failed;        // destinations that failed this round
  int class_mindevcount = 2;        // used when the policy's own N is empty/0
  // Upstream's `all_devs`: the devices the policy may count and suggest. Unset = every device
  // in the snapshot; rebalance passes its destination candidates (target_devids), which also
  // changes how many hosts/disks the policy believes exist. Masking a source and avoiding
  // devices stay the caller's job (leave masked devids out of on_devids, filter suggestions).
  std::optional<std::set<uint32_t>> all_devids;
};

struct ReplicationDecision {
  enum class Kind {
    kAllGood,       // satisfied
    kTooGood,       // over-replicated
    kNoAnswer,      // not satisfied, but no destination to suggest now (retry later)
    kCopy,          // copy to the first of `ideal`, else the first of `desperate`
  };
  Kind kind = Kind::kNoAnswer;
  std::vector<uint32_t> ideal;
  std::vector<uint32_t> desperate;

  bool satisfied() const { return kind == Kind::kAllGood || kind == Kind::kTooGood; }
  // Upstream's test form: "all_good", "too_good", "temp_fail", "ideal(3,4)", "desperate(2)"
  // (devids sorted).
  std::string ToString() const;
};

class ReplicationPolicy {
 public:
  virtual ~ReplicationPolicy() = default;
  virtual ReplicationDecision ReplicateTo(const ClusterSnapshot& snapshot,
                                          const ReplicationInput& input,
                                          RandomSource& random) const = 0;
  // The policy's own N ("MultipleHosts(3)" → 3); 0 = use the class mindevcount.
  virtual int explicit_min() const = 0;
  // Canonical text, e.g. "MultipleHosts(3)".
  virtual std::string ToString() const = 0;
};

// Parses class.replpolicy. Empty → MultipleHosts(). Grammar as upstream: a leading `[\w:]+`
// class name (`MogileFS::ReplicationPolicy::` prefix optional), then `(\s*\d*\s*)`; trailing
// text ignored; `Union(p1, p2, ...)` parses but cannot replicate. Unknown classes and bad
// argument lists → Errc::kInvalidReplpolicy with upstream-like text.
Result<std::shared_ptr<const ReplicationPolicy>> ParseReplicationPolicy(std::string_view text);

// The two shipped policies, for direct use in tests and callers.
class MultipleHostsPolicy final : public ReplicationPolicy {
 public:
  explicit MultipleHostsPolicy(int n = 0) : n_(n) {}
  ReplicationDecision ReplicateTo(const ClusterSnapshot& snapshot, const ReplicationInput& input,
                                  RandomSource& random) const override;
  int explicit_min() const override { return n_; }
  std::string ToString() const override;

 private:
  int n_;
};

class MultipleDevicesPolicy final : public ReplicationPolicy {
 public:
  explicit MultipleDevicesPolicy(int n = 0) : n_(n) {}
  ReplicationDecision ReplicateTo(const ClusterSnapshot& snapshot, const ReplicationInput& input,
                                  RandomSource& random) const override;
  int explicit_min() const override { return n_; }
  std::string ToString() const override;

 private:
  int n_;
};

}  // namespace mog::tracker
