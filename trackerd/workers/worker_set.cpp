#include "trackerd/workers/worker_set.h"

#include <functional>

#include "common/log/logging.h"
#include "trackerd/workers/delete_worker.h"
#include "trackerd/workers/fsck_worker.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/monitor.h"
#include "trackerd/workers/reaper.h"
#include "trackerd/workers/replicate_worker.h"

namespace mog::tracker {
namespace {

constexpr std::chrono::milliseconds kSupervisePeriod{250};

// Workers taken out of the set under the lock, stopped (joined) after it is released, in the
// order they were taken: a join may wait for an item in progress, and `!jobs` must not.
struct Dying {
  std::vector<std::function<void()>> stops;

  template <typename W>
  void Take(std::vector<std::unique_ptr<W>>& workers, size_t keep) {
    while (workers.size() > keep) {
      std::shared_ptr<W> w(std::move(workers.back()));
      workers.pop_back();
      stops.push_back([w] { w->Stop(); });
    }
  }
  void Run() {
    for (auto& stop : stops) stop();
    stops.clear();
  }
};

void LogSpawn(std::string_view job, size_t have, int want) {
  // Upstream's parent logs exactly this before forking; `!watch` clients (and upstream's own
  // tests) wait for it.
  Logger("workers")->info("Job {} has only {}, wants {}, making {}.", job, have, want,
                          static_cast<size_t>(want) - have);
}

template <typename W>
std::vector<pid_t> ThreadIds(const std::vector<std::unique_ptr<W>>& workers) {
  std::vector<pid_t> out;
  for (const auto& w : workers) {
    if (pid_t t = w->thread().tid()) out.push_back(t);
  }
  return out;
}

}  // namespace

WorkerSet::WorkerSet(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
                     WorkerOptions options)
    : factory_(factory), state_(state), nodes_(nodes), options_(std::move(options)) {
  // Known from the start, so `!jobs` before the workers start (the Monitor's first round)
  // shows what is wanted; a `!want` that comes before the start wins.
  desired_["job_master"] = options_.job_master ? 1 : 0;
  desired_["replicate"] = options_.replicate_jobs;
  desired_["delete"] = options_.delete_jobs;
  desired_["fsck"] = options_.fsck_jobs;
  desired_["reaper"] = options_.reaper_jobs;
}

WorkerSet::~WorkerSet() { Stop(); }

std::vector<std::string> WorkerSet::JobNames() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out = {"delete", "fsck", "job_master", "reaper", "replicate"};
  if (monitor_) out.push_back("monitor");
  return out;
}

bool WorkerSet::KnownLocked(std::string_view job) const {
  if (job == "monitor") return monitor_ != nullptr;
  return job == "job_master" || job == "replicate" || job == "delete" || job == "fsck" ||
         job == "reaper";
}

void WorkerSet::AdoptMonitor(Monitor* monitor) {
  std::lock_guard lock(mu_);
  monitor_ = monitor;
  monitor_running_ = monitor != nullptr;
  desired_.try_emplace("monitor", monitor ? 1 : 0);
}

bool WorkerSet::NeedsJobMaster(std::string_view job) const {
  return job == "replicate" || job == "delete" || job == "fsck";
}

void WorkerSet::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_ || stopped_) return;
    started_ = true;
  }
  Reconcile();
  supervisor_.Start("jobs", [this](WorkerThread& t) { Supervise(t); });
}

void WorkerSet::Supervise(WorkerThread& thread) {
  while (thread.SleepFor(kSupervisePeriod)) Reconcile();
}

void WorkerSet::Reconcile() {
  Dying dying;
  {
    std::lock_guard lock(mu_);
    if (!started_ || stopped_) return;
    const bool want_jm = desired_["job_master"] > 0;
    const bool jm_restart = restart_.erase("job_master") > 0;
    if (job_master_ && (!want_jm || jm_restart)) {
      // Its queues go with it: every worker fed by them is started afresh with the next one.
      dying.Take(replicators_, 0);
      dying.Take(deleters_, 0);
      dying.Take(fsckers_, 0);
      std::shared_ptr<JobMaster> jm(std::move(job_master_));
      dying.stops.push_back([jm] { jm->Stop(); });
    }
    auto keep = [&](const char* job) -> size_t {
      if (restart_.erase(job) > 0) return 0;
      return static_cast<size_t>(std::max(desired_[job], 0));
    };
    dying.Take(replicators_, keep("replicate"));
    dying.Take(deleters_, keep("delete"));
    dying.Take(fsckers_, keep("fsck"));
    dying.Take(reapers_, keep("reaper"));
    if (monitor_ && monitor_running_ && (keep("monitor") == 0)) {
      monitor_running_ = false;
      dying.stops.push_back([m = monitor_] { m->Stop(); });
    }
  }
  dying.Run();

  std::lock_guard lock(mu_);
  if (stopped_) return;
  if (desired_["job_master"] > 0 && !job_master_) {
    LogSpawn("job_master", 0, 1);
    job_master_ = std::make_unique<JobMaster>(factory_, state_, options_);
    job_master_->Start();
  }
  auto grow = [&](const char* job, auto& workers, auto make) {
    const int want = (NeedsJobMaster(job) && !job_master_) ? 0 : desired_[job];
    if (static_cast<int>(workers.size()) >= want) return;
    LogSpawn(job, workers.size(), want);
    while (static_cast<int>(workers.size()) < want) {
      workers.push_back(make());
      workers.back()->Start();
    }
  };
  grow("replicate", replicators_, [&] {
    return std::make_unique<ReplicateWorker>(factory_, state_, nodes_,
                                             job_master_->replicate_queue(),
                                             job_master_->rebalance_queue(), options_);
  });
  grow("delete", deleters_, [&] {
    return std::make_unique<DeleteWorker>(factory_, state_, nodes_, job_master_->delete_queue(),
                                          options_);
  });
  grow("fsck", fsckers_, [&] {
    return std::make_unique<FsckWorker>(factory_, state_, nodes_, job_master_->fsck_queue(),
                                        options_);
  });
  grow("reaper", reapers_, [&] { return std::make_unique<Reaper>(factory_, state_, options_); });
  if (monitor_ && !monitor_running_ && desired_["monitor"] > 0) {
    LogSpawn("monitor", 0, 1);
    monitor_->Start();
    monitor_running_ = true;
  }
}

void WorkerSet::Stop() {
  Dying dying;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  supervisor_.Stop();
  {
    std::lock_guard lock(mu_);
    dying.Take(replicators_, 0);
    dying.Take(deleters_, 0);
    dying.Take(fsckers_, 0);
    if (job_master_) {
      // Closes the queues: idle workers return at once.
      std::shared_ptr<JobMaster> jm(std::move(job_master_));
      dying.stops.insert(dying.stops.begin(), [jm] { jm->Stop(); });
    }
    dying.Take(reapers_, 0);
  }
  dying.Run();  // the Monitor stays: the tracker stops it after the workers
}

bool WorkerSet::SetDesired(std::string_view job, int count) {
  {
    std::lock_guard lock(mu_);
    if (!KnownLocked(job)) return false;
    desired_[std::string(job)] = std::max(count, 0);
  }
  supervisor_.Wake();
  return true;
}

int WorkerSet::CountLocked(std::string_view job) const {
  if (job == "job_master") return job_master_ ? 1 : 0;
  if (job == "monitor") return monitor_running_ ? 1 : 0;
  if (job == "replicate") return static_cast<int>(replicators_.size());
  if (job == "delete") return static_cast<int>(deleters_.size());
  if (job == "fsck") return static_cast<int>(fsckers_.size());
  if (job == "reaper") return static_cast<int>(reapers_.size());
  return 0;
}

std::vector<pid_t> WorkerSet::PidsLocked(std::string_view job) const {
  if (job == "job_master" && job_master_) {
    if (pid_t t = job_master_->thread().tid()) return {t};
  }
  if (job == "monitor" && monitor_running_ && monitor_->tid()) return {monitor_->tid()};
  if (job == "replicate") return ThreadIds(replicators_);
  if (job == "delete") return ThreadIds(deleters_);
  if (job == "fsck") return ThreadIds(fsckers_);
  if (job == "reaper") return ThreadIds(reapers_);
  return {};
}

std::optional<JobStatus> WorkerSet::Status(std::string_view job) const {
  std::lock_guard lock(mu_);
  if (!KnownLocked(job)) return std::nullopt;
  auto it = desired_.find(job);
  JobStatus s;
  s.name = std::string(job);
  s.count = CountLocked(job);
  s.desired = it == desired_.end() ? 0 : it->second;
  s.pids = PidsLocked(job);
  return s;
}

int WorkerSet::Send(std::string_view job, std::string_view message) {
  int n = 0;
  {
    std::lock_guard lock(mu_);
    n = CountLocked(job);
    if (n == 0) return 0;
    if (message.starts_with(":shutdown")) {
      restart_.insert(std::string(job));
    } else if (message.starts_with(":wake_up")) {
      auto wake = [](auto& workers) {
        for (auto& w : workers) w->thread().Wake();
      };
      if (job == "replicate") wake(replicators_);
      if (job == "delete") wake(deleters_);
      if (job == "fsck") wake(fsckers_);
      if (job == "reaper") wake(reapers_);
      // The JobMaster claims the rows these workers work on: it looks at once too.
      if (job_master_ && (job == "job_master" || NeedsJobMaster(job))) {
        job_master_->thread().Wake();
      }
      if (job == "monitor") state_.RequestMonitorRound();
    }
    // Other messages (upstream's :set_config_from_parent, :monitor_events, …) carry state
    // that our threads share directly: delivered, nothing to do.
  }
  supervisor_.Wake();
  return n;
}

}  // namespace mog::tracker
