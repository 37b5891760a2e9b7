#include "trackerd/workers/job_master.h"

#include <charconv>

#include "common/log/logging.h"
#include "trackerd/workers/fsck_injector.h"
#include "trackerd/workers/rebalance_injector.h"

namespace mog::tracker {
namespace {

constexpr int kDefaultQueueLimit = 500;  // internal_queue_limit
constexpr std::chrono::milliseconds kBusyRecheck{50};

// Claims under the named lock (the claim itself dates the rows to the short lease, in its own
// transaction) and queues them.
template <typename Row, typename Claim>
bool Feed(Store& store, WorkQueue<Row>& queue, BatchSizer& sizer, int limit, const char* lock_name,
          int lock_timeout, Claim claim) {
  const int want = sizer.WantFetch(queue.size(), limit);
  if (want <= 0) return false;
  ScopedNamedLock lock(store, lock_name);
  auto got = lock.Acquire(lock_timeout);
  if (!got) {
    Logger("job_master")->warn("GET_LOCK {} failed: {}", lock_name, got.error().message());
    return false;
  }
  if (!*got) return false;
  auto rows = claim(want);
  if (!rows) {
    Logger("job_master")->warn("claim under {} failed: {}", lock_name, rows.error().message());
    return false;
  }
  sizer.Found(!rows->empty());
  if (rows->empty()) return false;
  queue.Push(std::move(*rows));
  return true;
}

}  // namespace

Result<void> RenewReplicateLease(Store& store, Fid fid, std::chrono::seconds lease) {
  return store.RescheduleReplicate(fid, NextTry::In(lease.count()), false);
}
Result<void> RenewDeleteLease(Store& store, Fid fid, std::chrono::seconds lease) {
  return store.RescheduleDelete(fid, NextTry::In(lease.count()), false);
}
Result<void> RenewQueueLease(Store& store, Fid fid, int type, std::chrono::seconds lease) {
  return store.RescheduleQueue(fid, type, NextTry::In(lease.count()), false);
}

JobMaster::JobMaster(StoreFactory& factory, ClusterState& state, WorkerOptions options)
    : factory_(factory),
      state_(state),
      options_(std::move(options)),
      fsck_injector_(std::make_unique<FsckInjector>(options_.hostname)),
      rebalance_injector_(std::make_unique<RebalanceInjector>(options_.hostname)) {}

JobMaster::~JobMaster() { Stop(); }

void JobMaster::Start() {
  thread_.Start("job_master", [this](WorkerThread& t) { Loop(t); });
}

void JobMaster::Stop() {
  thread_.Stop();
  replicate_.Close();
  delete_.Close();
  fsck_.Close();
  rebalance_.Close();
}

int JobMaster::QueueLimit() const {
  auto snap = state_.Snapshot();
  if (auto v = snap->Setting("internal_queue_limit")) {
    int n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec == std::errc() && n > 0) return n;
  }
  return kDefaultQueueLimit;
}

bool JobMaster::RunRound(Store& store) {
  const int limit = QueueLimit();
  const int lease = static_cast<int>(options_.claim_lease.count());
  const int lt = options_.claim_lock_timeout_seconds;
  bool fed = false;
  fed |= Feed(store, replicate_, replicate_batch_, limit, "mfsd:file_to_replicate", lt,
              [&](int n) { return store.ClaimReplicate(n, lease); });
  fed |= Feed(store, delete_, delete_batch_, limit, "mfsd:file_to_delete2", lt,
              [&](int n) { return store.ClaimDelete(n, lease); });
  if (options_.fsck_jobs > 0) {
    fsck_injector_->RunIfOwner(store);
    fed |= Feed(store, fsck_, fsck_batch_, limit, "mfsd:file_to_queue", lt,
                [&](int n) { return store.ClaimQueue(kQueueTypeFsck, n, lease); });
  }
  // Injection runs even without replicate workers here: another tracker's may take the rows.
  fed |= rebalance_injector_->RunIfOwner(store, *state_.Snapshot());
  if (options_.replicate_jobs > 0) {
    fed |= Feed(store, rebalance_, rebalance_batch_, limit, "mfsd:file_to_queue", lt,
                [&](int n) { return store.ClaimQueue(kQueueTypeRebalance, n, lease); });
  }
  return fed;
}

void JobMaster::Loop(WorkerThread& thread) {
  auto store = ConnectStore(factory_, thread, "job_master");
  while (store && !thread.stopping()) {
    const bool fed = RunRound(*store);
    if (fed) continue;
    // Nothing claimed. When that is only because the workers still hold enough queued rows,
    // look again soon: they drain a batch long before job_master_idle is over and would then
    // sit idle (upstream's pacing; half of its replication time here). An idle look costs no
    // query: the batch sizer wants nothing while the queues are full.
    const bool queued = replicate_.size() > 0 || delete_.size() > 0 || fsck_.size() > 0 ||
                        rebalance_.size() > 0;
    if (!thread.SleepFor(queued ? kBusyRecheck : options_.job_master_idle)) break;
  }
}

}  // namespace mog::tracker
