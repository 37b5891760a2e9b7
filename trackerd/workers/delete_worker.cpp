#include "trackerd/workers/delete_worker.h"

#include <algorithm>
#include <regex>

#include "common/log/logging.h"
#include "trackerd/workers/delete_plan.h"
#include "trackerd/workers/device_urls.h"
#include "trackerd/workers/job_master.h"
#include "trackerd/workers/worker_db_errors.h"

namespace mog::tracker {
namespace {

constexpr int kBatch = 50;  // "bored" batch: tempfiles / legacy rows per pass

std::vector<DevId> ParseDevids(const std::string& text) {
  static const std::regex kList(R"(^\d+(,\d+)*$)");
  std::vector<DevId> out;
  if (!std::regex_match(text, kList)) return out;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = std::min(text.find(',', pos), text.size());
    out.push_back(static_cast<DevId>(std::stoul(text.substr(pos, comma - pos))));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

bool DeleteFidCopies(Store& store, NodeClient& nodes, const ClusterSnapshot& snap,
                     const DeleteQueueRow& row, const WorkerOptions& options) {
  auto log = Logger("delete");
  const Fid fid = row.fid;
  ScopedNamedLock lock(store, "mgfs:fid:" + std::to_string(fid) + ":replicate");
  auto got = lock.Acquire(1);
  if (!got) return false;
  if (!*got) {
    CheckedDb(store.RescheduleDelete(fid, NextTry::In(1), true), "delete", fid,
              "reschedule (fid lock busy)");
    return false;
  }
  // The file is gone: nothing may replicate, rebalance or fsck it any more.
  CheckedDb(store.DequeueAllWork(fid), "delete", fid, "queue rows removal");
  CheckedDb(store.DeleteChecksum(fid), "delete", fid, "checksum removal");
  CheckedDb(store.DeleteTempfile(fid), "delete", fid, "tempfile removal");
  auto devids = store.GetFileOn(fid);
  if (!devids) {
    log->warn("fid {}: file_on read failed: {}", fid, devids.error().message());
    return false;
  }
  std::optional<int64_t> retry;  // the first postponement wins, as upstream
  auto postpone = [&](DeleteRetry why) {
    if (!retry) retry = DeleteRetrySeconds(why, row.failcount, options.delete_retry_scale);
  };
  for (DevId devid : *devids) {
    const DeleteStep step = PlanDeleteOnDevice(snap, devid);
    if (step.kind == DeleteStep::Kind::kDropRow) {
      CheckedDb(store.RemoveFileOn(fid, devid), "delete", fid,
                "file_on removal of dev" + std::to_string(devid));
      continue;
    }
    if (step.kind == DeleteStep::Kind::kRetryLater) {
      postpone(step.retry);
      continue;
    }
    auto url = FidPutUrl(snap, devid, fid);
    auto status = url ? nodes.Delete(*url) : NodeResult<int>(NodeError{});
    if (status && ((*status >= 200 && *status < 300) || *status == 404)) {
      CheckedDb(store.RemoveFileOn(fid, devid), "delete", fid,
                "file_on removal of dev" + std::to_string(devid));
    } else {
      log->info("fid {}: DELETE on dev{} failed: {}", fid, devid,
                status ? "HTTP " + std::to_string(*status) : status.error().message);
      postpone(DeleteRetry::kHttpFailed);
    }
  }
  auto left = store.GetFileOn(fid);
  if (!CheckedDb(left, "delete", fid, "file_on re-read")) return false;  // the lease retries
  if (left->empty()) {
    return CheckedDb(store.DequeueDelete(fid), "delete", fid, "delete queue row removal");
  }
  if (!retry)
    retry = DeleteRetrySeconds(DeleteRetry::kHttpFailed, row.failcount, options.delete_retry_scale);
  CheckedDb(store.RescheduleDelete(fid, NextTry::In(*retry), true), "delete", fid, "reschedule");
  return false;
}

int CollectOldTempfiles(Store& store, const WorkerOptions& options) {
  ScopedNamedLock lock(store, "mgfs:tempfiles");
  auto got = lock.Acquire(0);
  if (!got || !*got) return 0;
  auto rows = store.OldTempfiles(options.tempfile_too_old, kBatch);
  if (!rows) return 0;
  int handled = 0;
  for (const auto& t : *rows) {
    auto file = store.FileByFid(t.fid);
    if (!file) break;
    if (!*file) {
      // An upload never closed: its bytes may sit on the offered devices; delete them there.
      for (DevId devid : ParseDevids(t.devids)) {
        if (!store.AddFileOn(t.fid, devid)) return handled;
      }
      if (!store.EnqueueDelete(t.fid, NextTry::In(0))) return handled;
    }
    if (!store.DeleteTempfile(t.fid)) return handled;
    ++handled;
  }
  return handled;
}

DeleteWorker::DeleteWorker(StoreFactory& factory, ClusterState& state, NodeClient& nodes,
                           WorkQueue<DeleteQueueRow>& queue, const WorkerOptions& options)
    : factory_(factory), state_(state), nodes_(nodes), queue_(queue), options_(options) {}

void DeleteWorker::Start() {
  thread_.Start("delete", [this](WorkerThread& t) { Loop(t); });
}

void DeleteWorker::Loop(WorkerThread& thread) {
  auto store = ConnectStore(factory_, thread, "delete");
  auto idle = std::chrono::milliseconds(1000);
  auto last_housekeeping = std::chrono::steady_clock::time_point{};
  while (store && !thread.stopping()) {
    bool busy = false;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_housekeeping >= std::chrono::seconds(1)) {
      last_housekeeping = now;
      busy |= CollectOldTempfiles(*store, options_) > 0;
      // Legacy queues (file_to_delete, file_to_delete_later): nothing in 2.73 fills them;
      // their fids join file_to_delete2 so the one code path deletes them.
      if (auto legacy = store->LegacyDeleteFids(kBatch); legacy && !legacy->empty()) {
        for (Fid fid : *legacy) {
          if (CheckedDb(store->EnqueueDelete(fid, NextTry::In(0)), "delete", fid,
                        "legacy row move")) {
            CheckedDb(store->RemoveLegacyDelete(fid), "delete", fid, "legacy row removal");
          }
        }
        busy = true;
      }
    }
    for (int i = 0; i < kBatch && !thread.stopping(); ++i) {
      auto item = queue_.Pop(i == 0 ? idle : std::chrono::milliseconds(0));
      if (!item) break;
      busy = true;
      CheckedDb(RenewDeleteLease(*store, item->fid, options_.claim_lease), "delete", item->fid,
                "lease renewal");
      DeleteFidCopies(*store, nodes_, *state_.Snapshot(), *item, options_);
    }
    // Idle sleeps grow 1 -> 5 s (upstream); any work resets them.
    idle = busy ? std::chrono::milliseconds(1000)
                : std::min(idle + std::chrono::milliseconds(1000), std::chrono::milliseconds(5000));
  }
}

}  // namespace mog::tracker
