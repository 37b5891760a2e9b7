// Owns and runs the tracker's background workers other than the query threads: the JobMaster,
// the replicate, delete, reaper and fsck workers (tracker.md §6) and, once adopted, the
// Monitor; and gives them upstream's job control (`!jobs`, `!want`, `!to`).
//
// Upstream runs each job as child processes that its parent respawns; here each job is a set
// of threads of this process. `!want N job` records the desired count; a supervisor thread
// (about every 250 ms, or at once when asked) starts or stops workers until the count follows,
// logging upstream's "Job <job> has only N, wants M, making K." (seen by `!watch`). `!to job
// :shutdown` stops that job's workers, which the supervisor then starts afresh, as upstream's
// parent respawns a child that exited; `:wake_up` ends their idle waits so they look for work
// at once (for replicate, delete and fsck also the JobMaster's, which claims their rows).
// The replicate, delete and fsck workers take their work from the JobMaster's queues, so they
// run only while a JobMaster does (upstream does not spawn them without one either), and are
// started afresh with a new JobMaster; rows they held come back when their lease runs out.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "trackerd/nodes/node_client.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/worker_options.h"
#include "trackerd/workers/worker_thread.h"

namespace mog::tracker {

class JobMaster;
class ReplicateWorker;
class DeleteWorker;
class Reaper;
class FsckWorker;
class Monitor;

struct JobStatus {
  std::string name;
  int count = 0;    // workers running now
  int desired = 0;  // what `!want` (or the config) asked for
  std::vector<pid_t> pids;  // their thread ids
};

class WorkerSet {
 public:
  WorkerSet(StoreFactory& factory, ClusterState& state, NodeClient& nodes, WorkerOptions options);
  ~WorkerSet();
  WorkerSet(const WorkerSet&) = delete;
  WorkerSet& operator=(const WorkerSet&) = delete;

  // The job classes this set runs: delete, fsck, job_master, reaper, replicate, and monitor
  // once AdoptMonitor was called.
  std::vector<std::string> JobNames() const;

  // Puts an already running Monitor under job control (`!want 0 monitor` stops it).
  void AdoptMonitor(Monitor* monitor);

  // Starts every worker the options ask for, and the supervisor. Without a JobMaster
  // (job_master = 0, --no-job_master) the replicate / delete / fsck workers are not started
  // (they have nothing to work on), as upstream; the reaper runs regardless.
  void Start();
  // Stops all workers (in-flight items finish or are left to their lease). Idempotent.
  void Stop();

  // `!want`: false if `job` is not one of JobNames(). job_master and monitor are capped at 1
  // by the caller, as upstream.
  bool SetDesired(std::string_view job, int count);
  std::optional<JobStatus> Status(std::string_view job) const;
  // `!to <job> <message>`: how many workers of `job` got it (0 for an unknown job).
  int Send(std::string_view job, std::string_view message);

  const WorkerOptions& options() const { return options_; }

 private:
  void Supervise(WorkerThread& thread);
  // One pass of the supervisor: stop what must go (outside the lock), start what is missing.
  void Reconcile();
  bool NeedsJobMaster(std::string_view job) const;
  bool KnownLocked(std::string_view job) const;  // one of JobNames()
  int CountLocked(std::string_view job) const;
  std::vector<pid_t> PidsLocked(std::string_view job) const;

  StoreFactory& factory_;
  ClusterState& state_;
  NodeClient& nodes_;
  WorkerOptions options_;

  mutable std::mutex mu_;  // guards everything below but the supervisor thread
  bool started_ = false;
  bool stopped_ = false;
  std::map<std::string, int, std::less<>> desired_;
  std::set<std::string, std::less<>> restart_;  // jobs told `:shutdown`, not yet restarted
  Monitor* monitor_ = nullptr;
  bool monitor_running_ = false;
  std::unique_ptr<JobMaster> job_master_;
  std::vector<std::unique_ptr<ReplicateWorker>> replicators_;
  std::vector<std::unique_ptr<DeleteWorker>> deleters_;
  std::vector<std::unique_ptr<Reaper>> reapers_;
  std::vector<std::unique_ptr<FsckWorker>> fsckers_;
  WorkerThread supervisor_;
};

}  // namespace mog::tracker
