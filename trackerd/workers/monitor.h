// The Monitor worker (tracker.md §6.1, storage-and-tools.md §5.2): every ~2.5 s it probes every
// monitored device over HTTP and publishes what it saw into ClusterState (host reachable /
// unreachable; device writeable / readable / unreachable; usage; reject_bad_md5), writes usage
// to the database (only the tracker holding `mgfs:device_update`), and keeps one `watch`
// side-channel subscription per host for utilization.
//
// Wiring (trackerd/tracker.cpp, owned by B2):
//
//   HttpNodeClientOptions mon_http;
//   mon_http.timeout = std::chrono::seconds(config.conn_timeout);   // Monitor uses conn_timeout
//   mon_http.pool_size = config.conn_pool_size;
//   mon_http.skip_mkcol = [&state] { return state.Snapshot()->SettingTrue("skip_mkcol"); };
//   auto monitor_nodes = std::make_unique<HttpNodeClient>(mon_http);
//   auto usage_sink = std::make_unique<StoreUsageSink>(*store_factory);   // may be null
//   MonitorOptions mo;
//   mo.side_channel_port = config.mogstored_stream_port;                 // 7501
//   mo.reload_tables = [&] { return LoadTables(*refresh_store); };        // optional 4-s DB poll
//   Monitor monitor(state, *monitor_nodes, usage_sink.get(), mo);
//   monitor.Start();            // first; start the other workers after monitor.WaitFirstRound()
//   ...
//   monitor.Stop();             // before destroying monitor_nodes / usage_sink / state
//
// Admin commands that must see a fresh round use ClusterState::RequestMonitorRound() +
// WaitMonitorRound() (or Monitor::RunRoundNow()).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error/error.h"
#include "trackerd/nodes/node_client.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

class UtilizationWatcher;

// Where usage reports go; the seam lets tests run without a database.
class UsageSink {
 public:
  virtual ~UsageSink() = default;
  // Writes the rows if this tracker gets the try-lock `mgfs:device_update`; returns whether it
  // wrote (false = another tracker holds the lock, or the DB failed).
  virtual bool TryWrite(const std::vector<DeviceUsage>& usages) = 0;
};

// UsageSink over the Store: GET_LOCK('mgfs:device_update', 0), one batched UPDATE, release.
// Creates its Store lazily on the Monitor thread (a Store is one connection, not thread-safe).
class StoreUsageSink final : public UsageSink {
 public:
  explicit StoreUsageSink(StoreFactory& factory) : factory_(factory) {}
  bool TryWrite(const std::vector<DeviceUsage>& usages) override;

 private:
  StoreFactory& factory_;
  std::unique_ptr<Store> store_;
};

struct MonitorOptions {
  std::chrono::milliseconds interval{2500};            // device scan period
  std::chrono::milliseconds test_write_interval{15000};
  std::chrono::seconds usage_db_max_age{15};           // rewrite DB usage when mb_asof older
  std::chrono::milliseconds fast_failure{500};         // faster failure = device, else host
  size_t probe_threads = 32;                           // hosts probed in parallel
  bool watch_utilization = true;
  uint16_t side_channel_port = 7501;                   // mogstored_stream_port
  std::chrono::milliseconds watch_retry{60000};
  // Optional DB poll (every db_poll_interval, before a scan): returns fresh tables for
  // ClusterState::ReplaceFromStore. Unset = someone else refreshes the cache.
  std::function<Result<StoreTables>()> reload_tables;
  std::chrono::milliseconds db_poll_interval{4000};
  // Seams for tests.
  std::function<int64_t()> epoch_now;   // tracker time for mb_asof / test-write bodies
  std::function<int()> random_0_99;     // R in test-write-<R>
};

class Monitor {
 public:
  Monitor(ClusterState& state, NodeClient& nodes, UsageSink* usage_sink, MonitorOptions options);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  void Start();
  // Finishes the round in progress (bounded by the node timeout) and joins. Idempotent.
  void Stop();

  // Asks for a round that starts after now; the future becomes true when it completed
  // (false if it did not within `timeout` or the Monitor stopped).
  std::future<bool> RunRoundNow(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Blocks until the first complete round (upstream starts other workers only then).
  bool WaitFirstRound(std::chrono::milliseconds timeout);

  // One full scan on the calling thread (tests, and the loop itself).
  void RunRound();
  uint64_t rounds_completed() const { return rounds_completed_; }
  // The monitor thread's kernel id while it runs (`!jobs` lists it), else 0.
  pid_t tid() const { return tid_.load(); }

 private:
  void StartWatcher();
  struct DeviceMemory {
    std::chrono::steady_clock::time_point last_test_write{};
    bool tested = false;
    std::chrono::steady_clock::time_point last_usage_write{};
    bool usage_written = false;
  };
  struct HostResult {
    std::vector<DeviceUsage> usages;
  };

  void Loop();
  void MaybeReloadTables();
  HostResult ProbeHost(const ClusterSnapshot& snap, const Host& host,
                       const std::vector<const Device*>& devices);
  // Test-write sequence; returns the observed state and the reject_bad_md5 finding.
  DeviceObservation TestWrite(const Host& host, const Device& dev);
  void UpdateWatchedHosts(const ClusterSnapshot& snap);
  int64_t EpochNow() const;
  int Random0To99() const;

  ClusterState& state_;
  NodeClient& nodes_;
  UsageSink* usage_sink_;
  MonitorOptions options_;
  std::unique_ptr<UtilizationWatcher> watcher_;

  std::mutex memory_mu_;
  std::map<uint32_t, DeviceMemory> memory_;  // by devid

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> rounds_completed_{0};
  std::chrono::steady_clock::time_point last_reload_{};
  bool reloaded_once_ = false;
  std::thread thread_;
  std::atomic<pid_t> tid_{0};
};

}  // namespace mog::tracker
