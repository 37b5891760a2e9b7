#include "trackerd/workers/fsck_worker.h"

#include <map>
#include <set>

#include "common/log/logging.h"
#include "trackerd/placement/replication_policy.h"
#include "trackerd/query/checksum_text.h"
#include "trackerd/workers/device_urls.h"
#include "trackerd/workers/job_master.h"

namespace mog::tracker {
namespace {

std::optional<DigestAlg> AlgOfHashtype(int hashtype) {
  if (hashtype == kHashMd5) return DigestAlg::kMd5;
  if (hashtype == kHashSha1) return DigestAlg::kSha1;
  return std::nullopt;
}

int HashtypeOfAlg(DigestAlg alg) { return alg == DigestAlg::kMd5 ? kHashMd5 : kHashSha1; }

}  // namespace

struct FsckChecker::Ctx {
  FileRow file;
  std::vector<DevId> on;  // every file_on row
  int mindevcount = 2;
  int class_hashtype = kHashNone;
  std::shared_ptr<const ReplicationPolicy> policy;
  std::optional<std::string> fsck_checksum;  // setting: "MD5" / "SHA-1" / "off" / unset
  std::optional<ChecksumRow> checksum;

  std::vector<DevId> NonDead(const ClusterSnapshot& snap) const {
    std::vector<DevId> out;
    for (DevId d : on) {
      const Device* dev = snap.FindDevice(d);
      if (dev && snap.HoldsFiles(*dev)) out.push_back(d);
    }
    return out;
  }
  bool PolicyOk(const ClusterSnapshot& snap) const {
    ReplicationInput in;
    in.on_devids = NonDead(snap);
    in.class_mindevcount = mindevcount;
    return policy->ReplicateTo(snap, in, GlobalRandom()).kind ==
           ReplicationDecision::Kind::kAllGood;
  }
  // Digest algorithm for the checksum pass: class hashtype, else an fsck_checksum algorithm.
  std::optional<DigestAlg> Alg() const {
    if (auto a = AlgOfHashtype(class_hashtype)) return a;
    if (fsck_checksum) return ParseDigestAlg(*fsck_checksum);
    return std::nullopt;
  }
};

void FsckChecker::Log(Fid fid, std::string_view evcode, std::optional<DevId> devid) {
  if (auto r = store_.AddFsckLog(fid, evcode, devid); !r) {
    Logger("fsck")->warn("fsck_log insert failed: {}", r.error().message());
  }
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
  const ClassInfo* cls = snap.FindClass(ctx.file.dmid, ctx.file.classid);
  if (!cls) cls = snap.FindClass(ctx.file.dmid, 0);
  ctx.mindevcount = cls ? cls->row.mindevcount : snap.limits().default_mindevcount;
  ctx.class_hashtype = cls ? cls->row.hashtype : kHashNone;
  auto policy = ParseReplicationPolicy(cls ? cls->row.replpolicy : std::string());
  if (!policy) return FsckResult::kDone;  // nothing sensible to check against
  ctx.policy = *policy;
  auto fc = store_.GetServerSetting("fsck_checksum");
  if (fc && *fc) ctx.fsck_checksum = **fc;
  auto checksum = store_.GetChecksum(fid);
  if (!checksum) return FsckResult::kDbError;
  ctx.checksum = *checksum;

  if (ctx.on.empty()) return Fix(snap, ctx, "NOPA");
  if (!ctx.PolicyOk(snap)) return Fix(snap, ctx, "POVI");
  if (ctx.file.devcount != static_cast<int>(ctx.on.size()) && !snap.SettingTrue("skip_devcount")) {
    Log(fid, "BCNT");
    (void)store_.UpdateDevcount(fid);
  }
  if (ctx.class_hashtype != kHashNone && !ctx.checksum) return Fix(snap, ctx, "");
  auto policy_only = store_.GetServerSetting("fsck_opt_policy_only");
  if (policy_only && *policy_only && **policy_only == "1") return FsckResult::kDone;
  if (ctx.fsck_checksum && ParseDigestAlg(*ctx.fsck_checksum)) return Fix(snap, ctx, "");

  for (DevId devid : ctx.on) {
    const Device* dev = snap.FindDevice(devid);
    if (!dev || !snap.HoldsFiles(*dev)) return Fix(snap, ctx, "");
    auto url = FidGetUrl(snap, devid, fid);
    if (!url) return Fix(snap, ctx, "");
    auto head = nodes_.HeadSize(*url);
    if (!head) return FsckResult::kStall;
    if (head->missing() || head->content_length.value_or(UINT64_MAX) != ctx.file.length) {
      return Fix(snap, ctx, "");
    }
  }
  if (ctx.class_hashtype != kHashNone && ctx.fsck_checksum.value_or("") != "off") {
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
    if (!head) return FsckResult::kStall;
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
      if (!digest) return FsckResult::kStall;
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
        (void)store_.AddFileOn(fid, devid);
        Log(fid, "FOND", devid);
        good[devid] = "";
        break;
      }
    }
    if (good.empty()) {
      for (DevId d : bad) (void)store_.RemoveFileOn(fid, d);
      (void)store_.UpdateDevcount(fid);
      Log(fid, "GONE");
      return FsckResult::kDone;
    }
  }
  for (DevId d : bad) (void)store_.RemoveFileOn(fid, d);

  // Checksums (§6.9): compare the good copies with each other and with the stored row.
  if (alg) {
    std::set<std::string> distinct;
    for (const auto& [d, hex] : good) {
      if (!hex.empty()) distinct.insert(hex);
    }
    const bool checksum_mode = !AlgOfHashtype(ctx.class_hashtype).has_value();
    if (distinct.size() == 1) {
      const std::string& hex = *distinct.begin();
      if (ctx.checksum) {
        if (ctx.checksum->hashtype != HashtypeOfAlg(*alg)) {
          Log(fid, "BALG");
        } else if (HexLower(ctx.checksum->checksum) != hex) {
          Log(fid, "BSUM");
        }
      } else if (auto raw = HexToBytes(hex)) {
        (void)store_.SetChecksum({fid, HashtypeOfAlg(*alg), *raw});
        Log(fid, "NSUM");
      }
    } else if (distinct.size() > 1) {
      const std::string stored = ctx.checksum && ctx.checksum->hashtype == HashtypeOfAlg(*alg)
                                     ? HexLower(ctx.checksum->checksum)
                                     : std::string();
      if (!stored.empty() && distinct.count(stored)) {
        for (const auto& [d, hex] : good) {
          if (hex != stored) {
            Log(fid, "BSUM", d);
            (void)store_.RemoveFileOn(fid, d);
          }
        }
      } else {
        Log(fid, checksum_mode ? "MSUM" : "BSUM");
      }
    }
  }

  auto now_on = store_.GetFileOn(fid);
  if (!now_on) return FsckResult::kDbError;
  ctx.on = *now_on;
  if (!ctx.PolicyOk(snap)) {
    (void)store_.EnqueueReplicate(fid, std::nullopt, NextTry::In(1));
    (void)store_.RescheduleReplicate(fid, NextTry::In(1), false);  // due even if it was parked
    Log(fid, "REPL");
  }
  if (!snap.SettingTrue("skip_devcount")) (void)store_.UpdateDevcount(fid);
  return FsckResult::kDone;
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
    (void)RenewQueueLease(*store, item->fid, kQueueTypeFsck, options_.claim_lease);
    const FsckResult r = checker.Check(*state_.Snapshot(), item->fid);
    if (r == FsckResult::kDone) (void)store->DequeueQueueRow(item->fid, kQueueTypeFsck);
    // kStall / kDbError: the row stays and comes back when its lease runs out.
  }
}

}  // namespace mog::tracker
