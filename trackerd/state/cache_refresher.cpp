#include "trackerd/state/cache_refresher.h"

#include "common/log/logging.h"

namespace mog::tracker {

Result<StoreTables> LoadTables(Store& store) {
  StoreTables t;
  auto domains = store.GetAllDomains();
  if (!domains) return domains.error();
  auto classes = store.GetAllClasses();
  if (!classes) return classes.error();
  auto hosts = store.GetAllHosts();
  if (!hosts) return hosts.error();
  auto devices = store.GetAllDevices();
  if (!devices) return devices.error();
  auto settings = store.GetServerSettings();
  if (!settings) return settings.error();
  t.domains = std::move(*domains);
  t.classes = std::move(*classes);
  t.hosts = std::move(*hosts);
  t.devices = std::move(*devices);
  t.settings = std::move(*settings);
  return t;
}

Result<void> RefreshClusterState(Store& store, ClusterState& state) {
  auto tables = LoadTables(store);
  if (!tables) return tables.error();
  state.ReplaceFromStore(std::move(*tables));
  return {};
}

CacheRefresher::CacheRefresher(ClusterState& state, StoreFactory& factory,
                               std::chrono::milliseconds interval)
    : state_(state), factory_(factory), interval_(interval) {}

CacheRefresher::~CacheRefresher() { Stop(); }

void CacheRefresher::Start() { thread_ = std::thread([this] { Loop(); }); }

void CacheRefresher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CacheRefresher::Loop() {
  std::unique_ptr<Store> store;
  bool warned = false;
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, interval_, [&] { return stop_; })) return;
    }
    if (!store) {
      auto made = factory_.Create();
      if (!made) {
        if (!warned) Logger("cache")->warn("cannot reach the database: {}", made.error().message());
        warned = true;
        continue;
      }
      store = std::move(*made);
    }
    auto r = RefreshClusterState(*store, state_);
    if (!r) {
      if (!warned) Logger("cache")->warn("cache refresh failed: {}", r.error().message());
      warned = true;
      store.reset();  // reconnect next time
    } else if (warned) {
      Logger("cache")->info("database reachable again; cache refreshed");
      warned = false;
    }
  }
}

}  // namespace mog::tracker
