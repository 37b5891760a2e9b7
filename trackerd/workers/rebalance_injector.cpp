#include "trackerd/workers/rebalance_injector.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "common/log/logging.h"
#include "common/protocol/line_codec.h"
#include "trackerd/query/query_context.h"
#include "trackerd/query/rebalance_policy.h"
#include "trackerd/workers/rebalance_planner.h"
#include "trackerd/workers/rebalance_state.h"
#include "trackerd/workers/worker_db_errors.h"

namespace mog::tracker {
namespace {

constexpr int64_t kDefaultQueueSize = 10000;  // queue_size_for_rebal
constexpr int64_t kDefaultQueueRate = 500;    // queue_rate_for_rebal
constexpr int64_t kNoDestinationLogEvery = 60;

// Perl's `setting || default`: unset, empty and 0 all mean the default.
int64_t SettingOr(Store& store, std::string_view key, int64_t fallback) {
  auto v = store.GetServerSetting(key);
  if (!v || !*v) return fallback;
  const int64_t n = PerlInt(**v);
  return n > 0 ? n : fallback;
}

Result<void> SaveState(Store& store, const RebalanceState& state) {
  return store.SetServerSetting("rebal_state", FormatRebalanceState(state));
}

Result<void> SaveOperatorDrained(Store& store, const std::vector<DevId>& ids) {
  if (ids.empty()) return store.DeleteServerSetting(kOperatorDrainSetting);
  return store.SetServerSetting(kOperatorDrainSetting, FormatDevIdList(ids));
}

// Puts a source device back once the run is done with it: only from `drain` (an operator who
// has since marked it down or dead keeps that), and only if it was the run that drained it.
void RestoreSource(Store& store, DevId devid, bool leave_in_drain_mode,
                   const std::vector<DevId>& operator_drained) {
  if (devid == 0) return;
  const auto status = StatusAfterRebalance(devid, leave_in_drain_mode, operator_drained);
  if (!status) return;
  auto row = store.GetDevice(devid);
  if (!row || !*row || (*row)->status != "drain") return;
  DeviceUpdate update;
  update.status = *status;
  if (auto r = store.UpdateDevice(devid, update); !r) {
    Logger("job_master")
        ->warn("rebalance: dev{} not set back to {}: {}", devid, *status, r.error().message());
    return;
  }
  Logger("job_master")->info("rebalance: dev{} set back to {}", devid, *status);
}

void Remove(std::vector<DevId>& ids, DevId devid) {
  ids.erase(std::remove(ids.begin(), ids.end(), devid), ids.end());
}

}  // namespace

RebalanceInjector::RebalanceInjector(std::string hostname, Clock clock, RandomSource& random)
    : hostname_(std::move(hostname)), clock_(std::move(clock)), random_(random) {
  if (!clock_) clock_ = [] { return static_cast<int64_t>(std::time(nullptr)); };
}

bool RebalanceInjector::RunIfOwner(Store& store, const ClusterSnapshot& snap) {
  auto host = store.GetServerSetting("rebal_host");
  if (!host || !*host || **host != hostname_) return false;
  auto log = Logger("job_master");
  const int64_t now = clock_();

  auto signal = store.GetServerSetting("rebal_signal");
  auto policy_text = store.GetServerSetting("rebal_policy");
  auto state_text = store.GetServerSetting("rebal_state");
  auto drained_text = store.GetServerSetting(kOperatorDrainSetting);
  if (!signal || !policy_text || !state_text || !drained_text) {
    log->warn("rebalance: settings unreadable, retrying next round");
    return false;
  }
  std::vector<DevId> operator_drained = ParseDevIdList(drained_text->value_or(""));
  auto policy = ParseRebalancePolicy(policy_text->value_or(""));
  const bool leave_in_drain = policy && PerlTrue(policy->values.at("leave_in_drain_mode"));

  RebalanceState state;
  if (PerlTrue(state_text->value_or(""))) {
    state = ParseRebalanceState(**state_text);
  } else if (policy) {
    // rebalance_start normally saves the initial state; a run without one starts here.
    for (uint32_t id : RebalanceSourceDevices(*policy, snap)) state.source_devs.push_back(id);
    state.time_started = now;
  }

  // A stop (or a policy that cannot drive the run) ends the run where it is; the saved
  // cursor lets rebalance_start resume it.
  const bool stop = signal->value_or("") == "stop";
  if (stop || !policy || !PerlTrue(policy_text->value_or(""))) {
    if (!stop) {
      log->error("rebalance: stopping, the policy is unusable: {}",
                 policy ? std::string("no rebal_policy") : policy.error().message());
    }
    RestoreSource(store, state.sdev_current, leave_in_drain, operator_drained);
    state.time_stopped = now;
    if (auto r = SaveState(store, state); !r) {
      log->warn("rebalance: state not saved: {}", r.error().message());
      return false;
    }
    CheckedDb(store.DeleteServerSetting("rebal_signal"), "job_master", std::nullopt,
              "rebal_signal removal");
    CheckedDb(store.DeleteServerSetting("rebal_host"), "job_master", std::nullopt,
              "rebal_host removal");
    log->info("rebalance stopped");
    return false;
  }

  auto queued = store.CountQueue(kQueueTypeRebalance);
  if (!queued) return false;
  if (static_cast<int64_t>(*queued) >=
      SettingOr(store, "queue_size_for_rebal", kDefaultQueueSize)) {
    return false;
  }
  const int64_t rate = SettingOr(store, "queue_rate_for_rebal", kDefaultQueueRate);

  RebalancePlanner planner(*policy, state);
  bool started = false;
  const std::optional<DevId> sdev = planner.CurrentSource(&started);
  if (!sdev) {
    state.time_finished = now;
    if (auto r = SaveState(store, state); !r) return false;
    CheckedDb(store.DeleteServerSetting("rebal_host"), "job_master", std::nullopt,
              "rebal_host removal");
    log->info("rebalance finished: {} fids ({} bytes) queued from devices {}", state.fids_queued,
              state.bytes_queued, FormatDevIdList(state.completed_devs));
    return false;
  }

  auto row = store.GetDevice(*sdev);
  if (!row) return false;
  const std::string status = *row ? (*row)->status : std::string();
  if (started) {
    // Remember the operator's own drain before the run's drain hides it, and make the new
    // current device durable before touching its status.
    Remove(operator_drained, *sdev);
    if (status == "drain") operator_drained.push_back(*sdev);
    if (!SaveOperatorDrained(store, operator_drained) || !SaveState(store, state)) return false;
  }
  if (status != "alive" && status != "drain") {
    // Marked down/dead/readonly since (or unknown): nothing can be deleted from it now.
    log->warn("rebalance: dev{} is {}, skipping it", *sdev, status.empty() ? "unknown" : status);
    planner.FinishSource();
    Remove(operator_drained, *sdev);
    CheckedDb(SaveOperatorDrained(store, operator_drained), "job_master", std::nullopt,
              "rebalance drained-list save");
    CheckedDb(SaveState(store, state), "job_master", std::nullopt, "rebalance state save");
    return false;
  }
  if (status == "alive") {
    DeviceUpdate update;
    update.status = "drain";
    if (auto r = store.UpdateDevice(*sdev, update); !r) {
      log->warn("rebalance: dev{} not set to drain: {}", *sdev, r.error().message());
      return false;
    }
    log->info("rebalance: dev{} set to drain while its files move", *sdev);
  }

  const std::vector<uint32_t> dests =
      RebalanceDestDevices(*policy, snap, planner.DestinationExclusions());
  if (dests.empty()) {
    if (now - last_no_dest_log_ >= kNoDestinationLogEvery) {
      log->warn("rebalance: no destination device matches the policy; waiting");
      last_no_dest_log_ = now;
    }
    return false;
  }

  auto fids =
      store.FidsOnDevice(*sdev, state.sdev_lastfid,
                         static_cast<int>(std::min<int64_t>(rate, 100000)), planner.descending());
  if (!fids) {
    log->warn("rebalance: fids of dev{}: {}", *sdev, fids.error().message());
    return false;
  }
  if (fids->empty() || !planner.HasBudget()) {
    // Finish a device only once its moves are worked off (upstream goes straight on). The
    // queue holds one row per fid and type, so a fid that also lives on the next source would
    // be skipped there while its move off this one is pending; and a device given back its
    // old status while moves off it are pending could receive the very files leaving it.
    if (*queued > 0) return false;
    const DevId done = planner.FinishSource();
    RestoreSource(store, done, leave_in_drain, operator_drained);
    Remove(operator_drained, done);
    CheckedDb(SaveOperatorDrained(store, operator_drained), "job_master", std::nullopt,
              "rebalance drained-list save");
    CheckedDb(SaveState(store, state), "job_master", std::nullopt, "rebalance state save");
    log->info("rebalance: dev{} done ({} fids queued so far)", done, state.fids_queued);
    return false;
  }

  auto files = store.FilesByFids(*fids);
  if (!files) return false;
  std::map<Fid, uint64_t> lengths;
  for (const FileRow& f : *files) lengths[f.fid] = f.length;

  state.sdev_lastfid = fids->back();
  std::vector<QueueRow> rows;
  for (Fid fid : *fids) {
    auto it = lengths.find(fid);
    if (it == lengths.end()) continue;  // file_on left over from a deleted file
    if (!planner.Charge(it->second)) continue;
    QueueRow q;
    q.fid = fid;
    q.devid = *sdev;
    q.type = kQueueTypeRebalance;
    q.nexttry = 0;
    q.arg = FormatDevIdList(planner.PickDestinations(dests, random_));
    rows.push_back(std::move(q));
    planner.NoteQueued(it->second);
  }
  planner.NoteRound(now, rows.size());
  if (!rows.empty()) {
    if (auto r = store.EnqueueQueueRows(rows); !r) {
      log->warn("rebalance: queueing failed: {}", r.error().message());
      return false;  // state not saved: the same page is tried again
    }
  }
  if (auto r = SaveState(store, state); !r) {
    log->warn("rebalance: state not saved: {}", r.error().message());
  }
  return !rows.empty();
}

}  // namespace mog::tracker
