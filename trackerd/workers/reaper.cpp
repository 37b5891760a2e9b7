#include "trackerd/workers/reaper.h"

#include <charconv>

#include "common/log/logging.h"

namespace mog::tracker {
namespace {

std::optional<int64_t> SettingNumber(const ClusterSnapshot& snap, const std::string& key) {
  auto v = snap.Setting(key);
  if (!v || v->empty()) return std::nullopt;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc()) return std::nullopt;
  return n;
}

}  // namespace

int ReapDevice(Store& store, const ClusterSnapshot& snap, DevId devid) {
  ScopedNamedLock lock(store, "mgfs:reaper");
  auto got = lock.Acquire(60);
  if (!got || !*got) return -1;
  int64_t limit = SettingNumber(snap, "queue_rate_for_reaper").value_or(1000);
  if (auto cap = SettingNumber(snap, "queue_size_for_reaper")) {
    auto deferred = store.CountDeferredReplicate();
    if (!deferred) return -1;
    limit = std::min<int64_t>(limit, *cap - static_cast<int64_t>(*deferred));
  }
  if (limit <= 0) return 0;
  auto fids = store.FidsOnDevice(devid, 0, static_cast<int>(limit));
  if (!fids) return -1;
  int moved = 0;
  for (Fid fid : *fids) {
    if (!store.EnqueueReplicate(fid, std::nullopt, NextTry::In(1))) return -1;
    if (!store.RemoveFileOn(fid, devid)) return -1;
    ++moved;
  }
  if (moved > 0) Logger("reaper")->info("dev{}: {} fids queued for re-replication", devid, moved);
  return moved;
}

Reaper::Reaper(StoreFactory& factory, ClusterState& state, const WorkerOptions& options)
    : factory_(factory), state_(state), options_(options) {}

void Reaper::Start() {
  thread_.Start("reaper", [this](WorkerThread& t) { Loop(t); });
}

void Reaper::Loop(WorkerThread& thread) {
  auto store = ConnectStore(factory_, thread, "reaper");
  while (store && !thread.stopping()) {
    auto snap = state_.Snapshot();
    const auto now = std::chrono::steady_clock::now();
    // Devices that left `dead` stop being reaped (and start afresh if they die again).
    for (auto it = reaping_.begin(); it != reaping_.end();) {
      const Device* dev = snap->FindDevice(it->first);
      it = (!dev || dev->status != DeviceStatus::kDead) ? reaping_.erase(it) : std::next(it);
    }
    for (const auto& [devid, dev] : snap->devices()) {
      if (dev.status != DeviceStatus::kDead) continue;
      auto [it, fresh] = reaping_.try_emplace(devid);
      DeviceReaping& r = it->second;
      if (fresh) {
        r.first_seen = now;
        r.next_pass = now + options_.reaper_start_delay;
      }
      if (r.given_up || now < r.next_pass) continue;
      const int moved = ReapDevice(*store, *snap, devid);
      if (moved < 0) {
        r.next_pass = now + options_.reaper_interval;
        continue;
      }
      auto delay = r.backoff.Next(moved > 0);
      if (!delay) {
        r.given_up = true;
        continue;
      }
      // The first step (5 s) follows reaper_interval so tests can shorten it.
      r.next_pass =
          now + (*delay == 5 ? options_.reaper_interval : std::chrono::milliseconds(*delay * 1000));
    }
    if (!thread.SleepFor(std::min<std::chrono::milliseconds>(options_.reaper_interval,
                                                             std::chrono::milliseconds(1000)))) {
      break;
    }
  }
}

}  // namespace mog::tracker
