#include "trackerd/placement/replication_policy.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "trackerd/placement/device_selector.h"

namespace mog::tracker {

std::string ReplicationDecision::ToString() const {
  auto list = [](std::string name, std::vector<uint32_t> ids) {
    std::sort(ids.begin(), ids.end());
    name += "(";
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i) name += ",";
      name += std::to_string(ids[i]);
    }
    return name + ")";
  };
  switch (kind) {
    case Kind::kAllGood: return "all_good";
    case Kind::kTooGood: return "too_good";
    case Kind::kNoAnswer: return "temp_fail";
    case Kind::kCopy:
      return ideal.empty() ? list("desperate", desperate) : list("ideal", ideal);
  }
  return "temp_fail";
}

namespace {

constexpr std::string_view kPolicyPrefix = "MogileFS::ReplicationPolicy::";
constexpr int kMaxUnionDepth = 8;  // Union(Union(...)) nesting we are willing to parse

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void SkipSpace(std::string_view& s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
}

// Rejected policies cannot replicate; they exist so `Union(...)` strings stay storable.
class UnionPolicy final : public ReplicationPolicy {
 public:
  explicit UnionPolicy(std::vector<std::shared_ptr<const ReplicationPolicy>> parts)
      : parts_(std::move(parts)) {}
  ReplicationDecision ReplicateTo(const ClusterSnapshot&, const ReplicationInput&,
                                  RandomSource&) const override {
    return ReplicationDecision{};  // upstream dies "not implemented"; we never copy
  }
  int explicit_min() const override { return 0; }
  std::string ToString() const override {
    std::string s = "Union(";
    for (size_t i = 0; i < parts_.size(); ++i) s += (i ? ", " : "") + parts_[i]->ToString();
    return s + ")";
  }

 private:
  std::vector<std::shared_ptr<const ReplicationPolicy>> parts_;
};

Result<std::shared_ptr<const ReplicationPolicy>> ParseOne(std::string_view& s, int depth);

Error Invalid(std::string text) { return Error(Errc::kInvalidReplpolicy, std::move(text)); }

Result<std::shared_ptr<const ReplicationPolicy>> ParseUnion(std::string_view& s, int depth) {
  SkipSpace(s);
  if (!s.empty() && s.front() == '(') s.remove_prefix(1);
  std::vector<std::shared_ptr<const ReplicationPolicy>> parts;
  while (true) {
    auto part = ParseOne(s, depth + 1);
    if (!part) return part.error();
    parts.push_back(*part);
    SkipSpace(s);
    if (!s.empty() && s.front() == ',') {
      s.remove_prefix(1);
      SkipSpace(s);
    }
    if (!s.empty() && s.front() == ')') {
      s.remove_prefix(1);
      SkipSpace(s);
      break;
    }
    // Upstream loops forever on a missing ')' after a complete policy; we refuse instead.
    if (s.empty()) return Invalid("Failed to parse policy string: unterminated Union(");
  }
  return std::shared_ptr<const ReplicationPolicy>(std::make_shared<UnionPolicy>(std::move(parts)));
}

Result<std::shared_ptr<const ReplicationPolicy>> ParseOne(std::string_view& s, int depth) {
  if (depth > kMaxUnionDepth) return Invalid("Failed to parse policy string: nested too deep");
  SkipSpace(s);
  size_t n = 0;
  while (n < s.size() && (IsWordChar(s[n]) || s[n] == ':')) ++n;
  if (n == 0) return Invalid("Failed to parse policy string: " + std::string(s));
  std::string name(s.substr(0, n));
  s.remove_prefix(n);
  std::string full = name.find(':') == std::string::npos ? std::string(kPolicyPrefix) + name : name;
  std::string_view short_name = std::string_view(full);
  if (short_name.starts_with(kPolicyPrefix)) short_name.remove_prefix(kPolicyPrefix.size());
  else short_name = {};

  if (short_name == "Union") return ParseUnion(s, depth);
  if (short_name != "MultipleHosts" && short_name != "MultipleDevices") {
    return Invalid("Failed to load replication policy class " + full);
  }
  // `\s*\(\s*(\d*)\s*\)\s*`
  std::string_view rest = s;
  SkipSpace(rest);
  const std::string bad = full + " failed to parse args: " + std::string(s);
  if (rest.empty() || rest.front() != '(') return Invalid(bad);
  rest.remove_prefix(1);
  SkipSpace(rest);
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  int value = 0;
  if (digits > 0) {
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + digits, value);
    if (ec != std::errc()) return Invalid(bad);
  }
  rest.remove_prefix(digits);
  SkipSpace(rest);
  if (rest.empty() || rest.front() != ')') return Invalid(bad);
  rest.remove_prefix(1);
  SkipSpace(rest);
  s = rest;
  if (short_name == "MultipleHosts") {
    return std::shared_ptr<const ReplicationPolicy>(std::make_shared<MultipleHostsPolicy>(value));
  }
  return std::shared_ptr<const ReplicationPolicy>(std::make_shared<MultipleDevicesPolicy>(value));
}

// Devices on which a fid's copy counts: known to the cache and not dead.
std::vector<const Device*> LiveCopies(const ClusterSnapshot& snapshot,
                                      const std::vector<uint32_t>& on_devids) {
  std::vector<const Device*> out;
  std::set<uint32_t> seen;
  for (uint32_t devid : on_devids) {
    const Device* dev = snapshot.FindDevice(devid);
    if (dev && snapshot.HoldsFiles(*dev) && seen.insert(devid).second) out.push_back(dev);
  }
  return out;
}

// The devices the policy reasons about (upstream's all_devs).
std::vector<const Device*> Universe(const ClusterSnapshot& snapshot,
                                    const ReplicationInput& input) {
  std::vector<const Device*> out;
  for (const auto& [devid, dev] : snapshot.devices()) {
    if (!input.all_devids || input.all_devids->count(devid)) out.push_back(&dev);
  }
  return out;
}

size_t DisksThatHoldFiles(const ClusterSnapshot& snapshot,
                          const std::vector<const Device*>& universe) {
  size_t n = 0;
  for (const Device* dev : universe) n += snapshot.HoldsFiles(*dev) ? 1 : 0;
  return n;
}

// Devices not holding the fid, not failed this round, that may receive replicas.
std::vector<uint32_t> Destinations(const ClusterSnapshot& snapshot,
                                   const std::vector<const Device*>& universe,
                                   const ReplicationInput& input, const std::set<uint32_t>& on) {
  std::vector<uint32_t> out;
  for (const Device* dev : universe) {
    const uint32_t devid = dev->row.devid;
    if (on.count(devid) || input.failed.count(devid)) continue;
    if (snapshot.ShouldGetNewFiles(*dev)) out.push_back(devid);
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const ReplicationPolicy>> ParseReplicationPolicy(std::string_view text) {
  std::string_view s = text;
  SkipSpace(s);
  if (s.empty()) {
    return std::shared_ptr<const ReplicationPolicy>(std::make_shared<MultipleHostsPolicy>(0));
  }
  return ParseOne(s, 0);  // trailing text is ignored, as upstream
}

std::string MultipleHostsPolicy::ToString() const {
  return "MultipleHosts(" + (n_ ? std::to_string(n_) : std::string()) + ")";
}

std::string MultipleDevicesPolicy::ToString() const {
  return "MultipleDevices(" + (n_ ? std::to_string(n_) : std::string()) + ")";
}

ReplicationDecision MultipleHostsPolicy::ReplicateTo(const ClusterSnapshot& snapshot,
                                                     const ReplicationInput& input,
                                                     RandomSource& random) const {
  using Kind = ReplicationDecision::Kind;
  ReplicationDecision d;
  const size_t min = static_cast<size_t>(n_ > 0 ? n_ : std::max(input.class_mindevcount, 0));
  const auto copies = LiveCopies(snapshot, input.on_devids);
  const size_t on = copies.size();
  if (min == 1 && on == 1) {
    d.kind = Kind::kAllGood;
    return d;
  }
  std::set<uint32_t> on_devs;
  std::set<uint32_t> on_hosts;
  for (const Device* dev : copies) {
    on_devs.insert(dev->row.devid);
    on_hosts.insert(dev->row.hostid);
  }
  // Hosts that could take a replica at all: those with at least one `alive` device.
  const auto universe = Universe(snapshot, input);
  std::set<uint32_t> all_hosts;
  for (const Device* dev : universe) {
    if (dev->status == DeviceStatus::kAlive) all_hosts.insert(dev->row.hostid);
  }
  const size_t hosts_on = on_hosts.size();
  if (hosts_on > min || on > min) {
    d.kind = Kind::kTooGood;
    return d;
  }
  if (hosts_on == min || (hosts_on >= all_hosts.size() && on >= min) ||
      (on >= 2 && on == DisksThatHoldFiles(snapshot, universe))) {
    d.kind = Kind::kAllGood;
    return d;
  }
  const auto dests = Destinations(snapshot, universe, input, on_devs);
  if (dests.empty()) return d;  // kNoAnswer
  std::vector<uint32_t> ideal;
  std::vector<uint32_t> desperate;
  const bool spread = hosts_on < all_hosts.size();
  for (uint32_t devid : dests) {
    const Device* dev = snapshot.FindDevice(devid);
    if (spread && on_hosts.count(dev->row.hostid)) {
      desperate.push_back(devid);
    } else {
      ideal.push_back(devid);
    }
  }
  if (on >= min && ideal.empty()) return d;
  d.ideal = WeightedByFreeSpace(snapshot, std::move(ideal), random);
  d.desperate = WeightedByFreeSpace(snapshot, std::move(desperate), random);
  if (d.ideal.empty() && d.desperate.empty()) return d;  // only 0 %-free candidates
  d.kind = Kind::kCopy;
  return d;
}

ReplicationDecision MultipleDevicesPolicy::ReplicateTo(const ClusterSnapshot& snapshot,
                                                       const ReplicationInput& input,
                                                       RandomSource& random) const {
  using Kind = ReplicationDecision::Kind;
  ReplicationDecision d;
  const size_t min = static_cast<size_t>(n_ > 0 ? n_ : std::max(input.class_mindevcount, 0));
  const auto copies = LiveCopies(snapshot, input.on_devids);
  const size_t on = copies.size();
  if (on == min) {
    d.kind = Kind::kAllGood;
    return d;
  }
  if (on > min) {
    d.kind = Kind::kTooGood;
    return d;
  }
  const auto universe = Universe(snapshot, input);
  if (on >= 2 && on == DisksThatHoldFiles(snapshot, universe)) {
    d.kind = Kind::kAllGood;
    return d;
  }
  std::set<uint32_t> on_devs;
  for (const Device* dev : copies) on_devs.insert(dev->row.devid);
  d.ideal = WeightedByFreeSpace(snapshot, Destinations(snapshot, universe, input, on_devs), random);
  if (!d.ideal.empty()) d.kind = Kind::kCopy;
  return d;
}

}  // namespace mog::tracker
