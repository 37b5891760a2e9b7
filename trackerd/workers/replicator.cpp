#include "trackerd/workers/replicator.h"

#include <algorithm>
#include <memory>

#include "common/log/logging.h"
#include "trackerd/nodes/node_url.h"
#include "trackerd/placement/replication_policy.h"
#include "trackerd/query/checksum_text.h"
#include "trackerd/workers/device_urls.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/schedules.h"
#include "trackerd/workers/worker_db_errors.h"

namespace mog::tracker {
namespace {

// Upper bound on policy rounds per fid: each round either adds a copy or excludes a source or
// destination, so a cluster of any sane size finishes well before this.
constexpr int kMaxPolicyRounds = 64;

}  // namespace

Replicator::Replicator(Store& store, NodeClient& nodes, const WorkerOptions& options,
                       RandomSource& random)
    : store_(store), nodes_(nodes), options_(options), random_(random) {}

ReplicateOutcome Replicator::Process(const ClusterSnapshot& snap, const ReplicateQueueRow& row) {
  ReplicateOutcome out = Replicate(snap, row);
  Result<void> settled;
  switch (out.result) {
    case ReplicateResult::kDone:
      settled = store_.DequeueReplicate(row.fid);
      break;
    case ReplicateResult::kParked:
      settled = store_.RescheduleReplicate(row.fid, NextTry::At(kNextTryNever), true);
      break;
    case ReplicateResult::kBusy:
      settled = store_.RescheduleReplicate(row.fid, NextTry::In(5), false);
      break;
    case ReplicateResult::kBackoff: {
      // A pass that deleted a surplus copy made progress: restart the schedule.
      const int failcount = out.copies_deleted > 0 ? 0 : row.failcount;
      const double jitter = 0.8 + 0.4 * random_.NextUnit();
      const int64_t delay = JitteredDelay(ReplicateBackoffSeconds(failcount), jitter,
                                          options_.replicate_backoff_scale);
      settled = store_.RescheduleReplicate(row.fid, NextTry::In(delay), true);
      break;
    }
    case ReplicateResult::kDbError:
      break;  // the claim lease brings the row back
  }
  if (!settled) {
    Logger("replicate")
        ->warn("fid {}: queue row not updated: {}", row.fid, settled.error().message());
  }
  return out;
}

ReplicateOutcome Replicator::Replicate(const ClusterSnapshot& snap, const ReplicateQueueRow& row) {
  const Fid fid = row.fid;
  ReplicateOutcome out;
  ScopedNamedLock lock(store_, "mgfs:fid:" + std::to_string(fid) + ":replicate");
  auto got = lock.Acquire(1);
  if (!got) return {ReplicateResult::kDbError, 0, 0, got.error().message()};
  if (!*got) return {ReplicateResult::kBusy, 0, 0, "fid lock busy"};

  auto file = store_.FileByFid(fid);
  if (!file) return {ReplicateResult::kDbError, 0, 0, file.error().message()};
  if (!*file) return {ReplicateResult::kDone, 0, 0, "file gone"};

  FidContext ctx;
  ctx.file = **file;
  auto on = store_.GetFileOn(fid);
  if (!on) return {ReplicateResult::kDbError, 0, 0, on.error().message()};
  std::vector<DevId> sources;
  for (DevId devid : *on) {
    const Device* dev = snap.FindDevice(devid);
    if (!dev || !snap.HoldsFiles(*dev)) continue;
    ctx.on.push_back(devid);
    if (snap.IsReadable(*dev)) sources.push_back(devid);
  }
  if (ctx.on.empty()) return {ReplicateResult::kParked, 0, 0, "no_source"};
  if (sources.empty()) return {ReplicateResult::kBackoff, 0, 0, "no readable copy"};

  if (auto why = LoadPolicy(snap, ctx)) return {ReplicateResult::kBackoff, 0, 0, *why};
  if (auto r = LoadChecksum(ctx); !r) {
    return {ReplicateResult::kDbError, 0, 0, r.error().message()};
  }

  std::set<DevId> failed_sources;
  std::set<DevId> failed_destinations;
  ReplicationDecision decision;
  for (int round = 0; round < kMaxPolicyRounds; ++round) {
    decision = ctx.rule.Decide(snap, ctx.on, failed_destinations, random_);
    if (decision.satisfied()) break;
    if (decision.kind != ReplicationDecision::Kind::kCopy ||
        (decision.ideal.empty() && decision.desperate.empty())) {
      out.why = "no destination available";
      break;
    }
    const DevId dst = decision.ideal.empty() ? decision.desperate.front() : decision.ideal.front();

    std::vector<DevId> usable;
    for (DevId s : sources) {
      if (!failed_sources.count(s)) usable.push_back(s);
    }
    if (usable.empty()) {
      out.why = "every source failed";
      break;
    }
    DevId src = usable[static_cast<size_t>(random_.NextUnit() * usable.size()) % usable.size()];
    if (row.fromdevid && std::find(usable.begin(), usable.end(), *row.fromdevid) != usable.end()) {
      src = *row.fromdevid;
    }

    CheckedDb(RenewReplicateLease(store_, fid, options_.claim_lease), "replicate", fid,
              "lease renewal");
    bool source_side = false;
    bool database = false;
    std::string error;
    if (CopyOne(snap, ctx, src, dst, &source_side, &error, &database)) {
      ctx.on.push_back(dst);
      RecordDevcount(snap, fid);
      const Device* d = snap.FindDevice(dst);
      if (d && snap.IsReadable(*d)) sources.push_back(dst);
      ++out.copies_made;
      continue;
    }
    if (database) {
      // The claim lease brings the row back once the database answers again.
      if (out.copies_made > 0) RecordDevcount(snap, fid);
      out.result = ReplicateResult::kDbError;
      out.why = error;
      return out;
    }
    Logger("replicate")
        ->warn("fid {}: copy dev{} -> dev{} failed ({} side): {}", fid, src, dst,
               source_side ? "source" : "destination", error);
    if (source_side) {
      failed_sources.insert(src);
    } else {
      failed_destinations.insert(dst);
    }
  }

  if (decision.kind == ReplicationDecision::Kind::kTooGood) {
    out.copies_deleted = TrimSurplus(snap, ctx);
    decision = ctx.rule.Decide(snap, ctx.on, failed_destinations, random_);
  }
  if (out.copies_deleted > 0) RecordDevcount(snap, fid);
  if (decision.kind == ReplicationDecision::Kind::kAllGood) {
    out.result = ReplicateResult::kDone;
    return out;
  }
  out.result = ReplicateResult::kBackoff;
  if (out.why.empty()) {
    out.why = decision.kind == ReplicationDecision::Kind::kTooGood ? "over-replicated"
                                                                   : "policy not satisfied";
  }
  return out;
}

std::optional<std::string> Replicator::LoadPolicy(const ClusterSnapshot& snap, FidContext& ctx) {
  auto rule = FidPolicyFor(snap, ctx.file.dmid, ctx.file.classid);
  if (!rule) return rule.error().message();
  ctx.rule = *rule;
  return std::nullopt;
}

Result<void> Replicator::LoadChecksum(FidContext& ctx) {
  auto checksum = store_.GetChecksum(ctx.file.fid);
  if (!checksum) return checksum.error();
  ctx.checksum = *checksum;
  ctx.alg = DigestAlgOfHashtype(ctx.checksum ? ctx.checksum->hashtype : ctx.rule.class_hashtype);
  return {};
}

std::vector<DevId> Replicator::VerifiedCopies(const ClusterSnapshot& snap, const FidContext& ctx,
                                              const std::vector<DevId>& devids) {
  std::vector<DevId> out;
  for (DevId d : devids) {
    const Device* dev = snap.FindDevice(d);
    if (!dev || !snap.IsReadable(*dev)) continue;
    auto url = FidGetUrl(snap, d, ctx.file.fid);
    if (!url) continue;
    auto head = nodes_.HeadSize(*url);
    if (head && !head->missing() && head->content_length == ctx.file.length) out.push_back(d);
  }
  return out;
}

bool Replicator::CopyOne(const ClusterSnapshot& snap, FidContext& ctx, DevId src, DevId dst,
                         bool* source_side, std::string* error, bool* database) {
  const Fid fid = ctx.file.fid;
  auto src_url = options_.repl_use_get_port ? FidGetUrl(snap, src, fid) : FidPutUrl(snap, src, fid);
  auto dst_url = FidPutUrl(snap, dst, fid);
  auto dst_get_url = FidGetUrl(snap, dst, fid);
  if (!src_url) {
    *source_side = true;
    *error = "source device unknown";
    return false;
  }
  if (!dst_url || !dst_get_url) {
    *error = "destination device unknown";
    return false;
  }
  for (const auto& dir : MkcolDirUrls(*dst_url)) nodes_.Mkcol(dir);

  CopyRequest req;
  req.src_url = *src_url;
  req.dst_url = *dst_url;
  req.length = ctx.file.length;
  req.digest = ctx.alg;
  if (ctx.checksum && ctx.checksum->hashtype == kHashMd5) {
    req.content_md5_b64 = BytesToBase64(ctx.checksum->checksum);
  }
  auto copied = nodes_.Copy(req);
  if (!copied) {
    *source_side = copied.error().source_side;
    *error = copied.error().error.message;
    // A destination refusing the bytes (Content-MD5) that streamed from a source whose digest
    // differs from the stored checksum is refusing a bad source, not failing itself: blame the
    // source so that the next round copies from another one.
    const std::string& streamed = copied.error().source_digest_hex;
    if (ctx.checksum && ctx.alg && !streamed.empty() &&
        streamed != HexLower(ctx.checksum->checksum)) {
      *source_side = true;
      *error = "source digest " + streamed + " differs from the stored " +
               HexLower(ctx.checksum->checksum) + " (" + *error + ")";
    }
    return false;
  }
  auto discard = [&] { (void)nodes_.Delete(*dst_url); };

  // The digest every copy must have: the stored row, else what streamed from the source.
  std::string expected_hex;
  if (ctx.alg) {
    expected_hex = copied->digest_hex;
    if (ctx.checksum) {
      const std::string stored = HexLower(ctx.checksum->checksum);
      if (copied->digest_hex != stored) {
        *source_side = true;
        *error = "source digest " + copied->digest_hex + " differs from the stored " + stored;
        discard();
        return false;
      }
      expected_hex = stored;
    }
  }

  auto head = nodes_.HeadSize(*dst_get_url);
  if (!head || head->missing() || head->content_length.value_or(UINT64_MAX) != ctx.file.length) {
    *error = head ? "destination copy has the wrong length or is missing" : head.error().message;
    discard();
    return false;
  }
  if (ctx.alg) {
    const Device* dev = snap.FindDevice(dst);
    const bool node_checked_md5 = *ctx.alg == DigestAlg::kMd5 && !req.content_md5_b64.empty() &&
                                  dev && dev->reject_bad_md5.value_or(false);
    if (!node_checked_md5) {
      DigestRequest dreq;
      dreq.host_ip = DeviceHostIp(snap, dst);
      dreq.side_port = options_.mogstored_stream_port;
      dreq.get_url = *dst_get_url;
      dreq.alg = *ctx.alg;
      dreq.size = ctx.file.length;
      auto digest = nodes_.Digest(dreq);
      if (!digest || digest->missing || digest->hex != expected_hex) {
        *error = digest ? "destination digest differs from the source" : digest.error().message;
        discard();
        return false;
      }
    }
  }

  if (auto r = store_.AddFileOn(fid, dst); !r) {
    *error = "file_on insert failed: " + r.error().message();
    *database = true;
    // Unrecorded, the copy would only be an orphan on dst (best effort: a lost connection may
    // still have committed the row; then fsck finds the copy missing and replaces it).
    // If even that cannot be read, keep the copy: never delete one that may be recorded.
    auto recorded = store_.GetFileOn(fid);
    if (recorded && std::find(recorded->begin(), recorded->end(), dst) == recorded->end()) {
      discard();
    }
    return false;
  }
  if (!ctx.checksum && ctx.alg && ctx.rule.class_hashtype != kHashNone) {
    if (auto raw = HexToBytes(expected_hex)) {
      ChecksumRow row{fid, ctx.rule.class_hashtype, *raw};
      if (store_.SetChecksum(row)) ctx.checksum = row;
    }
  }
  return true;
}

int Replicator::TrimSurplus(const ClusterSnapshot& snap, FidContext& ctx) {
  const Fid fid = ctx.file.fid;
  int deleted = 0;
  for (size_t guard = 0; guard < 16; ++guard) {
    if (ctx.rule.Judge(snap, ctx.on) != CopiesVerdict::kOverReplicated) break;
    std::vector<DevId> candidates;
    for (DevId devid : ctx.on) {
      const Device* dev = snap.FindDevice(devid);
      if (dev && snap.IsDeletable(*dev) && snap.IsReadable(*dev)) candidates.push_back(devid);
    }
    bool removed = false;
    while (!candidates.empty() && !removed) {
      const size_t i =
          static_cast<size_t>(random_.NextUnit() * candidates.size()) % candidates.size();
      const DevId victim = candidates[i];
      candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(i));
      std::vector<DevId> rest;
      for (DevId d : ctx.on) {
        if (d != victim) rest.push_back(d);
      }
      if (ctx.rule.Judge(snap, rest) == CopiesVerdict::kUnderReplicated) continue;
      // Only drop a copy when every copy that stays is really there with the right size.
      bool rest_ok = true;
      for (DevId d : rest) {
        auto url = FidGetUrl(snap, d, fid);
        auto head = url ? nodes_.HeadSize(*url) : NodeResult<HeadInfo>(NodeError{});
        if (!head || head->missing() ||
            head->content_length.value_or(UINT64_MAX) != ctx.file.length) {
          rest_ok = false;
          break;
        }
      }
      if (!rest_ok) return deleted;
      auto url = FidPutUrl(snap, victim, fid);
      auto status = url ? nodes_.Delete(*url) : NodeResult<int>(NodeError{});
      if (!status || !((*status >= 200 && *status < 300) || *status == 404)) continue;
      if (!store_.RemoveFileOn(fid, victim)) return deleted;
      ctx.on = rest;
      ++deleted;
      removed = true;
    }
    if (!removed) break;
  }
  return deleted;
}

void Replicator::RecordDevcount(const ClusterSnapshot& snap, Fid fid) {
  if (snap.SettingTrue("skip_devcount")) return;
  if (auto r = store_.UpdateDevcount(fid); !r) {
    Logger("replicate")->warn("fid {}: devcount update failed: {}", fid, r.error().message());
  }
}

}  // namespace mog::tracker
