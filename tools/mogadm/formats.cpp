#include "tools/mogadm/formats.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include "tools/cli/sprintf.h"

namespace mog::mogadm {
namespace {

using cli::Sprintf;
using client::PerlInt;

bool PerlTrue(const std::string& v) { return !v.empty() && v != "0"; }

// Perl numification for floating values such as "3.2" or "1234".
double PerlNum(const std::string& v) {
  try {
    size_t used = 0;
    return std::stod(v, &used);
  } catch (...) {
    return 0;
  }
}

bool IsDecimal(const std::string& v) {
  static const std::regex kNumber(R"(\d+(\.\d+)?)");
  return std::regex_match(v, kNumber);
}

std::vector<const client::HostInfo*> HostsByIdString(const std::vector<client::HostInfo>& hosts) {
  std::vector<const client::HostInfo*> sorted;
  for (const auto& h : hosts) sorted.push_back(&h);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* a, auto* b) { return a->hostid < b->hostid; });
  return sorted;
}

// Devices of one host, sorted by devid as strings (upstream's `sort keys`).
std::vector<const client::DeviceInfo*> DevicesOf(const std::vector<client::DeviceInfo>& devices,
                                                 const std::string& hostid) {
  std::vector<const client::DeviceInfo*> out;
  for (const auto& d : devices) {
    if (d.hostid == hostid) out.push_back(&d);
  }
  std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->devid < b->devid; });
  return out;
}

std::vector<std::string> SplitOn(const std::string& text, const std::regex& sep) {
  std::vector<std::string> out;
  for (std::sregex_token_iterator it(text.begin(), text.end(), sep, -1), end; it != end; ++it) {
    out.push_back(*it);
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  if (!out.empty() && out.front().empty()) out.erase(out.begin());
  return out;
}

}  // namespace

std::string FormatHostList(const std::vector<client::HostInfo>& hosts) {
  std::string out;
  for (const client::HostInfo* h : HostsByIdString(hosts)) {
    out += h->hostname + " [" + h->hostid + "]: " + h->status + "\n";
    const std::pair<std::string, std::string> rows[] = {
        {"IP", h->hostip + ":" + h->http_port},
        {"Alt IP", h->altip},
        {"Alt Mask", h->altmask},
        {"GET Port", h->http_get_port}};
    for (const auto& [label, value] : rows) {
      if (!PerlTrue(value)) continue;
      out += Sprintf("  %-10s%s\n", (label + ":").c_str(), value.c_str());
    }
    out += "\n";
  }
  return out;
}

std::string FormatDeviceList(const std::vector<client::HostInfo>& hosts,
                             const std::vector<client::DeviceInfo>& devices,
                             const std::optional<std::string>& hostname, bool all) {
  std::string out;
  for (const client::HostInfo* h : HostsByIdString(hosts)) {
    if (hostname && *hostname != h->hostname) continue;
    out += h->hostname + " [" + h->hostid + "]: " + h->status + "\n";
    out += Sprintf("%7s  %-7s %10s %10s %10s %10s\n", "", "", "used(G)", "free(G)", "total(G)",
                   "weight(%)");
    for (const client::DeviceInfo* d : DevicesOf(devices, h->hostid)) {
      if (d->status == "dead" && !all) continue;
      const double total = static_cast<double>(d->mb_total) / 1024;
      const double used = static_cast<double>(d->mb_used) / 1024;
      out += Sprintf("%7s: %7s %10.3f %10.3f %10.3f %10u\n", ("dev" + d->devid).c_str(),
                     d->status.c_str(), used, total - used, total,
                     static_cast<unsigned>(d->weight));
    }
    out += "\n";
  }
  return out;
}

std::string FormatDeviceSummary(const std::vector<client::HostInfo>& hosts,
                                const std::vector<client::DeviceInfo>& devices,
                                const std::optional<std::string>& hostname,
                                const std::set<std::string>& statuses) {
  std::string out = Sprintf("%-15s %6s %7s  %8s %8s %8s %8s\n", "Hostname", "HostID", "Status",
                            "used(G)", "free(G)", "total(G)", "%Used");
  for (const client::HostInfo* h : HostsByIdString(hosts)) {
    if (hostname && *hostname != h->hostname) continue;
    double total = 0, used = 0;
    for (const client::DeviceInfo* d : DevicesOf(devices, h->hostid)) {
      if (!statuses.count(d->status)) continue;
      total += static_cast<double>(d->mb_total) / 1024;
      used += static_cast<double>(d->mb_used) / 1024;
    }
    out += Sprintf("%-15s [%4d]: %6s", h->hostname.c_str(), static_cast<int>(PerlInt(h->hostid)),
                   h->status.c_str());
    out += Sprintf("  %8.3f %8.3f %8.3f ", used, total - used, total);
    if (total != 0) out += Sprintf("%8.2f", 100 * used / total);
    out += "\n";
  }
  return out;
}

std::string FormatDomainList(const client::DomainMap& domains) {
  std::string out = Sprintf(" %-20s %-20s %-12s  %-12s %-7s\n", "domain", "class", "mindevcount",
                            "replpolicy", "hashtype");
  out += Sprintf("%-20s %-20s %-12s %-12s %-7s\n", std::string(20, '-').c_str(),
                 std::string(20, '-').c_str(), std::string(13, '-').c_str(),
                 std::string(12, '-').c_str(), std::string(7, '-').c_str());
  for (const auto& [domain, classes] : domains) {
    for (const auto& [name, info] : classes) {
      out += Sprintf(" %-20s %-20s      %-8d %-13s %-7s\n", domain.c_str(), name.c_str(),
                     static_cast<int>(PerlInt(info.mindevcount)), info.replpolicy.c_str(),
                     info.hashtype.c_str());
    }
    out += "\n";
  }
  return out;
}

std::string FormatFsckStatus(const client::ReplyArgs& status) {
  std::set<std::string> known = {"current_time", "max_logid"};
  auto st = [&](const std::string& key) {
    known.insert(key);
    return status.Get(key);
  };
  auto line = [](const std::string& label, const std::string& value) {
    return Sprintf("%11s: %-s\n", label.c_str(), value.c_str());
  };
  auto as_time = [](double s) {
    if (s < 60) return std::to_string(static_cast<long long>(s)) + "s";
    return std::to_string(static_cast<long long>(s / 60)) + "m";
  };
  std::string out = "\n";
  const std::string host = st("host");
  out += line("Running", PerlTrue(st("running")) ? "Yes (on " + host + ")" : "No");
  const double end_fid = PerlNum(st("end_fid"));
  const double checked = PerlNum(st("max_fid_checked"));
  const double ratio = PerlTrue(st("end_fid")) && end_fid != 0 ? checked / end_fid : 0;
  out += line("Status", st("max_fid_checked") + " / " + st("end_fid") + " (" +
                            Sprintf("%0.02f%%", 100 * ratio) + ")");
  double elapsed = 0;
  if (PerlTrue(st("start_time"))) {
    std::string stop = st("stop_time");
    if (!PerlTrue(stop)) stop = st("current_time");
    elapsed = PerlNum(stop) - PerlNum(st("start_time"));
  }
  const double per_sec = elapsed != 0 ? PerlNum(st("max_fid_checked")) / elapsed : 0;
  const double remain = per_sec != 0 ? (PerlNum(st("end_fid")) - PerlNum(st("max_fid_checked"))) / per_sec : 0;
  // Upstream formats the rate with %0.1f and then prints that string with %d.
  const long long rate = static_cast<long long>(PerlNum(Sprintf("%0.1f", per_sec)));
  out += line("Time", as_time(elapsed) + " (" + std::to_string(rate) + " fids/s; " +
                          as_time(remain) + " remain)");
  out += line("Check Type", PerlTrue(st("policy_only")) ? "Repl policy only (skip file checks)"
                                                        : "Normal (check policy + files)");
  std::vector<std::string> unknown;
  for (const auto& [key, value] : status.values()) {
    if (!known.count(key)) unknown.push_back(key);
  }
  if (!unknown.empty()) {
    out += "\n";
    for (const std::string& key : unknown) out += line("[" + key + "]", status.Get(key));
  }
  return out + "\n";
}

std::string FormatFsckLogHeader() {
  return Sprintf("%-20s %5s %13s %10s\n", "unixtime", "event", "fid", "devid");
}

std::string FormatFsckLogRow(const client::FsckLogRow& row) {
  const std::string devid = PerlTrue(row.devid) ? row.devid : "-";
  return Sprintf("%-20s %5s %13s %10s\n", row.utime.c_str(), row.evcode.c_str(), row.fid.c_str(),
                 devid.c_str());
}

std::string FormatSettings(const std::map<std::string, std::string>& settings,
                           bool (*keep)(const std::string& key)) {
  std::string out;
  for (const auto& [key, value] : settings) {
    if (keep(key)) out += Sprintf("%25s = %-s\n", key.c_str(), value.c_str());
  }
  return out;
}

std::string FormatRebalanceTest(const std::string& policy, const client::ReplyArgs& reply) {
  static const std::regex kComma(",");
  std::string out = "Tested rebalance policy...\nPolicy: " + policy + "\n\nSource devices:\n";
  auto sdevs = SplitOn(reply.Get("sdevs"), kComma);
  std::sort(sdevs.begin(), sdevs.end());
  for (const auto& d : sdevs) out += " - " + d + "\n";
  out += "Destination devices:\n";
  auto ddevs = SplitOn(reply.Get("ddevs"), kComma);
  std::sort(ddevs.begin(), ddevs.end());
  for (const auto& d : ddevs) out += " - " + d + "\n";
  return out;
}

std::string FormatRebalanceStatus(bool running, const std::string& state) {
  static const std::regex kSpaces(R"(\s+)");
  std::string out = running ? "Rebalance is running\n" : "Rebalance is stopped\n";
  out += "Rebalance status:\n";
  auto items = SplitOn(state, kSpaces);
  std::sort(items.begin(), items.end());
  for (const auto& item : items) {
    const size_t eq = item.find('=');
    const std::string key = item.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (auto second = value.find('='); second != std::string::npos) value.erase(second);
    out += Sprintf("%25s = %-s\n", key.c_str(), value.c_str());
  }
  return out;
}

std::string FormatCheckDeviceHeader() {
  return Sprintf("  host device      %10s %10s %10s %7s  %7s   %4s\n", "size(G)", "used(G)",
                 "free(G)", "use% ", "ob state", "I/O%") +
         "  ---- ------------ ---------- ---------- ---------- ------ ---------- -----\n";
}

std::string FormatCheckDeviceUsage(const std::string& usage_text, const std::string& url,
                                   const client::DeviceInfo& device, CheckTotals* totals) {
  if (usage_text.empty()) return "USAGE FILE BROKEN OR EMPTY: " + url + "\n";
  static const std::regex kLines(R"(\r?\n)");
  static const std::regex kColon(R"(:\s+)");
  std::map<std::string, std::string> data;
  for (const std::string& line : SplitOn(usage_text, kLines)) {
    // Perl's `map { split /:\s+/ }` flattens into key, value pairs.
    std::vector<std::string> parts;
    for (std::sregex_token_iterator it(line.begin(), line.end(), kColon, -1), end; it != end;
         ++it) {
      parts.push_back(*it);
    }
    for (size_t i = 0; i + 1 < parts.size(); i += 2) data[parts[i]] = parts[i + 1];
    if (parts.size() % 2 == 1) data[parts.back()] = "";
  }
  for (const char* field : {"time", "used", "total", "avail"}) {
    if (!PerlTrue(data[field]) || !IsDecimal(data[field])) data[field] = "0";
  }
  for (const char* field : {"available", "device", "disk"}) {
    if (!data.count(field) || !PerlTrue(data[field])) {
      return std::string("MISSING FIELD (") + field + ") FROM USAGE FILE: " + url + "\n";
    }
  }
  const double gib = 1024.0 * 1024.0;
  const double used = PerlNum(data["used"]) / gib;
  const double total = PerlNum(data["total"]) / gib;
  const double avail = PerlNum(data["available"]) / gib;
  // Upstream divides by zero here and dies; a zero-sized device shows 0% instead.
  const double pct = total != 0 ? 100 - avail / total * 100 : 0;
  totals->used += used;
  totals->avail += avail;
  totals->total += total;
  std::string util = "N/A";
  if (IsDecimal(device.utilization)) util = Sprintf("%.1f", PerlNum(device.utilization));
  const std::string state = PerlTrue(device.observed_state) ? device.observed_state : "?";
  return Sprintf("     %10.3f %10.3f %10.3f %6.2f%%  %-7s %5s\n", total, used, avail, pct,
                 state.c_str(), util.c_str());
}

std::string FormatCheckTotals(const CheckTotals& totals) {
  const double pct = totals.total > 0 ? 100 - totals.avail / totals.total * 100 : 0;
  return std::string("  ---- ------------ ---------- ---------- ---------- ------\n") +
         Sprintf("             total:%10.3f %10.3f %10.3f %6.2f%%\n", totals.total, totals.used,
                 totals.avail, pct);
}

}  // namespace mog::mogadm
