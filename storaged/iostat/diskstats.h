// Pure helpers behind IostatMonitor: /proc/diskstats parsing, %util arithmetic and the
// `watch` block format. No I/O here, so they are unit-tested from literal text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace mog::storage {

struct DiskCounters {
  std::string name;          // "vda", "sda1"
  uint64_t io_ticks_ms = 0;  // field 13 of /proc/diskstats: time spent doing I/O
};

// Keyed by makedev(major, minor), the st_dev of files on that device.
using DiskstatsSnapshot = std::map<dev_t, DiskCounters>;

// Malformed lines are skipped; never throws.
DiskstatsSnapshot ParseDiskstats(std::string_view text);

// iostat's %util: share of the elapsed wall time the device was busy, two decimals, capped at
// 100.00. nullopt when the device is absent from either sample, elapsed is zero, or the
// counter went backwards (device replaced).
std::optional<std::string> UtilPercent(const DiskstatsSnapshot& before,
                                       const DiskstatsSnapshot& after, dev_t device,
                                       double elapsed_ms);

// "<devid>\t<util>\n" per device (sorted by devid; util "-" when unknown), then ".\n".
std::string FormatWatchBlock(const std::vector<std::pair<uint64_t, std::string>>& utils);

}  // namespace mog::storage
