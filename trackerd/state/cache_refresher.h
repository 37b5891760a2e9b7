// Keeps ClusterState's database side current: every 4 s (upstream's Monitor DB poll) and on
// demand after admin mutations. Uses its own Store connection; a DB outage leaves the last
// good tables in place and is retried at the next tick.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "common/error/error.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

// Reads domains, classes, hosts, devices and server_settings.
Result<StoreTables> LoadTables(Store& store);
// LoadTables + ClusterState::ReplaceFromStore.
Result<void> RefreshClusterState(Store& store, ClusterState& state);

class CacheRefresher {
 public:
  CacheRefresher(ClusterState& state, StoreFactory& factory,
                 std::chrono::milliseconds interval = std::chrono::milliseconds(4000));
  ~CacheRefresher();
  void Start();
  void Stop();

 private:
  void Loop();

  ClusterState& state_;
  StoreFactory& factory_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace mog::tracker
