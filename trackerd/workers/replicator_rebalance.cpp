// Rebalance items (tracker.md §6.8, upstream's rebalance_devfid): move one copy of a fid off a
// source device. The invariant that matters more than speed: the source copy is deleted only
// when the copies that stay were just found with the right size and satisfy the class policy
// by themselves; anything uncertain keeps the source.
#include <algorithm>
#include <set>

#include "common/log/logging.h"
#include "trackerd/workers/device_urls.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/rebalance_state.h"
#include "trackerd/workers/replicator.h"
#include "trackerd/workers/schedules.h"
#include "trackerd/workers/worker_db_errors.h"

namespace mog::tracker {
namespace {

constexpr int kMaxPolicyRounds = 64;  // as Replicate: each round adds a copy or excludes a device

bool Has(const std::vector<DevId>& ids, DevId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

RebalanceOutcome Kept(std::string why, int copies = 0) {
  return {RebalanceResult::kKeptSource, copies, std::move(why)};
}

}  // namespace

RebalanceOutcome Replicator::ProcessRebalance(const ClusterSnapshot& snap, const QueueRow& row) {
  RebalanceOutcome out =
      row.devid ? MoveOff(snap, row.fid, *row.devid, ParseDevIdList(row.arg.value_or("")))
                : RebalanceOutcome{RebalanceResult::kNothingToDo, 0, "queue row has no devid"};
  auto log = Logger("replicate");
  Result<void> settled;
  switch (out.result) {
    case RebalanceResult::kMoved:
    case RebalanceResult::kNothingToDo:
      settled = store_.DequeueQueueRow(row.fid, kQueueTypeRebalance);
      break;
    case RebalanceResult::kBusy:
      settled = store_.RescheduleQueue(row.fid, kQueueTypeRebalance, NextTry::In(5), false);
      break;
    case RebalanceResult::kKeptSource:
      if (row.failcount + 1 >= kRebalanceMaxAttempts) {
        // As upstream, a stubborn item does not hold up the run; a new run retries it.
        log->error("rebalance of fid {} off dev{} given up after {} tries ({}); its copy stays",
                   row.fid, row.devid.value_or(0), row.failcount + 1, out.why);
        settled = store_.DequeueQueueRow(row.fid, kQueueTypeRebalance);
      } else {
        const double jitter = 0.8 + 0.4 * random_.NextUnit();
        const int64_t delay = JitteredDelay(ReplicateBackoffSeconds(row.failcount), jitter,
                                            options_.replicate_backoff_scale);
        settled = store_.RescheduleQueue(row.fid, kQueueTypeRebalance, NextTry::In(delay), true);
      }
      break;
    case RebalanceResult::kDbError:
      break;  // the claim lease brings the row back
  }
  if (!settled) {
    log->warn("fid {}: rebalance queue row not updated: {}", row.fid, settled.error().message());
  }
  return out;
}

RebalanceOutcome Replicator::MoveOff(const ClusterSnapshot& snap, Fid fid, DevId source,
                                     const std::vector<DevId>& targets) {
  auto db_error = [](const Error& e) {
    return RebalanceOutcome{RebalanceResult::kDbError, 0, e.message()};
  };
  ScopedNamedLock lock(store_, "mgfs:fid:" + std::to_string(fid) + ":replicate");
  auto got = lock.Acquire(1);
  if (!got) return db_error(got.error());
  if (!*got) return {RebalanceResult::kBusy, 0, "fid lock busy"};

  auto file = store_.FileByFid(fid);
  if (!file) return db_error(file.error());
  if (!*file) return {RebalanceResult::kNothingToDo, 0, "file gone"};
  auto on_all = store_.GetFileOn(fid);
  if (!on_all) return db_error(on_all.error());
  if (!Has(*on_all, source)) return {RebalanceResult::kNothingToDo, 0, "source copy already gone"};

  const Device* src_dev = snap.FindDevice(source);
  if (!src_dev || !snap.IsDeletable(*src_dev)) return Kept("source device is not deletable now");

  FidContext ctx;
  ctx.file = **file;
  std::vector<DevId> readers;  // readable copies, the masked source included
  for (DevId devid : *on_all) {
    const Device* dev = snap.FindDevice(devid);
    if (!dev) continue;
    if (devid != source && snap.HoldsFiles(*dev)) ctx.on.push_back(devid);
    if (snap.IsReadable(*dev)) readers.push_back(devid);
  }
  if (auto why = LoadPolicy(snap, ctx)) return Kept(*why);
  if (auto r = LoadChecksum(ctx); !r) return db_error(r.error());

  ReplicationInput input;
  input.class_mindevcount = ctx.rule.mindevcount;
  if (!targets.empty()) input.all_devids = std::set<uint32_t>(targets.begin(), targets.end());
  std::set<DevId> failed_sources;
  ReplicationDecision decision;
  std::string why;
  int copies = 0;
  for (int round = 0; round < kMaxPolicyRounds; ++round) {
    input.on_devids = ctx.on;
    decision = ctx.rule.policy->ReplicateTo(snap, input, random_);
    if (decision.satisfied()) break;
    if (decision.kind != ReplicationDecision::Kind::kCopy) {
      why = "no destination available";
      break;
    }
    std::vector<DevId> ideal;
    for (DevId d : decision.ideal) {
      if (d != source) ideal.push_back(d);
    }
    if (!decision.ideal.empty() && ideal.empty()) {
      // Only the masked source itself was ideal: moving would worsen the layout.
      return Kept("would worsen: no ideal destination but the source", copies);
    }
    std::vector<DevId> desperate;
    for (DevId d : decision.desperate) {
      if (d != source) desperate.push_back(d);
    }
    if (ideal.empty() && desperate.empty()) {
      why = "no destination available";
      break;
    }
    const DevId dst = ideal.empty() ? desperate.front() : ideal.front();
    if (Has(*on_all, dst)) {
      why = "policy suggested dev" + std::to_string(dst) + ", which already has the fid";
      break;
    }
    std::vector<DevId> usable;
    for (DevId s : readers) {
      if (!failed_sources.count(s)) usable.push_back(s);
    }
    if (usable.empty()) {
      why = "every source failed";
      break;
    }
    const DevId src =
        usable[static_cast<size_t>(random_.NextUnit() * static_cast<double>(usable.size())) %
               usable.size()];

    CheckedDb(RenewQueueLease(store_, fid, kQueueTypeRebalance, options_.claim_lease), "replicate",
              fid, "rebalance lease renewal");
    bool source_side = false;
    bool database = false;
    std::string error;
    if (CopyOne(snap, ctx, src, dst, &source_side, &error, &database)) {
      ctx.on.push_back(dst);
      on_all->push_back(dst);
      RecordDevcount(snap, fid);
      const Device* d = snap.FindDevice(dst);
      if (d && snap.IsReadable(*d)) readers.push_back(dst);
      ++copies;
      continue;
    }
    if (database) return {RebalanceResult::kDbError, copies, error};
    Logger("replicate")
        ->warn("fid {}: rebalance copy dev{} -> dev{} failed ({} side): {}", fid, src, dst,
               source_side ? "source" : "destination", error);
    if (source_side) {
      failed_sources.insert(src);
    } else {
      input.failed.insert(dst);
    }
  }
  if (!decision.satisfied()) return Kept(why.empty() ? "policy not satisfied" : why, copies);

  // The copies that stay must be really there and be enough without the source.
  input.on_devids = VerifiedCopies(snap, ctx, ctx.on);
  if (!ctx.rule.policy->ReplicateTo(snap, input, random_).satisfied()) {
    return Kept("the copies that would stay could not all be verified", copies);
  }
  CheckedDb(RenewQueueLease(store_, fid, kQueueTypeRebalance, options_.claim_lease), "replicate",
            fid, "rebalance lease renewal");
  auto url = FidPutUrl(snap, source, fid);
  if (!url) return Kept("source device unknown", copies);
  auto status = nodes_.Delete(*url);
  if (!status) return Kept("DELETE of the source copy failed: " + status.error().message, copies);
  const bool deleted = *status == 204 || (*status == 404 && options_.rebalance_ignore_missing);
  if (!deleted) {
    return Kept("DELETE of the source copy answered " + std::to_string(*status), copies);
  }
  if (auto r = store_.RemoveFileOn(fid, source); !r) return db_error(r.error());
  RecordDevcount(snap, fid);
  return {RebalanceResult::kMoved, copies, ""};
}

}  // namespace mog::tracker
