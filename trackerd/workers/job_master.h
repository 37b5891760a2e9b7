// The JobMaster (tracker.md §6.2): claims due rows from file_to_replicate, file_to_delete2 and
// file_to_queue (fsck type 1, rebalance type 2) under the `mfsd:*` named locks and hands them to
// this tracker's worker threads through WorkQueues. It runs again at once after a round that fed a
// queue, after 50 ms while its queues still hold rows, else after job_master_idle.
//
// Claims and crashes: upstream dates claimed rows DB now + 1000 s. Here the claim's own
// transaction dates them DB now + claim_lease (30 s) — not a later UPDATE, which a tracker or
// database dying in between would skip — and the workers renew that lease when they start an
// item and after each step, so the work of a tracker that dies (kill -9) is claimable again by
// any tracker within the lease instead of after ~17 minutes. A row that outlives its lease
// while still queued here may be claimed twice; the per-fid lock `mgfs:fid:<fid>:replicate`
// serialises the two and the second finds nothing left to do.
//
// On the tracker named by fsck_host / rebal_host it also injects the fsck and rebalance work
// (FsckInjector, RebalanceInjector) before claiming.
#pragma once

#include <atomic>
#include <memory>

#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/schedules.h"
#include "trackerd/workers/work_queue.h"
#include "trackerd/workers/worker_options.h"
#include "trackerd/workers/worker_thread.h"

namespace mog::tracker {

class FsckInjector;
class RebalanceInjector;

class JobMaster {
 public:
  JobMaster(StoreFactory& factory, ClusterState& state, WorkerOptions options);
  ~JobMaster();
  JobMaster(const JobMaster&) = delete;
  JobMaster& operator=(const JobMaster&) = delete;

  void Start();
  // Stops the loop and closes the queues (workers waiting on them return).
  void Stop();
  WorkerThread& thread() { return thread_; }

  WorkQueue<ReplicateQueueRow>& replicate_queue() { return replicate_; }
  WorkQueue<DeleteQueueRow>& delete_queue() { return delete_; }
  WorkQueue<QueueRow>& fsck_queue() { return fsck_; }
  // Rebalance items (file_to_queue type 2), handled by the replicate workers.
  WorkQueue<QueueRow>& rebalance_queue() { return rebalance_; }

  // One round on the caller's Store; true if any queue was fed.
  bool RunRound(Store& store);

 private:
  void Loop(WorkerThread& thread);
  int QueueLimit() const;

  StoreFactory& factory_;
  ClusterState& state_;
  WorkerOptions options_;
  WorkQueue<ReplicateQueueRow> replicate_;
  WorkQueue<DeleteQueueRow> delete_;
  WorkQueue<QueueRow> fsck_;
  WorkQueue<QueueRow> rebalance_;
  BatchSizer replicate_batch_;
  BatchSizer delete_batch_;
  BatchSizer fsck_batch_;
  BatchSizer rebalance_batch_;
  std::unique_ptr<FsckInjector> fsck_injector_;
  std::unique_ptr<RebalanceInjector> rebalance_injector_;
  WorkerThread thread_;
};

// Re-dates a claimed row to DB now + lease (no failcount change). Used by the JobMaster after
// a claim and by the workers while they process an item.
Result<void> RenewReplicateLease(Store& store, Fid fid, std::chrono::seconds lease);
Result<void> RenewDeleteLease(Store& store, Fid fid, std::chrono::seconds lease);
Result<void> RenewQueueLease(Store& store, Fid fid, int type, std::chrono::seconds lease);

}  // namespace mog::tracker
