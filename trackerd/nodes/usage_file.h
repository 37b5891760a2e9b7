// The `devN/usage` file mogstored rewrites every ~10 s (storage-and-tools.md §3.7), as the
// Monitor reads it: lines matching `^(\w+)\s*:\s*(.+)$`; `used` and `total` in KiB.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mog::tracker {

struct DeviceUsageKib {
  uint64_t used_kib = 0;
  uint64_t total_kib = 0;
  uint64_t used_mb() const { return used_kib / 1024; }    // int(used/1024), as upstream
  uint64_t total_mb() const { return total_kib / 1024; }
};

// nullopt unless both `used` and `total` are present, numeric and non-zero (upstream leaves the
// device unchanged this round then).
std::optional<DeviceUsageKib> ParseUsageFile(std::string_view body);

}  // namespace mog::tracker
