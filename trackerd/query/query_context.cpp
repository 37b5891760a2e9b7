#include "trackerd/query/query_context.h"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/network_v4.hpp>

#include "common/fid/fid_path.h"

namespace mog::tracker {
namespace {

constexpr uint32_t kDefaultHttpPort = 7500;

bool IpInMask(const std::string& ip, const std::string& mask) {
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address_v4(ip, ec);
  if (ec) return false;
  auto net = boost::asio::ip::make_network_v4(mask, ec);
  if (ec) return false;
  return (addr.to_uint() & net.netmask().to_uint()) == net.network().to_uint();
}

std::string Url(const std::string& ip, uint32_t port, DevId devid, Fid fid) {
  return "http://" + ip + ":" + std::to_string(port) + FormatFidPath(devid, fid);
}

}  // namespace

int64_t PerlInt(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  bool neg = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
  int64_t v = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (v > (INT64_MAX - 9) / 10) break;  // saturate instead of overflowing
    v = v * 10 + (text[i] - '0');
  }
  return neg ? -v : v;
}

Result<DmId> QueryContext::CheckDomain() {
  auto domain = args.GetOpt("domain");
  if (!domain || domain->empty()) return Error(Errc::kNoDomain);
  const DomainInfo* d = snap->FindDomain(*domain);
  if (!d) return Error(Errc::kUnregDomain);
  return d->row.dmid;
}

namespace {

// The domain / no_key / unknown_key checks shared by both lookups, in upstream's order.
template <typename Row, typename Lookup>
Result<Row> LookupByDomainKey(QueryContext& ctx, Lookup lookup) {
  auto dmid = ctx.CheckDomain();
  if (!dmid) return dmid.error();
  auto key = ctx.args.GetOpt("key");
  if (!ValidKey(key)) return Error(Errc::kNoKey);
  auto file = lookup(*dmid, *key);
  if (!file) return file.error();
  if (!*file) return Error(Errc::kUnknownKey);
  return std::move(**file);
}

}  // namespace

Result<FileRow> QueryContext::FileFromDomainKey() {
  return LookupByDomainKey<FileRow>(
      *this, [&](DmId dmid, const std::string& key) { return store.FileByKey(dmid, key); });
}

Result<FileWithDevids> QueryContext::FileWithDevidsFromDomainKey() {
  return LookupByDomainKey<FileWithDevids>(*this, [&](DmId dmid, const std::string& key) {
    return store.FileWithDevidsByKey(dmid, key);
  });
}

Result<void> QueryContext::RefreshCacheAndWait() {
  if (services.refresh_cache) {
    auto r = services.refresh_cache(store);
    if (!r) return r.error();
  }
  const uint64_t ticket = state().RequestMonitorRound();
  state().WaitMonitorRound(ticket, services.monitor_wait);
  snap = state().Snapshot();
  return {};
}

void QueryContext::WaitForFirstMonitorRound() {
  if (state().WaitMonitorRound(1, services.monitor_wait)) snap = state().Snapshot();
}

std::string QueryContext::HostIp(const Host& host) const {
  const HostRow& h = host.row;
  if (!h.altip.empty() && !h.altmask.empty()) {
    if (args.Get("zone") == "alt" || IpInMask(client_ip, h.altmask)) return h.altip;
  }
  return h.hostip;
}

std::optional<std::string> QueryContext::PutUrl(DevId devid, Fid fid) const {
  const Device* dev = snap->FindDevice(devid);
  if (!dev) return std::nullopt;
  const Host* host = snap->FindHost(dev->row.hostid);
  if (!host) return std::nullopt;
  return Url(HostIp(*host), host->row.http_port.value_or(kDefaultHttpPort), devid, fid);
}

std::optional<std::string> QueryContext::GetUrl(DevId devid, Fid fid) const {
  const Device* dev = snap->FindDevice(devid);
  if (!dev) return std::nullopt;
  const Host* host = snap->FindHost(dev->row.hostid);
  if (!host) return std::nullopt;
  uint32_t port = host->row.http_get_port.value_or(0);
  if (port == 0) port = host->row.http_port.value_or(kDefaultHttpPort);
  return Url(HostIp(*host), port, devid, fid);
}

}  // namespace mog::tracker
