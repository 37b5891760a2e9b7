// Owns and runs the tracker's background workers other than the Monitor: the JobMaster and
// the replicate, delete, reaper and fsck workers (tracker.md §6).
//
// Wiring for trackerd/tracker.cpp (owned by B2) — after the Monitor's first round, before the
// listeners accept; stopped before the Monitor:
//
//   #include "trackerd/workers/worker_set.h"
//   // tracker.h members:
//   //   std::unique_ptr<HttpNodeClient> worker_nodes_;
//   //   std::unique_ptr<WorkerSet> workers_;
//   HttpNodeClientOptions wn;
//   wn.timeout = std::chrono::seconds(config_.node_timeout);  // workers use node_timeout
//   wn.pool_size = static_cast<size_t>(config_.conn_pool_size);
//   wn.io_threads = 2;
//   wn.skip_mkcol = [s = state_.get()] { return s->Snapshot()->SettingTrue("skip_mkcol"); };
//   worker_nodes_ = std::make_unique<HttpNodeClient>(wn);
//   monitor_->WaitFirstRound(std::chrono::seconds(30));
//   workers_ = std::make_unique<WorkerSet>(*store_factory_, *state_, *worker_nodes_,
//                                          WorkerOptionsFromConfig(config_));
//   workers_->Start();
//   ...
//   // Tracker::Stop(), before monitor_->Stop():
//   if (workers_) workers_->Stop();
//   workers_.reset(); worker_nodes_.reset();
#pragma once

#include <memory>
#include <vector>

#include "trackerd/nodes/node_client.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/worker_options.h"

namespace mog::tracker {

class JobMaster;
class ReplicateWorker;
class DeleteWorker;
class Reaper;
class FsckWorker;

class WorkerSet {
 public:
  WorkerSet(StoreFactory& factory, ClusterState& state, NodeClient& nodes, WorkerOptions options);
  ~WorkerSet();
  WorkerSet(const WorkerSet&) = delete;
  WorkerSet& operator=(const WorkerSet&) = delete;

  // Starts every worker the options ask for. Without a JobMaster (job_master = 0) the
  // replicate / delete / fsck workers are not started (they have nothing to work on), as
  // upstream; the reaper runs regardless.
  void Start();
  // Stops all workers (in-flight items finish or are left to their lease). Idempotent.
  void Stop();

  const WorkerOptions& options() const { return options_; }

 private:
  StoreFactory& factory_;
  ClusterState& state_;
  NodeClient& nodes_;
  WorkerOptions options_;
  std::unique_ptr<JobMaster> job_master_;
  std::vector<std::unique_ptr<ReplicateWorker>> replicators_;
  std::vector<std::unique_ptr<DeleteWorker>> deleters_;
  std::vector<std::unique_ptr<Reaper>> reapers_;
  std::vector<std::unique_ptr<FsckWorker>> fsckers_;
  bool started_ = false;
};

}  // namespace mog::tracker
