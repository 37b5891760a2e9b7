// The tracker process: start-up checks (root, DB, schema_version, tempfile self-test,
// min_fidid), then the cluster cache, the Monitor, the query workers and the listeners.
// Owns every long-lived object and stops them in reverse order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/error/error.h"
#include "trackerd/tracker_config.h"

namespace mog::tracker {

class CacheRefresher;
class ClusterState;
class HttpNodeClient;
class Listener;
class Monitor;
class ParentCommands;
class QueryPool;
class ReplicationNudger;
class StoreFactory;
class StoreUsageSink;
class WatchHub;
class WorkerSet;
struct QueryServices;
struct SessionServices;

class Tracker {
 public:
  explicit Tracker(TrackerConfig config);
  ~Tracker();
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;

  // Everything up to accepting clients; an Error explains why start-up is impossible.
  Result<void> Start();
  // Blocks until RequestStop (from any thread) or a `!shutdown`.
  void Wait();
  void RequestStop();
  void Stop();

  // Bound ports, in `listen` order (useful with port 0).
  std::vector<uint16_t> ports() const;

 private:
  Result<void> CheckDatabase();

  TrackerConfig config_;
  std::unique_ptr<StoreFactory> store_factory_;
  std::unique_ptr<ClusterState> state_;
  std::unique_ptr<HttpNodeClient> query_nodes_;
  std::unique_ptr<HttpNodeClient> monitor_nodes_;
  std::unique_ptr<StoreUsageSink> usage_sink_;
  std::unique_ptr<Monitor> monitor_;
  // Background workers (job master, replicate, delete, reaper, fsck), on their own node client
  // because they use node_timeout and long copies must not starve query-side HEADs.
  std::unique_ptr<HttpNodeClient> worker_nodes_;
  std::unique_ptr<WorkerSet> workers_;
  std::thread workers_starter_;
  std::atomic<bool> stopping_workers_{false};
  std::unique_ptr<CacheRefresher> refresher_;
  // Makes backed-off replication due when a device comes back (only with a job master).
  std::unique_ptr<ReplicationNudger> nudger_;
  std::unique_ptr<QueryServices> services_;
  std::unique_ptr<QueryPool> pool_;
  std::unique_ptr<WatchHub> watch_;
  std::unique_ptr<ParentCommands> parent_;
  std::unique_ptr<SessionServices> session_services_;
  boost::asio::io_context io_;
  std::vector<std::shared_ptr<Listener>> listeners_;
  std::vector<std::thread> io_threads_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;
  bool stopped_ = false;
};

}  // namespace mog::tracker
