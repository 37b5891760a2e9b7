// The Fsck worker (tracker.md §6.7): checks fids queued by the fsck run (file_to_queue type 1)
// against the replication policy, devcount, checksums and the copies on disk, and repairs
// what it can: bad copies (missing, wrong length, wrong digest, on dead devices) lose their
// file_on row and the fid is queued for re-replication from a good copy; lost copies are
// searched for on every device. Every finding is logged in fsck_log with upstream's evcodes.
#pragma once

#include <map>
#include <string>

#include "trackerd/nodes/node_client.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/work_queue.h"
#include "trackerd/workers/worker_options.h"
#include "trackerd/workers/worker_thread.h"

namespace mog::tracker {

enum class FsckResult {
  kDone,   // checked (and fixed where possible): the queue row goes
  kStall,  // a copy's device could not be reached or the fid lock was busy: retry later
  kDbError,
};

class FsckChecker {
 public:
  FsckChecker(Store& store, NodeClient& nodes, const WorkerOptions& options)
      : store_(store), nodes_(nodes), options_(options) {}
  FsckResult Check(const ClusterSnapshot& snap, Fid fid);

 private:
  struct Ctx;
  FsckResult Fix(const ClusterSnapshot& snap, Ctx& ctx, const std::string& reason);
  void ReconcileChecksums(Ctx& ctx, DigestAlg alg, const std::map<DevId, std::string>& good);
  void Log(Fid fid, std::string_view evcode, std::optional<DevId> devid = std::nullopt);
  void Forget(Fid fid, DevId devid);  // drops a bad copy's file_on row
  FsckResult Stalled(const ClusterSnapshot& snap, DevId devid);  // logs why
  void RecountDevcount(const ClusterSnapshot& snap, Fid fid);

  Store& store_;
  NodeClient& nodes_;
  const WorkerOptions& options_;
};

class FsckWorker {
 public:
  FsckWorker(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
             WorkQueue<QueueRow>& queue, const WorkerOptions& options);
  ~FsckWorker() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }
  WorkerThread& thread() { return thread_; }

 private:
  void Loop(WorkerThread& thread);

  StoreFactory& factory_;
  ClusterState& state_;
  NodeClient& nodes_;
  WorkQueue<QueueRow>& queue_;
  const WorkerOptions& options_;
  WorkerThread thread_;
};

}  // namespace mog::tracker
