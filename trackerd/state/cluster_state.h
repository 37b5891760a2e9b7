// The tracker's in-memory picture of the cluster: what the database says (domains, classes,
// hosts, devices, server settings; refreshed every 4 s and after admin mutations) merged with
// what the Monitor observed (host reachable, device writeable/readable, usage, utilization).
//
// Readers take an immutable ClusterSnapshot (cheap shared_ptr copy) and never lock; writers
// (the refresher, the Monitor) publish a new snapshot. Observations survive DB refreshes, so a
// 4-s reload never makes devices look unobserved.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trackerd/store/store.h"

namespace mog::tracker {

// ---- database side: the rows of trackerd/store/store.h, as the refresher reads them ----

// "NONE", "MD5", "SHA-1" for kHashNone / kHashMd5 / kHashSha1.
std::string_view HashTypeName(int hashtype);
// Exact upstream names; nullopt for anything else.
std::optional<int> HashTypeFromName(std::string_view name);

struct StoreTables {
  std::vector<DomainRow> domains;
  std::vector<ClassRow> classes;
  std::vector<HostRow> hosts;
  std::vector<DeviceRow> devices;
  std::map<std::string, std::string> settings;  // server_settings field -> value
};

// ---- Monitor side ----

enum class HostObserved { kUnknown, kReachable, kUnreachable };
enum class DeviceObserved { kUnknown, kWriteable, kReadable, kUnreachable };
std::string_view HostObservedName(HostObserved s);      // "", "reachable", "unreachable"
std::string_view DeviceObservedName(DeviceObserved s);  // "", "writeable", ...

// One device's observation; unset fields leave the previous observation unchanged.
struct DeviceObservation {
  std::optional<DeviceObserved> state = std::nullopt;
  std::optional<uint64_t> mb_total = std::nullopt;  // MiB, from the usage file
  std::optional<uint64_t> mb_used = std::nullopt;
  std::optional<std::string> utilization = std::nullopt;  // from `watch` ("52.55", "-", "7")
  std::optional<bool> reject_bad_md5 = std::nullopt;
};

// ---- merged view ----

enum class HostStatus { kAlive, kDead, kDown, kReadonly, kUnknown };
enum class DeviceStatus { kAlive, kDead, kDown, kReadonly, kDrain, kUnknown };
HostStatus ParseHostStatus(std::string_view s);
DeviceStatus ParseDeviceStatus(std::string_view s);  // unknown/NULL -> kUnknown (treated as down)

struct Host {
  HostRow row;
  HostStatus status = HostStatus::kUnknown;
  HostObserved observed = HostObserved::kUnknown;
};

struct Device {
  DeviceRow row;
  DeviceStatus status = DeviceStatus::kUnknown;
  DeviceObserved observed = DeviceObserved::kUnknown;  // kUnknown before the first round
  std::optional<std::string> utilization;
  std::optional<bool> reject_bad_md5;
  // Effective usage: the Monitor's latest reading if any, else the DB columns.
  std::optional<uint64_t> mb_total;
  std::optional<uint64_t> mb_used;

  // total - used (negative if the node reports used > total), nullopt when unknown.
  std::optional<int64_t> MbFree() const;
  // 0..1, nullopt when usage is unknown or total is 0.
  std::optional<double> PercentFree() const;
};

struct ClassInfo {
  ClassRow row;
  bool implicit_default = false;  // class 0 with no DB row
};

struct DomainInfo {
  DomainRow row;
  std::map<uint32_t, ClassInfo> classes;  // by classid; always holds 0 "default"
};

struct ClusterLimits {
  int default_mindevcount = 2;
  int64_t min_free_space_mb = 100;
  // Upstream's test hook (TESTING=1 and T_FAKE_IO_DEV<devid>=<util> in the tracker's
  // environment): these utilisations replace what `watch` reports, so read weighting can be
  // tested without loading a disk. Empty in production.
  std::map<uint32_t, std::string> fake_utilization;
};

class ClusterSnapshot {
 public:
  ClusterSnapshot() = default;
  ClusterSnapshot(const StoreTables& tables, const ClusterLimits& limits,
                  const std::map<uint32_t, HostObserved>& host_obs,
                  const std::map<uint32_t, DeviceObservation>& dev_obs);

  const std::map<uint32_t, DomainInfo>& domains() const { return domains_; }
  const std::map<uint32_t, Host>& hosts() const { return hosts_; }
  const std::map<uint32_t, Device>& devices() const { return devices_; }
  const std::map<std::string, std::string>& settings() const { return settings_; }
  const ClusterLimits& limits() const { return limits_; }

  // Exact, case-sensitive name lookups (upstream's cache lookups).
  const DomainInfo* FindDomain(std::string_view name) const;
  const DomainInfo* FindDomain(uint32_t dmid) const;
  const ClassInfo* FindClass(uint32_t dmid, std::string_view name) const;
  const ClassInfo* FindClass(uint32_t dmid, uint32_t classid) const;
  const Host* FindHost(uint32_t hostid) const;
  const Host* FindHostByName(std::string_view hostname) const;
  const Device* FindDevice(uint32_t devid) const;
  // A server setting, nullopt when the row is absent.
  std::optional<std::string> Setting(const std::string& key) const;
  bool SettingTrue(const std::string& key) const;

  // ---- predicates of the state model (tracker.md §5) ----
  // Host alive/readonly, device alive/readonly/drain, host observed reachable and device
  // observed readable or writeable.
  bool IsReadable(const Device& dev) const;
  // Host alive, device alive/drain.
  bool IsDeletable(const Device& dev) const;
  // Device alive and observed writeable, host alive (and reachable), free space known to be
  // >= min_free_space when usage is known.
  bool ShouldGetNewFiles(const Device& dev) const;
  // Any state except dead.
  bool HoldsFiles(const Device& dev) const { return dev.status != DeviceStatus::kDead; }
  // Host alive/readonly, device alive/readonly/drain: the Monitor probes it.
  bool IsMonitored(const Device& dev) const;

  uint64_t generation() const { return generation_; }

 private:
  friend class ClusterState;
  std::map<uint32_t, DomainInfo> domains_;
  std::map<std::string, uint32_t, std::less<>> domain_by_name_;
  std::map<uint32_t, Host> hosts_;
  std::map<uint32_t, Device> devices_;
  std::map<std::string, std::string> settings_;
  ClusterLimits limits_;
  uint64_t generation_ = 0;
};

using SnapshotPtr = std::shared_ptr<const ClusterSnapshot>;

class ClusterState {
 public:
  explicit ClusterState(ClusterLimits limits = {});

  SnapshotPtr Snapshot() const;
  // True once the first ReplaceFromStore happened.
  bool loaded() const;

  // The DB side, replaced as a whole (4-s poll, admin mutations).
  void ReplaceFromStore(StoreTables tables);
  // Monitor observations; kept across ReplaceFromStore.
  void SetHostObserved(uint32_t hostid, HostObserved state);
  void SetDeviceObserved(uint32_t devid, const DeviceObservation& obs);

  // ---- Monitor round hand-shake (admin commands wait for a fresh round, §2.0) ----
  // Called by the Monitor when it starts / stops running rounds.
  void SetMonitorRunning(bool running);
  // Asks for a round that starts after now; returns a ticket for WaitMonitorRound.
  uint64_t RequestMonitorRound();
  // Blocks until a round with number >= ticket completed, the timeout passed, or no Monitor
  // runs. Returns true when the round completed.
  bool WaitMonitorRound(uint64_t ticket, std::chrono::milliseconds timeout);
  // Monitor: sleeps up to `timeout` or until a round is requested; returns the round number
  // the next round will satisfy (pass it to MonitorRoundDone).
  uint64_t WaitForRoundRequest(std::chrono::milliseconds timeout);
  void MonitorRoundDone(uint64_t round);

 private:
  void PublishLocked();

  mutable std::mutex mu_;
  ClusterLimits limits_;
  StoreTables tables_;
  bool loaded_ = false;
  std::map<uint32_t, HostObserved> host_obs_;
  std::map<uint32_t, DeviceObservation> dev_obs_;
  SnapshotPtr snapshot_;
  uint64_t generation_ = 0;

  std::condition_variable round_cv_;
  bool monitor_running_ = false;
  bool round_wanted_ = false;
  uint64_t rounds_started_ = 0;
  uint64_t rounds_completed_ = 0;
};

}  // namespace mog::tracker
