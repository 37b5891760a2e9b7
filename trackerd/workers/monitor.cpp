#include "trackerd/workers/monitor.h"

#include <algorithm>
#include <random>
#include <set>

#include "common/log/logging.h"
#include "trackerd/nodes/digest_hasher.h"
#include "trackerd/nodes/node_url.h"
#include "trackerd/nodes/usage_file.h"
#include "trackerd/nodes/utilization_watcher.h"
#include "trackerd/workers/worker_db_errors.h"
#include <pthread.h>
#include <unistd.h>

namespace mog::tracker {

using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr const char* kDeviceUpdateLock = "mgfs:device_update";
constexpr size_t kUsageBodyLimit = 64 * 1024;

uint16_t PutPort(const Host& host) {
  return static_cast<uint16_t>(host.row.http_port.value_or(7500));
}

uint16_t GetPort(const Host& host) {
  if (host.row.http_get_port && *host.row.http_get_port != 0) {
    return static_cast<uint16_t>(*host.row.http_get_port);
  }
  return PutPort(host);
}

std::string DevPath(const Device& dev, std::string_view rest) {
  return "/dev" + std::to_string(dev.row.devid) + std::string(rest);
}

}  // namespace

bool StoreUsageSink::TryWrite(const std::vector<DeviceUsage>& usages) {
  auto log = Logger("monitor");
  if (!store_) {
    auto made = factory_.Create();
    if (!made) {
      log->warn("usage: cannot connect to the database: {}", made.error().message());
      return false;
    }
    store_ = std::move(*made);
  }
  auto got = store_->GetLock(kDeviceUpdateLock, 0);
  if (!got) {
    log->warn("usage: GET_LOCK failed: {}", got.error().message());
    return false;
  }
  if (!*got) return false;  // another tracker writes usage
  auto written = store_->UpdateDeviceUsages(usages);
  // A lock that cannot be released goes with the connection; counted, not fatal.
  CheckedDb(store_->ReleaseLock(kDeviceUpdateLock), "monitor", std::nullopt,
            "RELEASE_LOCK(mgfs:device_update)");
  if (!written) {
    log->warn("usage: update failed: {}", written.error().message());
    return false;
  }
  return true;
}

Monitor::Monitor(ClusterState& state, NodeClient& nodes, UsageSink* usage_sink,
                 MonitorOptions options)
    : state_(state), nodes_(nodes), usage_sink_(usage_sink), options_(std::move(options)) {
  StartWatcher();
}

// The `watch` streams feeding device utilisation; made again by Start() after a Stop() (job
// control may stop and restart the Monitor).
void Monitor::StartWatcher() {
  if (!options_.watch_utilization || watcher_) return;
  UtilizationWatcher::Options wo;
  wo.port = options_.side_channel_port;
  wo.retry_after_error = options_.watch_retry;
  watcher_ = std::make_unique<UtilizationWatcher>(
      wo, [this](const std::string& ip, const std::map<uint32_t, std::string>& util) {
        auto snap = state_.Snapshot();
        for (const auto& [devid, value] : util) {
          const Device* dev = snap->FindDevice(devid);
          if (!dev) continue;
          const Host* host = snap->FindHost(dev->row.hostid);
          // Only the node that holds a device may report on it.
          if (!host || host->row.hostip != ip) continue;
          DeviceObservation obs;
          obs.utilization = value;
          state_.SetDeviceObserved(devid, obs);
        }
      });
}

Monitor::~Monitor() {
  Stop();
  watcher_.reset();  // its callback uses state_; end it before anything else goes
}

void Monitor::Start() {
  if (thread_.joinable()) return;
  StartWatcher();
  stop_ = false;
  state_.SetMonitorRunning(true);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "monitor");
    tid_ = gettid();
    Loop();
    tid_ = 0;
  });
}

void Monitor::Stop() {
  if (!thread_.joinable()) return;
  stop_ = true;
  state_.RequestMonitorRound();  // wakes the loop's wait
  thread_.join();
  state_.SetMonitorRunning(false);
  watcher_.reset();
}

std::future<bool> Monitor::RunRoundNow(std::chrono::milliseconds timeout) {
  const uint64_t ticket = state_.RequestMonitorRound();
  return std::async(std::launch::async,
                    [this, ticket, timeout] { return state_.WaitMonitorRound(ticket, timeout); });
}

bool Monitor::WaitFirstRound(std::chrono::milliseconds timeout) {
  return state_.WaitMonitorRound(1, timeout);
}

void Monitor::Loop() {
  auto log = Logger("monitor");
  log->info("monitor started (scan every {} ms)", options_.interval.count());
  auto wait = std::chrono::milliseconds(0);  // the first round runs at once
  while (!stop_) {
    const uint64_t round = state_.WaitForRoundRequest(wait);
    if (stop_) break;
    const auto start = SteadyClock::now();
    try {
      MaybeReloadTables();
      RunRound();
    } catch (const std::exception& e) {
      // A bug in one round must not end monitoring (upstream would respawn the worker).
      log->error("monitor round failed: {}", e.what());
    }
    state_.MonitorRoundDone(round);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        SteadyClock::now() - start);
    wait = std::max(std::chrono::milliseconds(0), options_.interval - took);
  }
  log->info("monitor stopped");
}

void Monitor::MaybeReloadTables() {
  if (!options_.reload_tables) return;
  const auto now = SteadyClock::now();
  if (reloaded_once_ && now - last_reload_ < options_.db_poll_interval) return;
  auto tables = options_.reload_tables();
  if (!tables) {
    Logger("monitor")->warn("cache refresh from the database failed: {}",
                            tables.error().message());
    return;
  }
  state_.ReplaceFromStore(std::move(*tables));
  last_reload_ = now;
  reloaded_once_ = true;
}

void Monitor::RunRound() {
  auto snap = state_.Snapshot();
  // Monitored devices grouped by host: a host that times out costs one timeout, and hosts
  // are probed in parallel so a dead node never delays the others.
  std::map<uint32_t, std::vector<const Device*>> by_host;
  for (const auto& [devid, dev] : snap->devices()) {
    if (snap->IsMonitored(dev)) by_host[dev.row.hostid].push_back(&dev);
  }
  std::vector<std::pair<const Host*, std::vector<const Device*>>> work;
  for (auto& [hostid, devs] : by_host) {
    if (const Host* host = snap->FindHost(hostid)) work.emplace_back(host, std::move(devs));
  }
  if (watcher_) UpdateWatchedHosts(*snap);

  std::vector<HostResult> results(work.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < work.size(); i = next++) {
      try {
        results[i] = ProbeHost(*snap, *work[i].first, work[i].second);
      } catch (const std::exception& e) {
        Logger("monitor")->error("probe of host {} failed: {}", work[i].first->row.hostid,
                                 e.what());
      }
    }
  };
  const size_t n_threads = std::min(work.size(), std::max<size_t>(1, options_.probe_threads));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < n_threads; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  std::vector<DeviceUsage> usages;
  for (auto& r : results) usages.insert(usages.end(), r.usages.begin(), r.usages.end());
  if (!usages.empty() && usage_sink_ && usage_sink_->TryWrite(usages)) {
    std::lock_guard lock(memory_mu_);
    const auto now = SteadyClock::now();
    for (const auto& u : usages) {
      memory_[u.devid].last_usage_write = now;
      memory_[u.devid].usage_written = true;
    }
  }
  ++rounds_completed_;
}

Monitor::HostResult Monitor::ProbeHost(const ClusterSnapshot& snap, const Host& host,
                                       const std::vector<const Device*>& devices) {
  auto log = Logger("monitor");
  HostResult result;
  for (const Device* dev : devices) {
    if (stop_) break;
    const uint32_t devid = dev->row.devid;
    const std::string url = MakeNodeUrl(host.row.hostip, GetPort(host), DevPath(*dev, "/usage"));
    const auto start = SteadyClock::now();
    auto reply = nodes_.Get(url, kUsageBodyLimit);
    if (!reply || !reply->ok()) {
      const auto took = SteadyClock::now() - start;
      const std::string why =
          reply ? "HTTP " + std::to_string(reply->status) : reply.error().message;
      {
        std::lock_guard lock(memory_mu_);
        memory_[devid].tested = false;  // re-test as soon as it answers again
      }
      DeviceObservation obs;
      obs.state = DeviceObserved::kUnreachable;
      state_.SetDeviceObserved(devid, obs);
      if (!reply && took >= options_.fast_failure) {
        // Slow failure: the host itself is in trouble; skip its other devices this round.
        log->warn("host {} ({}) unreachable: {}", host.row.hostid, host.row.hostip, why);
        state_.SetHostObserved(host.row.hostid, HostObserved::kUnreachable);
        break;
      }
      log->warn("dev{} unreachable: {}", devid, why);
      continue;
    }
    state_.SetHostObserved(host.row.hostid, HostObserved::kReachable);
    auto usage = ParseUsageFile(reply->body);
    if (!usage) {
      log->error("dev{}: usage file at {} lacks non-zero used/total", devid, url);
      continue;
    }
    DeviceObservation obs;
    obs.mb_total = usage->total_mb();
    obs.mb_used = usage->used_mb();

    const int64_t now_epoch = EpochNow();
    bool usage_due = !dev->row.mb_asof ||
                     now_epoch - *dev->row.mb_asof > options_.usage_db_max_age.count();
    bool test_due = false;
    {
      std::lock_guard lock(memory_mu_);
      DeviceMemory& mem = memory_[devid];
      const auto now = SteadyClock::now();
      if (mem.usage_written && now - mem.last_usage_write < options_.usage_db_max_age) {
        usage_due = false;
      }
      test_due = !mem.tested || now - mem.last_test_write >= options_.test_write_interval;
      if (test_due) {
        mem.tested = true;
        mem.last_test_write = now;
      }
    }
    if (usage_due) {
      result.usages.push_back(DeviceUsage{devid, obs.mb_total.value(), obs.mb_used.value(),
                                          now_epoch});
    }
    if (test_due) {
      if (!snap.IsDeletable(*dev)) {
        obs.state = DeviceObserved::kReadable;  // readonly host/device: never written to
      } else {
        DeviceObservation tested = TestWrite(host, *dev);
        obs.state = tested.state;
        obs.reject_bad_md5 = tested.reject_bad_md5;
      }
    } else if (dev->observed == DeviceObserved::kUnreachable ||
               dev->observed == DeviceObserved::kUnknown) {
      obs.state = DeviceObserved::kReadable;
    }
    state_.SetDeviceObserved(devid, obs);
  }
  return result;
}

DeviceObservation Monitor::TestWrite(const Host& host, const Device& dev) {
  auto log = Logger("monitor");
  DeviceObservation out;
  out.state = DeviceObserved::kReadable;
  const std::string dir = DevPath(dev, "/test-write/");
  nodes_.Mkcol(MakeNodeUrl(host.row.hostip, PutPort(host), dir));  // result ignored
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int r = Random0To99();
    const std::string name = dir + "test-write-" + std::to_string(r);
    const std::string body = "time=" + std::to_string(EpochNow()) + " rand=" + std::to_string(r);
    auto put = nodes_.Put(MakeNodeUrl(host.row.hostip, PutPort(host), name), body);
    if (!put || !put->ok()) {
      log->warn("dev{}: test-write PUT failed: {}", dev.row.devid,
                put ? "HTTP " + std::to_string(put->status) : put.error().message);
      return out;
    }
    auto get = nodes_.Get(MakeNodeUrl(host.row.hostip, GetPort(host), name), 4096);
    if (!get || !get->ok()) {
      log->warn("dev{}: test-write read-back failed: {}", dev.row.devid,
                get ? "HTTP " + std::to_string(get->status) : get.error().message);
      return out;
    }
    if (get->body == body) {
      out.state = DeviceObserved::kWriteable;
      break;
    }
    log->warn("dev{}: test-write read back different bytes (attempt {})", dev.row.devid,
              attempt + 1);
  }
  if (out.state != DeviceObserved::kWriteable) return out;
  // A deliberately wrong Content-MD5: a node that refuses it verifies uploads itself, so
  // replication can skip re-reading MD5-checked copies.
  auto md5 = nodes_.Put(MakeNodeUrl(host.row.hostip, PutPort(host), dir + "test-md5"), ".",
                        {{"Content-MD5", DigestBase64(DigestAlg::kMd5, "!")}});
  if (md5) out.reject_bad_md5 = !md5->ok();
  return out;
}

void Monitor::UpdateWatchedHosts(const ClusterSnapshot& snap) {
  std::set<std::string> ips;
  for (const auto& [devid, dev] : snap.devices()) {
    if (!snap.IsMonitored(dev)) continue;
    if (const Host* host = snap.FindHost(dev.row.hostid)) ips.insert(host->row.hostip);
  }
  watcher_->SetHosts(ips);
}

int64_t Monitor::EpochNow() const {
  if (options_.epoch_now) return options_.epoch_now();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Monitor::Random0To99() const {
  if (options_.random_0_99) return options_.random_0_99();
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_int_distribution<int>(0, 99)(engine);
}

}  // namespace mog::tracker
