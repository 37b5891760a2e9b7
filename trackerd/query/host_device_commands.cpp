// Host and device administration: get_hosts, create/update/delete_host, get_devices,
// create_device, set_state, set_weight (tracker.md §2.3).
#include <string>

#include "trackerd/query/command_table.h"

namespace mog::tracker {
namespace {

std::string Opt(const std::optional<uint32_t>& v) { return v ? std::to_string(*v) : ""; }
std::string Opt64(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : ""; }

bool ValidHostState(std::string_view s) {
  return s == "alive" || s == "dead" || s == "down" || s == "readonly";
}

bool ValidDeviceState(std::string_view s) {
  return s == "alive" || s == "dead" || s == "down" || s == "readonly" || s == "drain";
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

CommandResult GetHosts(QueryContext& ctx) {
  auto filter = ctx.args.GetOpt("hostid");
  ArgList reply;
  int n = 0;
  for (const auto& [id, host] : ctx.snap->hosts()) {
    if (filter && static_cast<int64_t>(id) != PerlInt(*filter)) continue;
    const std::string p = "host" + std::to_string(++n) + "_";
    const HostRow& h = host.row;
    reply.emplace_back(p + "hostid", std::to_string(h.hostid));
    reply.emplace_back(p + "status", h.status);
    reply.emplace_back(p + "hostname", h.hostname);
    reply.emplace_back(p + "hostip", h.hostip);
    reply.emplace_back(p + "http_port", Opt(h.http_port));
    reply.emplace_back(p + "http_get_port", Opt(h.http_get_port));
    reply.emplace_back(p + "altip", h.altip);
    reply.emplace_back(p + "altmask", h.altmask);
  }
  reply.emplace(reply.begin(), "hosts", std::to_string(n));
  return reply;
}

CommandResult CreateOrUpdateHost(QueryContext& ctx, bool update) {
  const RequestArgs& a = ctx.args;
  if (!a.Truthy("host")) return Error(Errc::kNoHost);
  const std::string hostname = a.Get("host");
  auto existing = ctx.store.FindHost(hostname);
  if (!existing) return existing.error();
  std::optional<std::string> status = a.GetOpt("status");
  if (update) {
    if (!*existing) return Error(Errc::kHostNotFound);
  } else {
    if (*existing) return Error(Errc::kHostExists);
    if (!a.Truthy("ip")) return Error(Errc::kNoIp);
    if (!a.Truthy("port")) return Error(Errc::kNoPort);
    if (!status || !PerlTrue(*status)) status = "down";
  }
  if (status && PerlTrue(*status) && !ValidHostState(*status)) {
    return Error(Errc::kUnknownState);
  }
  // Exactly the fields present in the request are written (empty values included).
  HostUpdate fields;
  fields.status = status;
  fields.hostip = a.GetOpt("ip");
  fields.http_port = a.GetOpt("port");
  fields.http_get_port = a.GetOpt("getport");
  fields.altip = a.GetOpt("altip");
  fields.altmask = a.GetOpt("altmask");
  HostId hostid = 0;
  if (update) {
    hostid = (*existing)->hostid;
    auto r = ctx.store.UpdateHost(hostid, fields);
    if (!r) return r.error();
  } else {
    auto created = ctx.store.CreateHost(hostname, a.Get("ip"), fields);
    if (!created) return created.error();
    hostid = *created;
  }
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{{"hostid", std::to_string(hostid)}, {"hostname", hostname}};
}

CommandResult CreateHost(QueryContext& ctx) { return CreateOrUpdateHost(ctx, false); }
CommandResult UpdateHost(QueryContext& ctx) { return CreateOrUpdateHost(ctx, true); }

CommandResult DeleteHost(QueryContext& ctx) {
  auto host = ctx.store.FindHost(ctx.args.Get("host"));
  if (!host) return host.error();
  if (!*host) return Error(Errc::kUnknownHost);
  auto busy = ctx.store.HostHasDevices((*host)->hostid);
  if (!busy) return busy.error();
  if (*busy) return Error(Errc::kHostNotEmpty);
  if (auto r = ctx.store.DeleteHost((*host)->hostid); !r) return r.error();
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{};
}

CommandResult GetDevices(QueryContext& ctx) {
  auto filter = ctx.args.GetOpt("devid");
  ArgList reply;
  int n = 0;
  for (const auto& [id, dev] : ctx.snap->devices()) {
    if (filter && static_cast<int64_t>(id) != PerlInt(*filter)) continue;
    const std::string p = "dev" + std::to_string(++n) + "_";
    const DeviceRow& d = dev.row;
    reply.emplace_back(p + "hostid", std::to_string(d.hostid));
    reply.emplace_back(p + "status", d.status);
    reply.emplace_back(p + "weight", d.weight ? std::to_string(*d.weight) : "");
    reply.emplace_back(p + "mb_total", Opt64(dev.mb_total));
    reply.emplace_back(p + "mb_used", Opt64(dev.mb_used));
    reply.emplace_back(p + "mb_asof", "");  // always empty in 2.73's cache
    reply.emplace_back(p + "devid", std::to_string(d.devid));
    reply.emplace_back(p + "observed_state", std::string(DeviceObservedName(dev.observed)));
    reply.emplace_back(p + "utilization", dev.utilization.value_or(""));
    reply.emplace_back(p + "reject_bad_md5",
                       dev.reject_bad_md5 ? (*dev.reject_bad_md5 ? "1" : "0") : "");
    // upstream: total - used only when total is non-zero and used is known
    const bool free_known = dev.mb_total && *dev.mb_total != 0 && dev.mb_used;
    reply.emplace_back(p + "mb_free", free_known ? std::to_string(*dev.MbFree()) : "");
  }
  reply.emplace(reply.begin(), "devices", std::to_string(n));
  return reply;
}

CommandResult CreateDevice(QueryContext& ctx) {
  const RequestArgs& a = ctx.args;
  const std::string status = a.Truthy("state") ? a.Get("state") : "alive";
  if (!ValidDeviceState(status)) return Error(Errc::kInvalidState);
  const std::string devid = a.Get("devid");
  if (!PerlTrue(devid) || !AllDigits(devid)) return Error(Errc::kInvalidDevid);
  HostId hostid = 0;
  if (a.Truthy("hostid") && AllDigits(a.Get("hostid"))) {
    auto hosts = ctx.store.GetAllHosts();
    if (!hosts) return hosts.error();
    const int64_t want = PerlInt(a.Get("hostid"));
    for (const HostRow& h : *hosts) {
      if (static_cast<int64_t>(h.hostid) == want) hostid = h.hostid;
    }
    if (hostid == 0) return Error(Errc::kUnknownHostid);
  } else if (a.Truthy("hostname")) {
    auto host = ctx.store.FindHost(a.Get("hostname"));
    if (!host) return host.error();
    if (!*host) return Error(Errc::kUnknownHost);
    hostid = (*host)->hostid;
  } else {
    return Error(Errc::kBadArgs, "No hostid/hostname parameter");
  }
  const int64_t id = PerlInt(devid);
  if (id <= 0 || id > 16777215) return Error(Errc::kInvalidDevid);  // MEDIUMINT UNSIGNED
  auto created = ctx.store.CreateDevice(static_cast<DevId>(id), hostid, status);
  if (!created) {
    if (created.error().code() == Errc::kDup) return Error(Errc::kExistingDevid);
    return created.error();
  }
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{};
}

// set_state / set_weight share their argument checks.
Result<const Device*> DeviceOfHost(QueryContext& ctx, bool extra_ok) {
  const std::string hostname = ctx.args.Get("host");
  const int64_t devid = PerlInt(ctx.args.Get("device"));
  if (!PerlTrue(hostname) || devid == 0 || !extra_ok) return Error(Errc::kBadParams);
  const Device* dev = ctx.snap->FindDevice(static_cast<DevId>(devid));
  if (!dev) return Error(Errc::kNoDevice);
  const Host* host = ctx.snap->FindHost(dev->row.hostid);
  if (!host || host->row.hostname != hostname) return Error(Errc::kHostMismatch);
  return dev;
}

CommandResult SetState(QueryContext& ctx) {
  const std::string state = ctx.args.Get("state");
  auto dev = DeviceOfHost(ctx, ValidDeviceState(state));
  if (!dev) return dev.error();
  if ((*dev)->status == DeviceStatus::kDead && state == "alive") {
    return Error(Errc::kStateTooHigh);
  }
  DeviceUpdate update;
  update.status = state;
  if (auto r = ctx.store.UpdateDevice((*dev)->row.devid, update); !r) return r.error();
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{};
}

CommandResult SetWeight(QueryContext& ctx) {
  const int64_t weight = PerlInt(ctx.args.Get("weight"));
  auto dev = DeviceOfHost(ctx, weight >= 0);
  if (!dev) return dev.error();
  DeviceUpdate update;
  update.weight = static_cast<int>(std::min<int64_t>(weight, 8388607));
  if (auto r = ctx.store.UpdateDevice((*dev)->row.devid, update); !r) return r.error();
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{};
}

}  // namespace

void RegisterHostDeviceCommands(CommandTable& table) {
  table.Add("get_hosts", GetHosts);
  table.Add("create_host", CreateHost);
  table.Add("update_host", UpdateHost);
  table.Add("delete_host", DeleteHost);
  table.Add("get_devices", GetDevices);
  table.Add("create_device", CreateDevice);
  table.Add("set_state", SetState);
  table.Add("set_weight", SetWeight);
}

}  // namespace mog::tracker
