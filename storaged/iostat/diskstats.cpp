#include "storaged/iostat/diskstats.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include <sys/sysmacros.h>

namespace mog::storage {
namespace {

// Splits on runs of spaces/tabs.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::optional<uint64_t> ToNumber(std::string_view s) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

DiskstatsSnapshot ParseDiskstats(std::string_view text) {
  // Columns: major minor name, then 11 (old kernels) to 20 counters; io_ticks is the 10th
  // counter (13th column) in every layout.
  constexpr size_t kIoTicksColumn = 12;
  DiskstatsSnapshot snapshot;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    std::vector<std::string_view> f = Fields(line);
    if (f.size() <= kIoTicksColumn) continue;
    auto major_number = ToNumber(f[0]);
    auto minor_number = ToNumber(f[1]);
    auto io_ticks = ToNumber(f[kIoTicksColumn]);
    if (!major_number || !minor_number || !io_ticks) continue;
    dev_t device =
        makedev(static_cast<unsigned>(*major_number), static_cast<unsigned>(*minor_number));
    snapshot[device] = DiskCounters{std::string(f[2]), *io_ticks};
  }
  return snapshot;
}

std::optional<std::string> UtilPercent(const DiskstatsSnapshot& before,
                                       const DiskstatsSnapshot& after, dev_t device,
                                       double elapsed_ms) {
  auto b = before.find(device);
  auto a = after.find(device);
  if (b == before.end() || a == after.end() || elapsed_ms <= 0) return std::nullopt;
  if (a->second.io_ticks_ms < b->second.io_ticks_ms) return std::nullopt;
  double busy = static_cast<double>(a->second.io_ticks_ms - b->second.io_ticks_ms);
  double util = std::min(100.0, busy * 100.0 / elapsed_ms);
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", util);
  return std::string(text);
}

std::string FormatWatchBlock(const std::vector<std::pair<uint64_t, std::string>>& utils) {
  std::vector<std::pair<uint64_t, std::string>> sorted = utils;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string block;
  for (const auto& [devid, util] : sorted) {
    block += std::to_string(devid);
    block += '\t';
    block += util.empty() ? std::string("-") : util;
    block += '\n';
  }
  block += ".\n";
  return block;
}

}  // namespace mog::storage
