// The replication rule one fid is held to (its class's policy, mindevcount and hashtype) and
// the one question fsck and the replicator both ask of it: do these copies satisfy it? Both
// load the rule and judge copies here, so fsck never calls a violation what the replicator
// would leave alone (a fid with copies on two alive hosts while a third host is down and its
// device dead is satisfied for both).
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error/error.h"
#include "trackerd/placement/random_source.h"
#include "trackerd/placement/replication_policy.h"
#include "trackerd/state/cluster_state.h"

namespace mog::tracker {

enum class CopiesVerdict {
  kSatisfied,        // the policy is met exactly
  kOverReplicated,   // met with copies to spare
  kUnderReplicated,  // not met (whether or not a destination exists now)
};

struct FidPolicy {
  std::shared_ptr<const ReplicationPolicy> policy;
  int mindevcount = 2;
  int class_hashtype = 0;  // kHashNone / kHashMd5 / kHashSha1

  // The policy's decision for a fid on `on` (every file_on devid: devices unknown to the cache
  // or dead are not copies, as upstream), with `failed` destinations excluded this round.
  ReplicationDecision Decide(const ClusterSnapshot& snap, const std::vector<uint32_t>& on,
                             const std::set<uint32_t>& failed, RandomSource& random) const;
  CopiesVerdict Judge(const ClusterSnapshot& snap, const std::vector<uint32_t>& on) const;
};

// The rule of class (dmid, classid), falling back to the domain's default class (a class
// deleted since the file was stored), else the tracker's default mindevcount. An error when
// the class's replpolicy does not parse.
Result<FidPolicy> FidPolicyFor(const ClusterSnapshot& snap, uint32_t dmid, uint32_t classid);

// The devids of `on` that count as copies: known to the cache and not dead, no repeats.
std::vector<uint32_t> CountedCopies(const ClusterSnapshot& snap, const std::vector<uint32_t>& on);

}  // namespace mog::tracker
