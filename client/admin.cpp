#include "client/admin.h"

namespace mog::client {
namespace {

std::string N(int64_t i) { return std::to_string(i); }

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t next = text.find(sep, pos);
    out.push_back(text.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return out;
}

}  // namespace

std::vector<HostInfo> ParseHosts(const ReplyArgs& r) {
  std::vector<HostInfo> out;
  for (int64_t i = 1; i <= r.GetInt("hosts"); ++i) {
    const std::string p = "host" + N(i) + "_";
    out.push_back({r.Get(p + "hostid"), r.Get(p + "status"), r.Get(p + "hostname"),
                   r.Get(p + "hostip"), r.Get(p + "http_port"), r.Get(p + "http_get_port"),
                   r.Get(p + "altip"), r.Get(p + "altmask")});
  }
  return out;
}

std::vector<DeviceInfo> ParseDevices(const ReplyArgs& r) {
  std::vector<DeviceInfo> out;
  for (int64_t i = 1; i <= r.GetInt("devices"); ++i) {
    const std::string p = "dev" + N(i) + "_";
    DeviceInfo d;
    d.devid = r.Get(p + "devid");
    d.hostid = r.Get(p + "hostid");
    d.status = r.Get(p + "status");
    d.observed_state = r.Get(p + "observed_state");
    d.utilization = r.Get(p + "utilization");
    d.mb_total = r.GetInt(p + "mb_total");
    d.mb_used = r.GetInt(p + "mb_used");
    d.weight = r.GetInt(p + "weight");
    out.push_back(std::move(d));
  }
  return out;
}

DomainMap ParseDomains(const ReplyArgs& r) {
  DomainMap out;
  for (int64_t i = 1; i <= r.GetInt("domains"); ++i) {
    const std::string d = "domain" + N(i);
    auto& classes = out[r.Get(d)];
    for (int64_t j = 1; j <= r.GetInt(d + "classes"); ++j) {
      const std::string c = d + "class" + N(j);
      classes[r.Get(c + "name")] = {r.Get(c + "mindevcount"), r.Get(c + "replpolicy"),
                                    r.Get(c + "hashtype")};
    }
  }
  return out;
}

std::vector<FidInfo> ParseFids(const ReplyArgs& r) {
  std::vector<FidInfo> out;
  for (int64_t i = 1; i <= r.GetInt("fid_count"); ++i) {
    const std::string p = "fid_" + N(i) + "_";
    out.push_back({r.Get(p + "fid"), r.Get(p + "key"), r.Get(p + "length"), r.Get(p + "class"),
                   r.Get(p + "domain"), r.Get(p + "devcount")});
  }
  return out;
}

std::vector<FsckLogRow> ParseFsckLog(const ReplyArgs& r) {
  std::vector<FsckLogRow> out;
  for (int64_t i = 1; i <= r.GetInt("row_count"); ++i) {
    const std::string p = "row_" + N(i) + "_";
    out.push_back({r.Get(p + "logid"), r.Get(p + "utime"), r.Get(p + "fid"), r.Get(p + "evcode"),
                   r.Get(p + "devid")});
  }
  return out;
}

std::map<std::string, std::string> ParseSlaveKeys(const std::string& value) {
  std::map<std::string, std::string> out;
  if (value.empty()) return out;
  for (const std::string& item : Split(value, ',')) {
    size_t eq = item.find('=');
    std::string key = item.substr(0, eq);
    std::string weight = eq == std::string::npos ? "" : item.substr(eq + 1);
    out[key] = weight.empty() ? "1" : weight;
  }
  return out;
}

ClientResult<std::vector<HostInfo>> Admin::GetHosts(const std::string& hostid) {
  ArgList args;
  if (!hostid.empty() && hostid != "0") args.emplace_back("hostid", hostid);
  auto reply = Raw("get_hosts", args);
  if (!reply) return reply.error();
  return ParseHosts(*reply);
}

ClientResult<std::vector<DeviceInfo>> Admin::GetDevices(const std::string& devid) {
  ArgList args;
  if (!devid.empty() && devid != "0") args.emplace_back("devid", devid);
  auto reply = Raw("get_devices", args);
  if (!reply) return reply.error();
  return ParseDevices(*reply);
}

ClientResult<DomainMap> Admin::GetDomains() {
  auto reply = Raw("get_domains");
  if (!reply) return reply.error();
  return ParseDomains(*reply);
}

ClientResult<std::vector<FidInfo>> Admin::ListFids(int64_t from, int64_t count) {
  auto reply = Raw("list_fids", {{"from", N(from)}, {"to", N(count)}});
  if (!reply) return reply.error();
  return ParseFids(*reply);
}

ClientResult<ReplyArgs> Admin::CreateDomain(const std::string& domain) {
  return Raw("create_domain", {{"domain", domain}});
}

ClientResult<ReplyArgs> Admin::DeleteDomain(const std::string& domain) {
  return Raw("delete_domain", {{"domain", domain}});
}

ClientResult<ReplyArgs> Admin::ModifyClass(const std::string& verb, const std::string& domain,
                                           const std::string& klass, const ArgList& extra) {
  ArgList args{{"domain", domain}, {"class", klass}};
  args.insert(args.end(), extra.begin(), extra.end());
  return Raw(verb + "_class", args);
}

ClientResult<ReplyArgs> Admin::DeleteClass(const std::string& domain, const std::string& klass) {
  return Raw("delete_class", {{"domain", domain}, {"class", klass}});
}

ClientResult<ReplyArgs> Admin::ModifyHost(const std::string& verb, const std::string& host,
                                          const ArgList& fields) {
  ArgList args = fields;
  args.emplace_back("host", host);
  return Raw(verb + "_host", args);
}

ClientResult<ReplyArgs> Admin::DeleteHost(const std::string& host) {
  return Raw("delete_host", {{"host", host}});
}

ClientResult<ReplyArgs> Admin::CreateDevice(const std::string& hostname, const std::string& devid,
                                            const std::string& state) {
  return Raw("create_device", {{"hostname", hostname}, {"devid", devid}, {"state", state}});
}

ClientResult<ReplyArgs> Admin::SetDeviceState(const std::string& host, const std::string& devid,
                                              const std::string& state) {
  return Raw("set_state", {{"host", host}, {"device", devid}, {"state", state}});
}

ClientResult<ReplyArgs> Admin::SetDeviceWeight(const std::string& host, const std::string& devid,
                                               const std::string& weight) {
  return Raw("set_weight", {{"host", host}, {"device", devid}, {"weight", weight}});
}

ClientResult<std::map<std::string, std::string>> Admin::ServerSettings() {
  auto reply = Raw("server_settings");
  if (!reply) return reply.error();
  std::map<std::string, std::string> out;
  for (int64_t i = 1; i <= reply->GetInt("key_count"); ++i) {
    out[reply->Get("key_" + N(i))] = reply->Get("value_" + N(i));
  }
  return out;
}

ClientResult<std::string> Admin::ServerSetting(const std::string& key) {
  auto reply = Raw("server_setting", {{"key", key}});
  if (!reply) return reply.error();
  return reply->Get("value");
}

ClientResult<void> Admin::SetServerSetting(const std::string& key,
                                           const std::optional<std::string>& value) {
  ArgList args{{"key", key}};
  if (value) args.emplace_back("value", *value);
  auto reply = Raw("set_server_setting", args);
  if (!reply) return reply.error();
  return {};
}

ClientResult<std::map<std::string, std::string>> Admin::SlaveKeys() {
  auto value = ServerSetting("slave_keys");
  if (!value) return value.error();
  return ParseSlaveKeys(*value);
}

ClientResult<void> Admin::SetSlaveKeys(const std::map<std::string, std::string>& keys) {
  std::string joined;
  for (const auto& [key, weight] : keys) {
    if (!joined.empty()) joined += ",";
    joined += key;
    if (!weight.empty() && weight != "1") joined += "=" + weight;
  }
  return SetServerSetting("slave_keys", joined);
}

ClientResult<std::map<std::string, std::vector<std::string>>> Admin::SlaveList() {
  auto keys = SlaveKeys();
  if (!keys) return keys.error();
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [key, weight] : *keys) {
    auto value = ServerSetting("slave_" + key);
    if (!value) continue;
    std::vector<std::string> parts = Split(*value, '|');
    parts.resize(3);
    out[key] = parts;
  }
  return out;
}

ClientResult<bool> Admin::SlaveAdd(const std::string& key, const std::string& dsn,
                                   const std::string& user, const std::string& pass) {
  auto keys = SlaveKeys();
  if (!keys) return keys.error();
  if (keys->count(key)) return false;
  if (auto set = SetServerSetting("slave_" + key, dsn + "|" + user + "|" + pass); !set) {
    return set.error();
  }
  (*keys)[key] = "";
  if (auto set = SetSlaveKeys(*keys); !set) return set.error();
  return true;
}

ClientResult<bool> Admin::SlaveModify(const std::string& key,
                                      const std::map<std::string, std::string>& fields) {
  auto keys = SlaveKeys();
  if (!keys) return keys.error();
  if (!keys->count(key)) return false;
  auto value = ServerSetting("slave_" + key);
  if (!value) return value.error();
  std::vector<std::string> parts = Split(*value, '|');
  parts.resize(3);
  const char* names[] = {"dsn", "username", "password"};
  for (int i = 0; i < 3; ++i) {
    if (auto it = fields.find(names[i]); it != fields.end()) parts[i] = it->second;
  }
  if (auto set = SetServerSetting("slave_" + key, parts[0] + "|" + parts[1] + "|" + parts[2]);
      !set) {
    return set.error();
  }
  return true;
}

ClientResult<bool> Admin::SlaveDelete(const std::string& key) {
  auto keys = SlaveKeys();
  if (!keys) return keys.error();
  if (!keys->count(key)) return false;
  if (auto set = SetServerSetting("slave_" + key, std::nullopt); !set) return set.error();
  keys->erase(key);
  if (auto set = SetSlaveKeys(*keys); !set) return set.error();
  return true;
}

ClientResult<std::vector<FsckLogRow>> Admin::FsckLogRows(const std::string& after_logid) {
  ArgList args;
  if (!after_logid.empty()) args.emplace_back("after_logid", after_logid);
  auto reply = Raw("fsck_getlog", args);
  if (!reply) return reply.error();
  return ParseFsckLog(*reply);
}

}  // namespace mog::client
