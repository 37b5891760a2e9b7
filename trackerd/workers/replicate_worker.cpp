#include "trackerd/workers/replicate_worker.h"

#include "common/log/logging.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/replicator.h"
#include "trackerd/workers/worker_db_errors.h"

namespace mog::tracker {

ReplicateWorker::ReplicateWorker(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
                                 WorkQueue<ReplicateQueueRow>& queue,
                                 WorkQueue<QueueRow>& rebalance_queue, const WorkerOptions& options)
    : factory_(factory),
      state_(state),
      nodes_(nodes),
      queue_(queue),
      rebalance_queue_(rebalance_queue),
      options_(options) {}

void ReplicateWorker::Start() {
  thread_.Start("replicate", [this](WorkerThread& t) { Loop(t); });
}

void ReplicateWorker::Rebalance(Store& store, Replicator& replicator, const QueueRow& item) {
  CheckedDb(RenewQueueLease(store, item.fid, kQueueTypeRebalance, options_.claim_lease),
            "replicate", item.fid, "rebalance lease renewal");
  const RebalanceOutcome out = replicator.ProcessRebalance(*state_.Snapshot(), item);
  auto log = Logger("replicate");
  if (out.result == RebalanceResult::kMoved) {
    log->debug("fid {}: moved off dev{} ({} copies made)", item.fid, item.devid.value_or(0),
               out.copies_made);
  } else if (out.result != RebalanceResult::kNothingToDo) {
    log->info("fid {}: not moved off dev{} ({})", item.fid, item.devid.value_or(0), out.why);
  }
}

void ReplicateWorker::Loop(WorkerThread& thread) {
  auto store = ConnectStore(factory_, thread, "replicate");
  if (!store) return;
  Replicator replicator(*store, nodes_, options_);
  auto log = Logger("replicate");
  while (!thread.stopping()) {
    auto item = queue_.Pop(std::chrono::milliseconds(0));
    if (!item) {
      if (auto move = rebalance_queue_.Pop(std::chrono::milliseconds(0))) {
        Rebalance(*store, replicator, *move);
        continue;
      }
      // Idle: wait on the replicate queue; a rebalance item waits at most this long.
      item = queue_.Pop(std::chrono::milliseconds(200));
      if (!item) continue;
    }
    CheckedDb(RenewReplicateLease(*store, item->fid, options_.claim_lease), "replicate", item->fid,
              "lease renewal");
    const ReplicateOutcome out = replicator.Process(*state_.Snapshot(), *item);
    if (out.result == ReplicateResult::kDone) {
      if (out.copies_made || out.copies_deleted) {
        log->debug("fid {}: {} copies made, {} surplus deleted", item->fid, out.copies_made,
                   out.copies_deleted);
      }
    } else {
      log->info("fid {}: not done ({}), {} copies made", item->fid, out.why, out.copies_made);
    }
  }
}

}  // namespace mog::tracker
