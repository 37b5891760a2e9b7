// replicate_jobs threads, each with its own Store connection, taking file_to_replicate rows
// from the JobMaster's queue and running the Replicator on them (tracker.md §6.3); rebalance
// items (file_to_queue type 2) are taken when no replicate item is waiting, as upstream works
// its rebalance queue after the replicate one.
#pragma once

#include <memory>
#include <vector>

#include "trackerd/nodes/node_client.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/work_queue.h"
#include "trackerd/workers/worker_options.h"
#include "trackerd/workers/worker_thread.h"

namespace mog::tracker {

class Replicator;

class ReplicateWorker {
 public:
  ReplicateWorker(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
                  WorkQueue<ReplicateQueueRow>& queue, WorkQueue<QueueRow>& rebalance_queue,
                  const WorkerOptions& options);
  ~ReplicateWorker() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }
  WorkerThread& thread() { return thread_; }

 private:
  void Loop(WorkerThread& thread);
  void Rebalance(Store& store, Replicator& replicator, const QueueRow& item);

  StoreFactory& factory_;
  ClusterState& state_;
  NodeClient& nodes_;
  WorkQueue<ReplicateQueueRow>& queue_;
  WorkQueue<QueueRow>& rebalance_queue_;
  const WorkerOptions& options_;
  WorkerThread thread_;
};

}  // namespace mog::tracker
