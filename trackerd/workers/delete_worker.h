// The Delete worker (tracker.md §6.5): removes the copies of deleted fids from every device
// (file_to_delete2 rows handed out by the JobMaster), garbage-collects tempfile rows of uploads
// never closed (older than tempfile_too_old), and drains the legacy delete queues. A queue row
// is removed only once no file_on row is left, so nothing is forgotten while a node is down.
#pragma once

#include "trackerd/nodes/node_client.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/work_queue.h"
#include "trackerd/workers/worker_options.h"
#include "trackerd/workers/worker_thread.h"

namespace mog::tracker {

// One fid's deletion against the nodes and the store; true when every copy is gone and the
// queue row was deleted (false: rescheduled or a DB error).
bool DeleteFidCopies(Store& store, NodeClient& nodes, const ClusterSnapshot& snap,
                     const DeleteQueueRow& row, const WorkerOptions& options);

// Tempfile GC pass (try-lock mgfs:tempfiles): returns rows handled.
int CollectOldTempfiles(Store& store, const WorkerOptions& options);

class DeleteWorker {
 public:
  DeleteWorker(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
               WorkQueue<DeleteQueueRow>& queue, const WorkerOptions& options);
  ~DeleteWorker() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }
  WorkerThread& thread() { return thread_; }

 private:
  void Loop(WorkerThread& thread);

  StoreFactory& factory_;
  ClusterState& state_;
  NodeClient& nodes_;
  WorkQueue<DeleteQueueRow>& queue_;
  const WorkerOptions& options_;
  WorkerThread thread_;
};

}  // namespace mog::tracker
