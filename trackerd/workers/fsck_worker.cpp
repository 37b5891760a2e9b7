#include "trackerd/workers/fsck_worker.h"

#include <map>
#include <set>

#include "common/log/logging.h"
#include "trackerd/placement/fid_policy.h"
#include "trackerd/query/checksum_text.h"
#include "trackerd/workers/device_urls.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/worker_db_errors.h"

namespace mog::tracker {
struct FsckChecker::Ctx {
  FileRow file;
  std::vector<DevId> on;  // every file_on row
  FidPolicy rule;         // the class's policy, exactly as the replicator judges it
  std::optional<std::string> fsck_checksum;  // setting: "MD5" / "SHA-1" / "off" / unset
  std::optional<ChecksumRow> checksum;

  bool PolicyOk(const ClusterSnapshot& snap) const {
    return rule.Judge(snap, on) == CopiesVerdict::kSatisfied;
  }
  // Digest algorithm for the checksum pass: class hashtype, else an fsck_checksum algorithm.
  std::optional<DigestAlg> Alg() const {
    if (auto a = DigestAlgOfHashtype(rule.class_hashtype)) return a;
    if (fsck_checksum) return ParseDigestAlg(*fsck_checksum);
    return std::nullopt;
  }
};

void FsckChecker::Log(Fid fid, std::string_view evcode, std::optional<DevId> devid) {
  CheckedDb(store_.AddFsckLog(fid, evcode, devid), "fsck", fid,
            "fsck_log insert (" + std::string(evcode) + ")");
}

FsckResult FsckChecker::Stalled(const ClusterSnapshot& snap, DevId devid) {
  // Upstream's words: `!watch` clients (and upstream's t/60-fsck.t) wait for them.
  Logger("fsck")->warn("Connectivity problem reaching device {} on host {}", devid,
                       DeviceHostIp(snap, devid));
  return FsckResult::kStall;
}

void FsckChecker::Forget(Fid fid, DevId devid) {
  CheckedDb(store_.RemoveFileOn(fid, devid), "fsck", fid,
            "file_on removal of dev" + std::to_string(devid));
}

void FsckChecker::RecountDevcount(const ClusterSnapshot& snap, Fid fid) {
  if (snap.SettingTrue("skip_devcount")) return;
  CheckedDb(store_.UpdateDevcount(fid), "fsck", fid, "devcount update");
}

FsckResult FsckChecker::Check(const ClusterSnapshot& snap, Fid fid) {
  auto file = store_.FileByFid(fid);
  if (!file) return FsckResult::kDbError;
  if (!*file) return FsckResult::kDone;
  Ctx ctx;
  ctx.file = **file;
  auto on = store_.GetFileOn(fid);
  if (!on) return FsckResult::kDbError;
  ctx.on = *on;
  auto rule = FidPolicyFor(snap, ctx.file.dmid, ctx.file.classid);
  if (!rule) return FsckResult::kDone;  // nothing sensible to check against
  ctx.rule = *rule;
  auto fc = store_.GetServerSetting("fsck_checksum");
  if (!fc) return FsckResult::kDbError;
  if (*fc) ctx.fsck_checksum = **fc;
  auto checksum = store_.GetChecksum(fid);
  if (!checksum) return FsckResult::kDbError;
  ctx.checksum = *checksum;

  if (ctx.on.empty()) return Fix(snap, ctx, "NOPA");
  // A copy on a dead device (not reaped yet) is a bad copy, not a policy violation: the fix
  // forgets it and queues re-replication, logging only the REPL, as upstream (whose fast-path
  // policy check still counts that copy, t/60-fsck.t).
  for (DevId devid : ctx.on) {
    const Device* dev = snap.FindDevice(devid);
    if (dev && !snap.HoldsFiles(*dev)) return Fix(snap, ctx, "");
  }
  if (!ctx.PolicyOk(snap)) return Fix(snap, ctx, "POVI");
  if (ctx.file.devcount != static_cast<int>(ctx.on.size()) && !snap.SettingTrue("skip_devcount")) {
    Log(fid, "BCNT");
    RecountDevcount(snap, fid);
  }
  if (ctx.rule.class_hashtype != kHashNone && !ctx.checksum) return Fix(snap, ctx, "");
  auto policy_only = store_.GetServerSetting("fsck_opt_policy_only");
  if (!policy_only) return FsckResult::kDbError;
  if (*policy_only && **policy_only == "1") return FsckResult::kDone;
  if (ctx.fsck_checksum && ParseDigestAlg(*ctx.fsck_checksum)) return Fix(snap, ctx, "");

  for (DevId devid : ctx.on) {
    const Device* dev = snap.FindDevice(devid);
    if (!dev || !snap.HoldsFiles(*dev)) return Fix(snap, ctx, "");
    auto url = FidGetUrl(snap, devid, fid);
    if (!url) return Fix(snap, ctx, "");
    auto head = nodes_.HeadSize(*url);
    if (!head) return Stalled(snap, devid);
    if (head->missing() || head->content_length.value_or(UINT64_MAX) != ctx.file.length) {
      return Fix(snap, ctx, "");
    }
  }
  if (ctx.rule.class_hashtype != kHashNone && ctx.fsck_checksum.value_or("") != "off") {
    return Fix(snap, ctx, "");
  }
  return FsckResult::kDone;
}

FsckResult FsckChecker::Fix(const ClusterSnapshot& snap, Ctx& ctx, const std::string& reason) {
  const Fid fid = ctx.file.fid;
  ScopedNamedLock lock(store_, "mgfs:fid:" + std::to_string(fid) + ":replicate");
  auto got = lock.Acquire(1);
  if (!got) return FsckResult::kDbError;
  if (!*got) return FsckResult::kStall;

  // Re-read under the lock: replication may have fixed it meanwhile.
  auto on = store_.GetFileOn(fid);
  if (!on) return FsckResult::kDbError;
  ctx.on = *on;
  if (reason == "NOPA" && !ctx.on.empty()) return FsckResult::kDone;
  if (reason == "POVI" && ctx.PolicyOk(snap)) return FsckResult::kDone;
  if (!reason.empty()) Log(fid, reason);

  const auto alg = ctx.Alg();
  std::vector<DevId> bad;
  std::map<DevId, std::string> good;  // devid -> digest hex ("" without an algorithm)
  for (DevId devid : ctx.on) {
    const Device* dev = snap.FindDevice(devid);
    if (!dev) continue;  // unknown device: leave its row alone
    if (!snap.HoldsFiles(*dev)) {
      bad.push_back(devid);
      continue;
    }
    auto url = FidGetUrl(snap, devid, fid);
    if (!url) return FsckResult::kStall;
    auto head = nodes_.HeadSize(*url);
    if (!head) return Stalled(snap, devid);
    if (head->missing()) {
      Log(fid, "MISS", devid);
      bad.push_back(devid);
      continue;
    }
    if (head->content_length.value_or(UINT64_MAX) != ctx.file.length) {
      Log(fid, "BLEN", devid);
      bad.push_back(devid);
      continue;
    }
    std::string hex;
    if (alg) {
      DigestRequest req;
      req.host_ip = DeviceHostIp(snap, devid);
      req.side_port = options_.mogstored_stream_port;
      req.get_url = *url;
      req.alg = *alg;
      req.reason = "fsck";
      req.size = ctx.file.length;
      auto digest = nodes_.Digest(req);
      if (!digest) return Stalled(snap, devid);
      if (digest->missing) {
        Log(fid, "MISS", devid);
        bad.push_back(devid);
        continue;
      }
      hex = digest->hex;
    }
    good[devid] = hex;
  }

  if (good.empty()) {
    Log(fid, "SRCH");
    std::set<DevId> tried(ctx.on.begin(), ctx.on.end());
    for (const auto& [devid, dev] : snap.devices()) {
      if (tried.count(devid) || !snap.HoldsFiles(dev)) continue;
      auto url = FidGetUrl(snap, devid, fid);
      if (!url) continue;
      auto head = nodes_.HeadSize(*url);
      if (head && !head->missing() &&
          head->content_length.value_or(UINT64_MAX) == ctx.file.length) {
        if (!CheckedDb(store_.AddFileOn(fid, devid), "fsck", fid,
                       "file_on insert of found copy on dev" + std::to_string(devid))) {
          return FsckResult::kDbError;
        }
        Log(fid, "FOND", devid);
        good[devid] = "";
        break;
      }
    }
    if (good.empty()) {
      for (DevId d : bad) Forget(fid, d);
      RecountDevcount(snap, fid);
      Log(fid, "GONE");
      return FsckResult::kDone;
    }
  }
  for (DevId d : bad) Forget(fid, d);

  if (alg) ReconcileChecksums(ctx, *alg, good);

  auto now_on = store_.GetFileOn(fid);
  if (!now_on) return FsckResult::kDbError;
  ctx.on = *now_on;
  if (!ctx.PolicyOk(snap)) {
    // Due at once, even if the row was parked or backing off.
    if (CheckedDb(store_.EnqueueReplicate(fid, std::nullopt, NextTry::In(1)), "fsck", fid,
                  "replication enqueue") &&
        CheckedDb(store_.RescheduleReplicate(fid, NextTry::In(1), false), "fsck", fid,
                  "replication reschedule")) {
      Log(fid, "REPL");
    }
  }
  RecountDevcount(snap, fid);
  return FsckResult::kDone;
}

// Checksums (tracker.md §6.9). The stored row is the reference whenever there is one: a copy
// that matches it is never touched; when at least one copy matches, the copies that differ
// are forgotten (named in the tracker log) so that re-replication copies a good one over them
// (fsck_log: the REPL, exactly as upstream). When no copy matches (e.g. the only copy went bad)
// they are reported (BSUM) and kept: they are all there is, and the replicator refuses to copy
// them (its stream must match the row). Without a
// row, copies that agree create it (NSUM) when the class has a hashtype; copies that disagree
// cannot be judged and are all kept: MSUM when the fsck_checksum setting is set (an algorithm,
// or upstream's "off"), else BSUM.
void FsckChecker::ReconcileChecksums(Ctx& ctx, DigestAlg alg,
                                     const std::map<DevId, std::string>& good) {
  const Fid fid = ctx.file.fid;
  std::set<std::string> distinct;
  for (const auto& [d, hex] : good) {
    if (!hex.empty()) distinct.insert(hex);
  }
  if (distinct.empty()) return;  // only a copy found by the search, not digested
  if (ctx.checksum) {
    if (ctx.checksum->hashtype != HashtypeOfDigestAlg(alg)) {
      // Digests of another algorithm cannot be compared with the row.
      Log(fid, distinct.size() == 1 ? "BALG" : "BSUM");
      return;
    }
    const std::string stored = HexLower(ctx.checksum->checksum);
    if (distinct.count(stored) == 0) {
      // No copy to repair from: one BSUM row, as upstream, naming the device when only one
      // copy is in question.
      std::optional<DevId> only;
      if (good.size() == 1) only = good.begin()->first;
      Log(fid, "BSUM", only);
      return;
    }
    // Upstream logs nothing here but the REPL that follows; the tracker log names the devices.
    for (const auto& [d, hex] : good) {
      if (hex.empty() || hex == stored) continue;
      Logger("fsck")->warn("fid {}: copy on dev{} has {} {}, the stored checksum is {}; "
                           "forgotten, re-replicated from a good copy",
                           fid, d, DigestAlgName(alg), hex, stored);
      Forget(fid, d);
    }
    return;
  }
  if (distinct.size() == 1) {
    if (ctx.rule.class_hashtype == kHashNone) return;  // fsck_checksum mode: nothing to store
    if (auto raw = HexToBytes(*distinct.begin())) {
      if (CheckedDb(store_.SetChecksum({fid, ctx.rule.class_hashtype, *raw}), "fsck", fid,
                    "checksum insert")) {
        Log(fid, "NSUM");
      }
    }
    return;
  }
  Log(fid, ctx.fsck_checksum && (*ctx.fsck_checksum == "off" || ParseDigestAlg(*ctx.fsck_checksum))
               ? "MSUM"
               : "BSUM");
}

FsckWorker::FsckWorker(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
                       WorkQueue<QueueRow>& queue, const WorkerOptions& options)
    : factory_(factory), state_(state), nodes_(nodes), queue_(queue), options_(options) {}

void FsckWorker::Start() {
  thread_.Start("fsck", [this](WorkerThread& t) { Loop(t); });
}

void FsckWorker::Loop(WorkerThread& thread) {
  auto store = ConnectStore(factory_, thread, "fsck");
  if (!store) return;
  FsckChecker checker(*store, nodes_, options_);
  while (!thread.stopping()) {
    auto item = queue_.Pop(options_.fsck_poll);
    if (!item) continue;
    CheckedDb(RenewQueueLease(*store, item->fid, kQueueTypeFsck, options_.claim_lease), "fsck",
              item->fid, "lease renewal");
    const FsckResult r = checker.Check(*state_.Snapshot(), item->fid);
    if (r == FsckResult::kDone) {
      CheckedDb(store->DequeueQueueRow(item->fid, kQueueTypeFsck), "fsck", item->fid,
                "fsck queue row removal");
    }
    // kStall / kDbError: the row stays and comes back when its lease runs out.
  }
}

}  // namespace mog::tracker
