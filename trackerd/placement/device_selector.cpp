#include "trackerd/placement/device_selector.h"

#include <algorithm>
#include <set>

namespace mog::tracker {

namespace {

double PercentFreeOrZero(const ClusterSnapshot& snapshot, uint32_t devid) {
  const Device* dev = snapshot.FindDevice(devid);
  if (!dev) return 0;
  return dev->PercentFree().value_or(0.0);
}

}  // namespace

std::vector<uint32_t> WeightedByFreeSpace(const ClusterSnapshot& snapshot,
                                          std::vector<uint32_t> devids, RandomSource& random) {
  // Stable sort on devid order first so equal percentages do not depend on input order.
  std::sort(devids.begin(), devids.end());
  std::stable_sort(devids.begin(), devids.end(), [&](uint32_t a, uint32_t b) {
    return PercentFreeOrZero(snapshot, a) > PercentFreeOrZero(snapshot, b);
  });
  if (devids.size() > kPlacementTopN) devids.resize(kPlacementTopN);
  std::vector<std::pair<uint32_t, double>> weighted;
  weighted.reserve(devids.size());
  for (uint32_t devid : devids) {
    weighted.emplace_back(devid, 100.0 * PercentFreeOrZero(snapshot, devid));
  }
  return WeightedList(std::move(weighted), random);
}

std::vector<uint32_t> SelectCreateDevices(const ClusterSnapshot& snapshot,
                                          const CreateDestRequest& request,
                                          RandomSource& random) {
  std::vector<const Device*> pool;
  for (const auto& [devid, dev] : snapshot.devices()) pool.push_back(&dev);

  if (request.size) {
    std::vector<const Device*> fits;
    std::vector<const Device*> unknown;
    for (const Device* dev : pool) {
      auto free_mb = dev->MbFree();
      if (!free_mb) {
        unknown.push_back(dev);
      } else if (*free_mb > 0 &&
                 static_cast<long double>(*free_mb) * 1048576.0L >
                     static_cast<long double>(*request.size)) {
        fits.push_back(dev);
      }
    }
    pool = fits.empty() ? unknown : fits;
  }

  std::vector<uint32_t> candidates;
  for (const Device* dev : pool) {
    if (snapshot.ShouldGetNewFiles(*dev)) candidates.push_back(dev->row.devid);
  }
  std::vector<uint32_t> ordered = WeightedByFreeSpace(snapshot, std::move(candidates), random);

  const size_t want = request.multi_dest ? kMaxMultiDest : 1;
  std::vector<uint32_t> chosen;
  std::set<uint32_t> used_hosts;
  for (uint32_t devid : ordered) {
    if (chosen.size() >= want) break;
    const Device* dev = snapshot.FindDevice(devid);
    if (!used_hosts.insert(dev->row.hostid).second) continue;
    chosen.push_back(devid);
  }
  return chosen;
}

}  // namespace mog::tracker
