#include "trackerd/workers/worker_set.h"

#include "trackerd/workers/delete_worker.h"
#include "trackerd/workers/fsck_worker.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/reaper.h"
#include "trackerd/workers/replicate_worker.h"

namespace mog::tracker {

WorkerSet::WorkerSet(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
                     WorkerOptions options)
    : factory_(factory), state_(state), nodes_(nodes), options_(std::move(options)) {}

WorkerSet::~WorkerSet() { Stop(); }

void WorkerSet::Start() {
  if (started_) return;
  started_ = true;
  if (options_.job_master) {
    job_master_ = std::make_unique<JobMaster>(factory_, state_, options_);
    for (int i = 0; i < options_.replicate_jobs; ++i) {
      replicators_.push_back(std::make_unique<ReplicateWorker>(
          factory_, state_, nodes_, job_master_->replicate_queue(), job_master_->rebalance_queue(),
          options_));
    }
    for (int i = 0; i < options_.delete_jobs; ++i) {
      deleters_.push_back(std::make_unique<DeleteWorker>(factory_, state_, nodes_,
                                                         job_master_->delete_queue(), options_));
    }
    for (int i = 0; i < options_.fsck_jobs; ++i) {
      fsckers_.push_back(std::make_unique<FsckWorker>(factory_, state_, nodes_,
                                                      job_master_->fsck_queue(), options_));
    }
  }
  for (int i = 0; i < options_.reaper_jobs; ++i) {
    reapers_.push_back(std::make_unique<Reaper>(factory_, state_, options_));
  }
  if (job_master_) job_master_->Start();
  for (auto& w : replicators_) w->Start();
  for (auto& w : deleters_) w->Start();
  for (auto& w : fsckers_) w->Start();
  for (auto& w : reapers_) w->Start();
}

void WorkerSet::Stop() {
  if (job_master_) job_master_->Stop();  // closes the queues: idle workers return at once
  for (auto& w : replicators_) w->Stop();
  for (auto& w : deleters_) w->Stop();
  for (auto& w : fsckers_) w->Stop();
  for (auto& w : reapers_) w->Stop();
}

}  // namespace mog::tracker
