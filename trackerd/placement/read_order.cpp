#include "trackerd/placement/read_order.h"

#include <charconv>

namespace mog::tracker {

namespace {

std::optional<int64_t> WholeNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.front() == '-') {
    return std::nullopt;
  }
  return v;
}

}  // namespace

double ReadWeight(const Device& dev) {
  double weight = 0;
  std::optional<int64_t> util;
  if (dev.utilization) util = WholeNumber(*dev.utilization);
  if (util) {
    weight = static_cast<double>(102 - *util);
  } else {
    weight = static_cast<double>(dev.row.weight.value_or(0));
  }
  if (weight == 0) weight = 100;
  return weight;
}

ReadPlan PlanReadPaths(const ClusterSnapshot& snapshot, const std::vector<uint32_t>& devids,
                       RandomSource& random) {
  ReadPlan plan;
  std::vector<std::pair<uint32_t, double>> weighted;
  for (uint32_t devid : devids) {
    const Device* dev = snapshot.FindDevice(devid);
    if (!dev) {
      plan.unknown.push_back(devid);
      continue;
    }
    weighted.emplace_back(devid, ReadWeight(*dev));
  }
  for (uint32_t devid : WeightedList(std::move(weighted), random)) {
    const Device* dev = snapshot.FindDevice(devid);
    if (!snapshot.FindHost(dev->row.hostid)) continue;
    if (!snapshot.IsReadable(*dev)) {
      plan.backup = devid;
      continue;
    }
    plan.candidates.push_back({devid, dev->status == DeviceStatus::kDrain});
  }
  return plan;
}

}  // namespace mog::tracker
