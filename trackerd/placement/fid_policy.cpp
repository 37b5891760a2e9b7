#include "trackerd/placement/fid_policy.h"

#include <algorithm>

namespace mog::tracker {

std::vector<uint32_t> CountedCopies(const ClusterSnapshot& snap, const std::vector<uint32_t>& on) {
  std::vector<uint32_t> out;
  for (uint32_t devid : on) {
    const Device* dev = snap.FindDevice(devid);
    if (!dev || !snap.HoldsFiles(*dev)) continue;
    if (std::find(out.begin(), out.end(), devid) == out.end()) out.push_back(devid);
  }
  return out;
}

ReplicationDecision FidPolicy::Decide(const ClusterSnapshot& snap, const std::vector<uint32_t>& on,
                                      const std::set<uint32_t>& failed,
                                      RandomSource& random) const {
  ReplicationInput input;
  input.on_devids = CountedCopies(snap, on);
  input.failed = failed;
  input.class_mindevcount = mindevcount;
  return policy->ReplicateTo(snap, input, random);
}

CopiesVerdict FidPolicy::Judge(const ClusterSnapshot& snap, const std::vector<uint32_t>& on) const {
  // Judging never suggests a destination, so the draw does not matter; a fixed source keeps
  // the verdict a pure function of the snapshot.
  class NoRandom final : public RandomSource {
   public:
    double NextUnit() override { return 0; }
  } random;
  switch (Decide(snap, on, {}, random).kind) {
    case ReplicationDecision::Kind::kAllGood:
      return CopiesVerdict::kSatisfied;
    case ReplicationDecision::Kind::kTooGood:
      return CopiesVerdict::kOverReplicated;
    default:
      return CopiesVerdict::kUnderReplicated;
  }
}

Result<FidPolicy> FidPolicyFor(const ClusterSnapshot& snap, uint32_t dmid, uint32_t classid) {
  const ClassInfo* cls = snap.FindClass(dmid, classid);
  if (!cls) cls = snap.FindClass(dmid, uint32_t{0});
  FidPolicy out;
  out.mindevcount = cls ? cls->row.mindevcount : snap.limits().default_mindevcount;
  out.class_hashtype = cls ? cls->row.hashtype : 0;
  auto policy = ParseReplicationPolicy(cls ? cls->row.replpolicy : std::string());
  if (!policy) return policy.error();
  out.policy = *policy;
  return out;
}

}  // namespace mog::tracker
