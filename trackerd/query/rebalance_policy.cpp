#include "trackerd/query/rebalance_policy.h"

#include <algorithm>
#include <cctype>

#include "trackerd/query/query_context.h"
#include "trackerd/workers/rebalance_state.h"

namespace mog::tracker {
namespace {

const std::vector<std::string> kListKeys = {"from_hosts", "from_devices", "to_hosts",
                                            "to_devices", "not_to_hosts", "not_to_devices"};
const std::map<std::string, std::string> kScalarDefaults = {
    {"from_all_devs", "1"},      {"from_percent_used", ""}, {"from_percent_free", ""},
    {"from_space_used", ""},     {"from_space_free", ""},   {"fid_age", "old"},
    {"limit_type", "device"},    {"limit_by", "none"},      {"limit", ""},
    {"to_all_devs", "1"},        {"to_percent_used", ""},   {"to_percent_free", ""},
    {"to_space_used", ""},       {"to_space_free", ""},     {"use_dest_devs", "all"},
    {"leave_in_drain_mode", "0"}};

std::vector<std::string> SplitComma(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t c = v.find(',', start);
    if (c == std::string::npos) c = v.size();
    out.push_back(v.substr(start, c - start));
    start = c + 1;
  }
  return out;
}

bool Contains(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The used/free filters shared by sources and destinations ("<side>_percent_used" ...).
bool PassesSpaceFilters(const RebalancePolicy& p, const std::string& side, const Device& dev) {
  const auto pf = dev.PercentFree();
  if (int64_t v = p.Num(side + "_percent_used")) {
    if (!pf || (1.0 - *pf) * 100 <= static_cast<double>(v)) return false;
  }
  if (int64_t v = p.Num(side + "_percent_free")) {
    if (!pf || *pf == 0 || *pf * 100 <= static_cast<double>(v)) return false;
  }
  if (int64_t v = p.Num(side + "_space_used")) {
    if (!dev.mb_used || *dev.mb_used == 0 || static_cast<int64_t>(*dev.mb_used) <= v) return false;
  }
  if (int64_t v = p.Num(side + "_space_free")) {
    auto free = dev.MbFree();
    if (!free || *free == 0 || *free <= v) return false;
  }
  return true;
}

bool AllDigits(const std::string& v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

Error Bad(std::string text) { return Error(Errc::kBadRebalPol, std::move(text)); }

Result<RebalancePolicy> Validate(RebalancePolicy p) {
  const std::string& by = p.values["limit_by"];
  if (by == "percent") return Bad("policy size limits by percent are unimplemented");
  if (by != "none" && by != "count" && by != "size") return Bad("unknown limit_by type " + by);
  if (by == "size" && !HumanToBytes(p.values["limit"])) {
    return Bad("Don't know what this number is: " + p.values["limit"]);
  }
  const std::string& type = p.values["limit_type"];
  if (type != "device" && type != "global") return Bad("unknown limit_type " + type);
  const std::string& age = p.values["fid_age"];
  if (age != "old" && age != "new") return Bad("invalid age argument: " + age);
  const std::string& dest = p.values["use_dest_devs"];
  if (dest != "all" && !AllDigits(dest)) return Bad("use_dest_devs must be all or a number");
  return p;
}

}  // namespace

std::vector<int64_t> RebalancePolicy::Ids(const std::string& key) const {
  std::vector<int64_t> out;
  auto it = lists.find(key);
  if (it == lists.end()) return out;
  for (const auto& s : it->second) out.push_back(PerlInt(s));
  return out;
}

int64_t RebalancePolicy::Num(const std::string& key) const {
  auto it = values.find(key);
  return it == values.end() ? 0 : PerlInt(it->second);
}

Result<RebalancePolicy> ParseRebalancePolicy(std::string_view text) {
  RebalancePolicy p;
  p.values = kScalarDefaults;
  for (const auto& k : kListKeys) p.lists[k] = {};
  size_t start = 0;
  while (start < text.size()) {
    size_t end = start;
    while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) == 0) ++end;
    std::string tuple(text.substr(start, end - start));
    start = end + 1;
    const size_t eq = tuple.find('=');
    std::string key = tuple.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : tuple.substr(eq + 1);
    value = value.substr(0, value.find('='));
    if (std::find(kListKeys.begin(), kListKeys.end(), key) != kListKeys.end()) {
      p.lists[key] = SplitComma(value);
    } else if (kScalarDefaults.count(key) != 0) {
      p.values[key] = value;
    } else {
      return Error(Errc::kBadRebalPol, "Invalid setting " + key);
    }
  }
  return Validate(std::move(p));
}

std::optional<int64_t> HumanToBytes(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || text.size() - digits > 1) return std::nullopt;
  int exponent = 0;
  if (digits < text.size()) {
    static constexpr std::string_view kSuffixes = "bkmgtp";
    const size_t at = kSuffixes.find(static_cast<char>(std::tolower(text.back())));
    if (at == std::string_view::npos) return std::nullopt;
    exponent = static_cast<int>(at);
  }
  int64_t n = PerlInt(text.substr(0, digits));
  for (int i = 0; i < exponent; ++i) {
    if (n > INT64_MAX / 1024) return INT64_MAX;
    n *= 1024;
  }
  return n;
}

int64_t RebalanceLimitBudget(const RebalancePolicy& p) {
  const std::string& by = p.values.at("limit_by");
  if (by == "count") return p.Num("limit");
  if (by == "size") return HumanToBytes(p.values.at("limit")).value_or(0);
  return 0;
}

std::vector<uint32_t> RebalanceSourceDevices(const RebalancePolicy& p,
                                             const ClusterSnapshot& snap) {
  std::vector<uint32_t> out;
  const auto from_devices = p.Ids("from_devices");
  const auto from_hosts = p.Ids("from_hosts");
  for (const auto& [id, dev] : snap.devices()) {
    if (!snap.IsDeletable(dev)) continue;
    if (!from_devices.empty() && !Contains(from_devices, id)) continue;
    if (!from_hosts.empty() && !Contains(from_hosts, dev.row.hostid)) continue;
    if (!PassesSpaceFilters(p, "from", dev)) continue;
    out.push_back(id);
  }
  return out;
}

std::vector<uint32_t> RebalanceDestDevices(const RebalancePolicy& p, const ClusterSnapshot& snap,
                                           const std::vector<uint32_t>& exclude) {
  std::vector<uint32_t> out;
  const auto to_devices = p.Ids("to_devices");
  const auto to_hosts = p.Ids("to_hosts");
  const auto not_devices = p.Ids("not_to_devices");
  const auto not_hosts = p.Ids("not_to_hosts");
  for (const auto& [id, dev] : snap.devices()) {
    if (std::find(exclude.begin(), exclude.end(), id) != exclude.end()) continue;
    if (!snap.ShouldGetNewFiles(dev)) continue;
    const int64_t hostid = dev.row.hostid;
    if (!to_devices.empty() && !Contains(to_devices, id)) continue;
    if (!to_hosts.empty() && !Contains(to_hosts, hostid)) continue;
    if (Contains(not_devices, id) || Contains(not_hosts, hostid)) continue;
    if (!PassesSpaceFilters(p, "to", dev)) continue;
    out.push_back(id);
  }
  return out;
}

std::string JoinIds(const std::vector<uint32_t>& ids) {
  std::string out;
  for (uint32_t id : ids) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(id);
  }
  return out;
}

std::string InitialRebalanceState(const std::vector<uint32_t>& source_devs, int64_t now) {
  RebalanceState state;
  state.source_devs = source_devs;
  state.time_started = now;
  return FormatRebalanceState(state);
}

std::string InitialRebalanceState(const RebalancePolicy& policy,
                                  const std::vector<uint32_t>& source_devs, int64_t now) {
  RebalanceState state;
  state.source_devs = source_devs;
  state.time_started = now;
  if (policy.values.at("limit_type") == "global") state.limit = RebalanceLimitBudget(policy);
  return FormatRebalanceState(state);
}

}  // namespace mog::tracker
