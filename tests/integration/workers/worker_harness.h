// Test harness for the background workers: a LocalCluster (private MariaDB made by mogdbsetup,
// a real mogilefsd answering the protocol, N real mogstored on 127.0.0.2…) plus, IN THIS
// PROCESS, the parts of a tracker the workers need: a ClusterState kept fresh from the DB, the
// Monitor probing the nodes, an HttpNodeClient and the WorkerSet under test. Timings are
// shortened through WorkerOptions so every scenario finishes in seconds.
#pragma once

#include <csignal>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/fid/fid_path.h"
#include "tests/support/cluster.h"
#include "tests/support/temp_dir.h"
#include "trackerd/nodes/http_node_client.h"
#include "trackerd/state/cache_refresher.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/monitor.h"
#include "trackerd/workers/worker_set.h"

namespace mog::test {

using tracker::DevId;
using tracker::Fid;

inline std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class WorkerHarness {
 public:
  // `tracker_workers`: the mogilefsd runs its own workers (end-to-end tests of the daemon;
  // StartWorkers is then not called).
  explicit WorkerHarness(int nodes = 3, int devices_per_node = 1, bool tracker_workers = false) {
    LocalClusterOptions o;
    o.storage_nodes = nodes;
    o.devices_per_node = devices_per_node;
    // The workers under test run in this process with shortened timings; the mogilefsd that
    // answers the protocol must not run its own (upstream-timed) copies of them.
    if (!tracker_workers) o.tracker_config = {"job_master = 0", "reaper_jobs = 0"};
    cluster_ = std::make_unique<LocalCluster>(o);
    tracker::StoreOptions so;
    so.dsn = cluster_->dsn();
    so.user = MariaDbServer::kUser;
    so.pass = MariaDbServer::kPassword;
    auto factory = tracker::MakeStoreFactory(so);
    if (!factory) throw std::runtime_error("store factory: " + factory.error().message());
    factory_ = std::move(*factory);
    auto store = factory_->Create();
    if (!store) throw std::runtime_error("store: " + store.error().message());
    store_ = std::move(*store);
    if (auto r = tracker::RefreshClusterState(*store_, state_); !r) {
      throw std::runtime_error("refresh: " + r.error().message());
    }
    refresher_ = std::make_unique<tracker::CacheRefresher>(state_, *factory_,
                                                           std::chrono::milliseconds(300));
    refresher_->Start();

    tracker::HttpNodeClientOptions mon;
    mon.timeout = std::chrono::milliseconds(1000);
    monitor_nodes_ = std::make_unique<tracker::HttpNodeClient>(mon);
    tracker::MonitorOptions mo;
    mo.interval = std::chrono::milliseconds(300);
    mo.test_write_interval = std::chrono::milliseconds(600);
    mo.watch_utilization = false;
    mo.side_channel_port = cluster_->side_channel_port();
    monitor_ = std::make_unique<tracker::Monitor>(state_, *monitor_nodes_, nullptr, mo);
    monitor_->Start();
    monitor_->WaitFirstRound(std::chrono::seconds(20));
    if (!WaitUntil([&] { return AllWriteable(); }, std::chrono::seconds(20))) {
      throw std::runtime_error("devices never observed writeable in-process");
    }

    tracker::HttpNodeClientOptions wn;
    wn.timeout = std::chrono::milliseconds(2000);
    wn.io_threads = 0;  // as mogilefsd's workers
    worker_nodes_ = std::make_unique<tracker::HttpNodeClient>(wn);

    options_.hostname = tracker::LocalHostname();
    options_.claim_lease = std::chrono::seconds(30);
    options_.job_master_idle = std::chrono::milliseconds(200);
    options_.replicate_backoff_scale = 0.1;  // 15 s -> 1.5 s
    options_.delete_retry_scale = 0.005;     // 600 s -> 3 s
    options_.reaper_start_delay = std::chrono::milliseconds(500);
    options_.reaper_interval = std::chrono::milliseconds(500);
    options_.fsck_poll = std::chrono::milliseconds(200);
    options_.mogstored_stream_port = cluster_->side_channel_port();
    options_.replicate_jobs = 2;
  }

  ~WorkerHarness() {
    if (workers_) workers_->Stop();
    workers_.reset();
    if (monitor_) monitor_->Stop();
    if (refresher_) refresher_->Stop();
  }

  void StartWorkers() {
    workers_ = std::make_unique<tracker::WorkerSet>(*factory_, state_, *worker_nodes_, options_);
    workers_->Start();
  }

  bool AllWriteable() {
    auto snap = state_.Snapshot();
    size_t writeable = 0;
    for (const auto& [id, dev] : snap->devices()) {
      if (dev.observed == tracker::DeviceObserved::kWriteable) ++writeable;
    }
    size_t expected = 0;
    for (const auto& n : cluster_->nodes()) expected += n.devids.size();
    return expected > 0 && writeable >= expected;
  }

  // Waits until the in-process cache shows `pred` (e.g. a new class, a device state).
  bool WaitState(const std::function<bool(const tracker::ClusterSnapshot&)>& pred) {
    return WaitUntil([&] { return pred(*state_.Snapshot()); }, std::chrono::seconds(15));
  }

  void MakeDomainAndClass(const std::string& domain, const std::string& cls, int mindevcount,
                          const std::string& hashtype = "") {
    auto d = cluster_->Call("create_domain", {{"domain", domain}});
    if (!d.ok && d.errcode != "domain_exists")
      throw std::runtime_error("create_domain: " + d.errcode);
    ArgList args{{"domain", domain}, {"class", cls}, {"mindevcount", std::to_string(mindevcount)}};
    if (!hashtype.empty()) args.emplace_back("hashtype", hashtype);
    auto c = cluster_->Call("create_class", args);
    if (!c.ok) throw std::runtime_error("create_class: " + c.errcode + " " + c.errstr);
    if (!WaitState([&](const tracker::ClusterSnapshot& s) {
          const auto* dom = s.FindDomain(domain);
          return dom && s.FindClass(dom->row.dmid, cls) != nullptr;
        })) {
      throw std::runtime_error("class " + cls + " never reached the cache");
    }
  }

  // Uploads through the tracker protocol (create_open, PUT to the chosen device,
  // create_close), leaving one copy and a file_to_replicate row. Returns the fid.
  Fid Upload(const std::string& domain, const std::string& cls, const std::string& key,
             const std::string& body) {
    auto open = cluster_->Call("create_open", {{"domain", domain}, {"class", cls}, {"key", key}});
    if (!open.ok) throw std::runtime_error("create_open: " + open.errcode + " " + open.errstr);
    const std::string fid = open.args.Get("fid");
    const std::string devid = open.args.Get("devid");
    const std::string path = open.args.Get("path");
    auto put = worker_nodes_->Put(path, body);
    if (!put || !put->ok()) throw std::runtime_error("PUT " + path + " failed");
    auto close = cluster_->Call("create_close", {{"domain", domain},
                                                 {"key", key},
                                                 {"fid", fid},
                                                 {"devid", devid},
                                                 {"path", path},
                                                 {"size", std::to_string(body.size())}});
    if (!close.ok) throw std::runtime_error("create_close: " + close.errcode + " " + close.errstr);
    return std::stoull(fid);
  }

  // fsck_reset then fsck_start through the tracker protocol, as `mogadm fsck reset/start`.
  void StartFsck() {
    for (const char* verb : {"fsck_reset", "fsck_start"}) {
      auto r = cluster_->Call(verb, {});
      if (!r.ok) throw std::runtime_error(std::string(verb) + ": " + r.errcode + " " + r.errstr);
    }
  }

  std::vector<DevId> FileOn(Fid fid) {
    std::vector<DevId> out;
    for (const auto& row : db().Query(
             "SELECT devid FROM file_on WHERE fid=" + std::to_string(fid) + " ORDER BY devid",
             cluster_->database())) {
      out.push_back(static_cast<DevId>(std::stoul(row.at(0))));
    }
    return out;
  }
  std::string Value(const std::string& sql) { return db().QueryValue(sql, cluster_->database()); }

  // The node (index) holding `devid`, and the copy's path on its disk.
  size_t NodeOf(DevId devid) {
    auto& nodes = cluster_->nodes();
    for (size_t i = 0; i < nodes.size(); ++i) {
      for (DevId d : nodes[i].devids) {
        if (d == devid) return i;
      }
    }
    throw std::runtime_error("no node holds dev" + std::to_string(devid));
  }
  std::string DiskPath(DevId devid, Fid fid) {
    return cluster_->nodes()[NodeOf(devid)].docroot + FormatFidPath(devid, fid);
  }
  std::string HostOf(DevId devid) { return cluster_->nodes()[NodeOf(devid)].hostname; }

  // Every file_on copy is on disk with exactly `body`, `n` of them, on distinct hosts.
  bool HasCopies(Fid fid, const std::string& body, size_t n) {
    auto on = FileOn(fid);
    if (on.size() != n) return false;
    std::set<std::string> hosts;
    for (DevId d : on) {
      if (ReadWholeFile(DiskPath(d, fid)) != body) return false;
      hosts.insert(HostOf(d));
    }
    return hosts.size() == n;
  }

  // Restarts a node's mogstored (after a SIGKILL) with the arguments LocalCluster used.
  void RestartNode(size_t i) {
    auto& n = cluster_->nodes()[i];
    n.process = std::make_unique<ChildProcess>(
        std::vector<std::string>{
            BinPath("mogstored"), "--skipconfig", "--docroot=" + n.docroot,
            "--httplisten=" + n.ip + ":" + std::to_string(n.http_port),
            "--mgmtlisten=" + n.ip + ":" + std::to_string(cluster_->side_channel_port())},
        cluster_->dir() + "/" + n.hostname + "-restarted.log");
    if (!WaitForPort(n.ip, n.http_port, std::chrono::seconds(15))) {
      throw std::runtime_error("mogstored did not come back\n" + n.process->Log());
    }
  }

  LocalCluster& cluster() { return *cluster_; }
  MariaDbServer& db() { return cluster_->db(); }
  tracker::ClusterState& state() { return state_; }
  tracker::StoreFactory& factory() { return *factory_; }
  tracker::Store& store() { return *store_; }
  tracker::WorkerOptions& options() { return options_; }
  tracker::HttpNodeClient& nodes() { return *worker_nodes_; }

 private:
  std::unique_ptr<LocalCluster> cluster_;
  std::unique_ptr<tracker::StoreFactory> factory_;
  std::unique_ptr<tracker::Store> store_;
  tracker::ClusterState state_;
  std::unique_ptr<tracker::CacheRefresher> refresher_;
  std::unique_ptr<tracker::HttpNodeClient> monitor_nodes_;
  std::unique_ptr<tracker::Monitor> monitor_;
  std::unique_ptr<tracker::HttpNodeClient> worker_nodes_;
  tracker::WorkerOptions options_;
  std::unique_ptr<tracker::WorkerSet> workers_;
};

}  // namespace mog::test
