#include "trackerd/workers/replication_nudger.h"

#include "common/log/logging.h"

namespace mog::tracker {

std::map<uint32_t, DeviceObserved> ObservedDevices(const ClusterSnapshot& snap) {
  std::map<uint32_t, DeviceObserved> out;
  for (const auto& [devid, dev] : snap.devices()) out[devid] = dev.observed;
  return out;
}

std::vector<uint32_t> ReturnedDevices(const std::map<uint32_t, DeviceObserved>& before,
                                      const ClusterSnapshot& now) {
  std::vector<uint32_t> out;
  for (const auto& [devid, dev] : now.devices()) {
    if (dev.observed != DeviceObserved::kWriteable) continue;
    auto was = before.find(devid);
    if (was == before.end()) continue;
    if (was->second == DeviceObserved::kUnreachable || was->second == DeviceObserved::kReadable) {
      out.push_back(devid);
    }
  }
  return out;
}

ReplicationNudger::ReplicationNudger(ClusterState& state, StoreFactory& factory,
                                     std::chrono::milliseconds poll)
    : state_(state), factory_(factory), poll_(poll) {}

void ReplicationNudger::Start() {
  thread_.Start("repl_nudger", [this](WorkerThread& t) { Loop(t); });
}

void ReplicationNudger::Stop() { thread_.Stop(); }

void ReplicationNudger::Loop(WorkerThread& thread) {
  auto log = Logger("replicate");
  std::unique_ptr<Store> store;
  std::map<uint32_t, DeviceObserved> seen = ObservedDevices(*state_.Snapshot());
  bool owed = false;  // a return whose nudge failed (DB down): retried every poll
  while (thread.SleepFor(poll_)) {
    auto snap = state_.Snapshot();
    const auto returned = ReturnedDevices(seen, *snap);
    // Keep the last real observation: an unknown one (a device just added) must not hide a
    // later return.
    for (const auto& [devid, observed] : ObservedDevices(*snap)) {
      if (observed != DeviceObserved::kUnknown) seen[devid] = observed;
    }
    if (!returned.empty() || owed) {
      if (!store) {
        auto made = factory_.Create();
        if (made) store = std::move(*made);
      }
      auto moved = store ? store->ReplicateNow() : Result<uint64_t>(Error(Errc::kDb, "no DB"));
      owed = !moved;
      if (!moved) {
        store.reset();
        log->warn("device back, but delayed replication not made due: {}", moved.error().message());
      } else if (!returned.empty()) {
        log->info("dev{} writeable again: {} delayed replication rows made due", returned.front(),
                  *moved);
      }
    }
  }
}

}  // namespace mog::tracker
