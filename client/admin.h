// MogileFS::Admin in C++: cluster administration over a TrackerConnection (hosts, devices,
// domains, classes, settings, slaves, fsck, rebalance, list_fids).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/client_error.h"
#include "client/reply_args.h"
#include "client/tracker_connection.h"

namespace mog::client {

struct HostInfo {
  std::string hostid, status, hostname, hostip, http_port, http_get_port, altip, altmask;
};

struct DeviceInfo {
  std::string devid, hostid, status, observed_state, utilization;
  int64_t mb_total = 0, mb_used = 0, weight = 0;  // numified as upstream does
};

struct ClassInfo {
  std::string mindevcount, replpolicy, hashtype;
};
// domain -> class -> info
using DomainMap = std::map<std::string, std::map<std::string, ClassInfo>>;

struct FidInfo {
  std::string fid, key, length, klass, domain, devcount;
};

struct FsckLogRow {
  std::string logid, utime, fid, evcode, devid;
};

// Reply decoders, separate so they can be tested against canned replies.
std::vector<HostInfo> ParseHosts(const ReplyArgs& reply);
std::vector<DeviceInfo> ParseDevices(const ReplyArgs& reply);
DomainMap ParseDomains(const ReplyArgs& reply);
std::vector<FidInfo> ParseFids(const ReplyArgs& reply);
std::vector<FsckLogRow> ParseFsckLog(const ReplyArgs& reply);
// "k1,k2=weight" -> key -> weight ("1" when none given).
std::map<std::string, std::string> ParseSlaveKeys(const std::string& value);

class Admin {
 public:
  explicit Admin(TrackerConnection& trackers) : trackers_(trackers) {}

  ClientResult<std::vector<HostInfo>> GetHosts(const std::string& hostid = {});
  ClientResult<std::vector<DeviceInfo>> GetDevices(const std::string& devid = {});
  ClientResult<DomainMap> GetDomains();
  ClientResult<std::vector<FidInfo>> ListFids(int64_t from, int64_t count);

  ClientResult<ReplyArgs> CreateDomain(const std::string& domain);
  ClientResult<ReplyArgs> DeleteDomain(const std::string& domain);
  // `verb` is "create" or "update"; `extra` e.g. mindevcount, replpolicy, hashtype.
  ClientResult<ReplyArgs> ModifyClass(const std::string& verb, const std::string& domain,
                                      const std::string& klass, const ArgList& extra);
  ClientResult<ReplyArgs> DeleteClass(const std::string& domain, const std::string& klass);
  // `verb` is "create" or "update"; `fields` e.g. ip, port, getport, altip, altmask, status.
  ClientResult<ReplyArgs> ModifyHost(const std::string& verb, const std::string& host,
                                     const ArgList& fields);
  ClientResult<ReplyArgs> DeleteHost(const std::string& host);
  ClientResult<ReplyArgs> CreateDevice(const std::string& hostname, const std::string& devid,
                                       const std::string& state);
  ClientResult<ReplyArgs> SetDeviceState(const std::string& host, const std::string& devid,
                                         const std::string& state);
  ClientResult<ReplyArgs> SetDeviceWeight(const std::string& host, const std::string& devid,
                                          const std::string& weight);

  ClientResult<std::map<std::string, std::string>> ServerSettings();
  ClientResult<std::string> ServerSetting(const std::string& key);
  // nullopt value deletes the setting (no `value` sent).
  ClientResult<void> SetServerSetting(const std::string& key,
                                      const std::optional<std::string>& value);

  // Slaves, as MogileFS::Admin: false (not an error) when the key exists/does not exist.
  ClientResult<std::map<std::string, std::vector<std::string>>> SlaveList();
  ClientResult<bool> SlaveAdd(const std::string& key, const std::string& dsn,
                              const std::string& user, const std::string& pass);
  ClientResult<bool> SlaveModify(const std::string& key,
                                 const std::map<std::string, std::string>& fields);
  ClientResult<bool> SlaveDelete(const std::string& key);

  ClientResult<std::vector<FsckLogRow>> FsckLogRows(const std::string& after_logid);

  // Commands whose raw reply is used as is: fsck_*, rebalance_*, replicate_now, clear_cache.
  ClientResult<ReplyArgs> Raw(std::string_view command, const ArgList& args = {}) {
    return trackers_.Call(command, args);
  }

 private:
  ClientResult<std::map<std::string, std::string>> SlaveKeys();
  ClientResult<void> SetSlaveKeys(const std::map<std::string, std::string>& keys);

  TrackerConnection& trackers_;
};

}  // namespace mog::client
