#include "trackerd/workers/fsck_injector.h"

#include <charconv>

#include "common/log/logging.h"
#include "trackerd/workers/worker_db_errors.h"

namespace mog::tracker {
namespace {

int64_t SettingNumber(Store& store, std::string_view key, int64_t fallback) {
  auto v = store.GetServerSetting(key);
  if (!v || !*v || (*v)->empty()) return fallback;
  int64_t n = 0;
  const std::string& s = **v;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() ? n : fallback;
}

}  // namespace

Result<void> SummarizeFsckLog(Store& store) {
  ScopedNamedLock lock(store, "mgfs:fscksum");
  auto got = lock.Acquire(10);
  if (!got) return got.error();
  if (!*got) return {};
  const auto processed = static_cast<uint64_t>(SettingNumber(store, "fsck_logid_processed", 0));
  auto max = store.MaxFsckLogid();
  if (!max) return max.error();
  if (*max <= processed) return {};
  auto counts = store.FsckLogCounts(processed, *max);
  if (!counts) return counts.error();
  for (const auto& [code, n] : *counts) {
    auto r = store.IncrServerSetting("fsck_sum_evcount_" + code, static_cast<int64_t>(n));
    if (!r) return r.error();
  }
  return store.SetServerSetting("fsck_logid_processed", std::to_string(*max));
}

bool FsckInjector::RunIfOwner(Store& store) {
  auto host = store.GetServerSetting("fsck_host");
  if (!host || !*host || **host != hostname_) return false;
  auto log = Logger("job_master");
  if (auto r = SummarizeFsckLog(store); !r) log->warn("fsck log summary: {}", r.error().message());

  const int64_t queue_size = SettingNumber(store, "queue_size_for_fsck", 20000);
  const int64_t queue_rate = SettingNumber(store, "queue_rate_for_fsck", 1000);
  auto queued = store.CountQueue(kQueueTypeFsck);
  if (!queued || static_cast<int64_t>(*queued) >= queue_size) return false;

  const auto highest = static_cast<Fid>(SettingNumber(store, "fsck_highest_fid_checked", 0));
  const auto at_end = static_cast<Fid>(SettingNumber(store, "fsck_fid_at_end", 0));
  auto fids =
      store.FidsBetween(highest, at_end, static_cast<int>(std::max<int64_t>(queue_rate, 1)));
  if (!fids) {
    log->warn("fsck injection: {}", fids.error().message());
    return false;
  }
  if (fids->empty()) {
    CheckedDb(store.DeleteServerSetting("fsck_host"), "job_master", std::nullopt,
              "fsck_host removal");
    auto now = store.DbNow();
    if (CheckedDb(now, "job_master", std::nullopt, "database clock read")) {
      CheckedDb(store.SetServerSetting("fsck_stop_time", std::to_string(*now)), "job_master",
                std::nullopt, "fsck_stop_time save");
    }
    log->info("fsck run finished (highest fid checked {})", highest);
    return false;
  }
  std::vector<QueueRow> rows;
  rows.reserve(fids->size());
  for (Fid fid : *fids) {
    QueueRow row;
    row.fid = fid;
    row.type = kQueueTypeFsck;
    row.nexttry = 0;
    rows.push_back(row);
  }
  if (auto r = store.EnqueueQueueRows(rows); !r) {
    log->warn("fsck injection: {}", r.error().message());
    return false;
  }
  // Not saved, the cursor stays behind: the same fids are queued again (harmless, INSERT
  // IGNORE), never skipped.
  CheckedDb(store.SetServerSetting("fsck_highest_fid_checked", std::to_string(fids->back())),
            "job_master", std::nullopt, "fsck cursor save");
  return true;
}

}  // namespace mog::tracker
