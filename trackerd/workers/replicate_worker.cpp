#include "trackerd/workers/replicate_worker.h"

#include "common/log/logging.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/replicator.h"

namespace mog::tracker {

ReplicateWorker::ReplicateWorker(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
                                 WorkQueue<ReplicateQueueRow>& queue, const WorkerOptions& options)
    : factory_(factory), state_(state), nodes_(nodes), queue_(queue), options_(options) {}

void ReplicateWorker::Start() {
  thread_.Start([this](WorkerThread& t) { Loop(t); });
}

void ReplicateWorker::Loop(WorkerThread& thread) {
  auto store = ConnectStore(factory_, thread, "replicate");
  if (!store) return;
  Replicator replicator(*store, nodes_, options_);
  auto log = Logger("replicate");
  while (!thread.stopping()) {
    auto item = queue_.Pop(std::chrono::milliseconds(500));
    if (!item) continue;
    (void)RenewReplicateLease(*store, item->fid, options_.claim_lease);
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
