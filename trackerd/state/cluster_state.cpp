#include "trackerd/state/cluster_state.h"

#include <algorithm>

namespace mog::tracker {

std::string_view HashTypeName(int hashtype) {
  if (hashtype == kHashMd5) return "MD5";
  if (hashtype == kHashSha1) return "SHA-1";
  return "NONE";
}

std::optional<int> HashTypeFromName(std::string_view name) {
  if (name == "MD5") return kHashMd5;
  if (name == "SHA-1") return kHashSha1;
  if (name == "NONE") return kHashNone;
  return std::nullopt;
}

std::string_view HostObservedName(HostObserved s) {
  switch (s) {
    case HostObserved::kReachable:
      return "reachable";
    case HostObserved::kUnreachable:
      return "unreachable";
    case HostObserved::kUnknown:
      break;
  }
  return "";
}

std::string_view DeviceObservedName(DeviceObserved s) {
  switch (s) {
    case DeviceObserved::kWriteable:
      return "writeable";
    case DeviceObserved::kReadable:
      return "readable";
    case DeviceObserved::kUnreachable:
      return "unreachable";
    case DeviceObserved::kUnknown:
      break;
  }
  return "";
}

HostStatus ParseHostStatus(std::string_view s) {
  if (s == "alive") return HostStatus::kAlive;
  if (s == "dead") return HostStatus::kDead;
  if (s == "down") return HostStatus::kDown;
  if (s == "readonly") return HostStatus::kReadonly;
  return HostStatus::kUnknown;
}

DeviceStatus ParseDeviceStatus(std::string_view s) {
  if (s == "alive") return DeviceStatus::kAlive;
  if (s == "dead") return DeviceStatus::kDead;
  if (s == "down") return DeviceStatus::kDown;
  if (s == "readonly") return DeviceStatus::kReadonly;
  if (s == "drain") return DeviceStatus::kDrain;
  return DeviceStatus::kUnknown;
}

std::optional<int64_t> Device::MbFree() const {
  if (!mb_total || !mb_used) return std::nullopt;
  return static_cast<int64_t>(*mb_total) - static_cast<int64_t>(*mb_used);
}

std::optional<double> Device::PercentFree() const {
  if (!mb_total || !mb_used || *mb_total == 0) return std::nullopt;
  return static_cast<double>(*MbFree()) / static_cast<double>(*mb_total);
}

ClusterSnapshot::ClusterSnapshot(const StoreTables& tables, const ClusterLimits& limits,
                                 const std::map<uint32_t, HostObserved>& host_obs,
                                 const std::map<uint32_t, DeviceObservation>& dev_obs)
    : settings_(tables.settings), limits_(limits) {
  for (const auto& d : tables.domains) {
    DomainInfo info;
    info.row = d;
    ClassInfo def;
    def.row.dmid = d.dmid;
    def.row.classid = 0;
    def.row.name = "default";
    def.row.mindevcount = limits.default_mindevcount;
    def.row.hashtype = kHashNone;
    def.implicit_default = true;
    info.classes[0] = def;
    domains_[d.dmid] = std::move(info);
    domain_by_name_[d.name] = d.dmid;
  }
  for (const auto& c : tables.classes) {
    auto it = domains_.find(c.dmid);
    if (it == domains_.end()) continue;  // class of a vanished domain
    ClassInfo info;
    info.row = c;
    // A DB row for class 0 keeps the name "default" whatever it says.
    if (c.classid == 0) info.row.name = "default";
    it->second.classes[c.classid] = std::move(info);
  }
  for (const auto& h : tables.hosts) {
    Host host;
    host.row = h;
    host.status = ParseHostStatus(h.status);
    if (auto it = host_obs.find(h.hostid); it != host_obs.end()) host.observed = it->second;
    hosts_[h.hostid] = std::move(host);
  }
  for (const auto& r : tables.devices) {
    Device dev;
    dev.row = r;
    dev.status = ParseDeviceStatus(r.status);
    dev.mb_total = r.mb_total;
    dev.mb_used = r.mb_used;
    if (auto it = dev_obs.find(r.devid); it != dev_obs.end()) {
      const DeviceObservation& o = it->second;
      if (o.state) dev.observed = *o.state;
      if (o.mb_total) dev.mb_total = o.mb_total;
      if (o.mb_used) dev.mb_used = o.mb_used;
      dev.utilization = o.utilization;
      dev.reject_bad_md5 = o.reject_bad_md5;
    }
    if (auto f = limits_.fake_utilization.find(r.devid); f != limits_.fake_utilization.end()) {
      dev.utilization = f->second;
    }
    devices_[r.devid] = std::move(dev);
  }
}

const DomainInfo* ClusterSnapshot::FindDomain(std::string_view name) const {
  auto it = domain_by_name_.find(name);
  if (it == domain_by_name_.end()) return nullptr;
  return FindDomain(it->second);
}

const DomainInfo* ClusterSnapshot::FindDomain(uint32_t dmid) const {
  auto it = domains_.find(dmid);
  return it == domains_.end() ? nullptr : &it->second;
}

const ClassInfo* ClusterSnapshot::FindClass(uint32_t dmid, std::string_view name) const {
  const DomainInfo* d = FindDomain(dmid);
  if (!d) return nullptr;
  for (const auto& [id, c] : d->classes) {
    if (c.row.name == name) return &c;
  }
  return nullptr;
}

const ClassInfo* ClusterSnapshot::FindClass(uint32_t dmid, uint32_t classid) const {
  const DomainInfo* d = FindDomain(dmid);
  if (!d) return nullptr;
  auto it = d->classes.find(classid);
  return it == d->classes.end() ? nullptr : &it->second;
}

const Host* ClusterSnapshot::FindHost(uint32_t hostid) const {
  auto it = hosts_.find(hostid);
  return it == hosts_.end() ? nullptr : &it->second;
}

const Host* ClusterSnapshot::FindHostByName(std::string_view hostname) const {
  for (const auto& [id, h] : hosts_) {
    if (h.row.hostname == hostname) return &h;
  }
  return nullptr;
}

const Device* ClusterSnapshot::FindDevice(uint32_t devid) const {
  auto it = devices_.find(devid);
  return it == devices_.end() ? nullptr : &it->second;
}

std::optional<std::string> ClusterSnapshot::Setting(const std::string& key) const {
  auto it = settings_.find(key);
  if (it == settings_.end()) return std::nullopt;
  return it->second;
}

bool ClusterSnapshot::SettingTrue(const std::string& key) const {
  auto v = Setting(key);
  return v && !v->empty() && *v != "0";
}

bool ClusterSnapshot::IsReadable(const Device& dev) const {
  const Host* host = FindHost(dev.row.hostid);
  if (!host) return false;
  if (host->status != HostStatus::kAlive && host->status != HostStatus::kReadonly) return false;
  if (dev.status != DeviceStatus::kAlive && dev.status != DeviceStatus::kReadonly &&
      dev.status != DeviceStatus::kDrain) {
    return false;
  }
  // A device is unreachable whenever its host is not observed reachable.
  if (host->observed != HostObserved::kReachable) return false;
  return dev.observed == DeviceObserved::kReadable || dev.observed == DeviceObserved::kWriteable;
}

bool ClusterSnapshot::IsDeletable(const Device& dev) const {
  const Host* host = FindHost(dev.row.hostid);
  if (!host || host->status != HostStatus::kAlive) return false;
  return dev.status == DeviceStatus::kAlive || dev.status == DeviceStatus::kDrain;
}

bool ClusterSnapshot::ShouldGetNewFiles(const Device& dev) const {
  if (dev.status != DeviceStatus::kAlive || dev.observed != DeviceObserved::kWriteable) {
    return false;
  }
  const Host* host = FindHost(dev.row.hostid);
  if (!host || host->status != HostStatus::kAlive || host->observed != HostObserved::kReachable) {
    return false;
  }
  if (dev.mb_total) {
    auto free = dev.MbFree();
    if (!free || *free < limits_.min_free_space_mb) return false;
  }
  return true;
}

bool ClusterSnapshot::IsMonitored(const Device& dev) const {
  const Host* host = FindHost(dev.row.hostid);
  if (!host) return false;
  if (host->status != HostStatus::kAlive && host->status != HostStatus::kReadonly) return false;
  return dev.status == DeviceStatus::kAlive || dev.status == DeviceStatus::kReadonly ||
         dev.status == DeviceStatus::kDrain;
}

ClusterState::ClusterState(ClusterLimits limits)
    : limits_(limits), snapshot_(std::make_shared<ClusterSnapshot>()) {}

SnapshotPtr ClusterState::Snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

bool ClusterState::loaded() const {
  std::lock_guard lock(mu_);
  return loaded_;
}

void ClusterState::PublishLocked() {
  auto snap = std::make_shared<ClusterSnapshot>(tables_, limits_, host_obs_, dev_obs_);
  snap->generation_ = ++generation_;
  snapshot_ = std::move(snap);
}

void ClusterState::ReplaceFromStore(StoreTables tables) {
  std::lock_guard lock(mu_);
  tables_ = std::move(tables);
  loaded_ = true;
  PublishLocked();
}

void ClusterState::SetHostObserved(uint32_t hostid, HostObserved state) {
  std::lock_guard lock(mu_);
  auto it = host_obs_.find(hostid);
  if (it != host_obs_.end() && it->second == state) return;
  host_obs_[hostid] = state;
  PublishLocked();
}

void ClusterState::SetDeviceObserved(uint32_t devid, const DeviceObservation& obs) {
  std::lock_guard lock(mu_);
  DeviceObservation& cur = dev_obs_[devid];
  bool changed = false;
  auto merge = [&changed](auto& dst, const auto& src) {
    if (src && dst != src) {
      dst = src;
      changed = true;
    }
  };
  merge(cur.state, obs.state);
  merge(cur.mb_total, obs.mb_total);
  merge(cur.mb_used, obs.mb_used);
  merge(cur.utilization, obs.utilization);
  merge(cur.reject_bad_md5, obs.reject_bad_md5);
  if (changed) PublishLocked();
}

void ClusterState::SetMonitorRunning(bool running) {
  {
    std::lock_guard lock(mu_);
    monitor_running_ = running;
  }
  round_cv_.notify_all();
}

uint64_t ClusterState::RequestMonitorRound() {
  uint64_t ticket;
  {
    std::lock_guard lock(mu_);
    round_wanted_ = true;
    ticket = rounds_started_ + 1;
  }
  round_cv_.notify_all();
  return ticket;
}

bool ClusterState::WaitMonitorRound(uint64_t ticket, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return round_cv_.wait_for(lock, timeout, [&] {
    return rounds_completed_ >= ticket || !monitor_running_;
  }) && rounds_completed_ >= ticket;
}

uint64_t ClusterState::WaitForRoundRequest(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  round_cv_.wait_for(lock, timeout, [&] { return round_wanted_; });
  round_wanted_ = false;
  return ++rounds_started_;
}

void ClusterState::MonitorRoundDone(uint64_t round) {
  {
    std::lock_guard lock(mu_);
    rounds_completed_ = std::max(rounds_completed_, round);
  }
  round_cv_.notify_all();
}

}  // namespace mog::tracker
