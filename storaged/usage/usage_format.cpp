#include "storaged/usage/usage_format.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mog::storage {
namespace {

uint64_t BlocksToKibRoundingUp(uint64_t blocks, uint64_t block_size) {
  // blocks * block_size / 1024 rounded up, split so the product cannot overflow.
  uint64_t whole = blocks / 1024;
  uint64_t rest = blocks % 1024;
  return whole * block_size + (rest * block_size + 1023) / 1024;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string DfCapacity(uint64_t used_blocks, uint64_t available_blocks) {
  uint64_t total = used_blocks + available_blocks;
  bool exact = used_blocks <= UINT64_MAX / 100 && total >= used_blocks;
  if (exact) {
    if (total == 0) return "-";
    uint64_t u100 = used_blocks * 100;
    return std::to_string(u100 / total + (u100 % total != 0 ? 1 : 0)) + "%";
  }
  // Beyond 64-bit arithmetic, as df does: floating point, rounded up.
  double pct = std::ceil(static_cast<double>(used_blocks) * 100.0 /
                         (static_cast<double>(used_blocks) + available_blocks));
  return std::to_string(static_cast<uint64_t>(pct)) + "%";
}

DfFigures DfFromStatvfs(const struct statvfs& fs, std::string filesystem, std::string mount_point) {
  uint64_t block_size = fs.f_frsize ? fs.f_frsize : fs.f_bsize;
  uint64_t used_blocks = fs.f_blocks >= fs.f_bfree ? fs.f_blocks - fs.f_bfree : 0;
  DfFigures df;
  df.filesystem = std::move(filesystem);
  df.mount_point = std::move(mount_point);
  df.size_kib = BlocksToKibRoundingUp(fs.f_blocks, block_size);
  df.used_kib = BlocksToKibRoundingUp(used_blocks, block_size);
  df.available_kib = BlocksToKibRoundingUp(fs.f_bavail, block_size);
  df.capacity = DfCapacity(used_blocks, fs.f_bavail);
  return df;
}

std::string DfDeviceColumn(std::string_view filesystem, uint64_t size_kib) {
  constexpr size_t kFilesystemWidth = 14;  // GNU df's minimum width of that column
  constexpr size_t kSizeWidth = 11;        // strlen("1024-blocks")
  std::string column(filesystem);
  column.resize(std::max(kFilesystemWidth, column.size()), ' ');
  size_t digits = std::to_string(size_kib).size();
  column.append(digits < kSizeWidth ? kSizeWidth - digits : 0, ' ');
  return column;
}

UsageReport MakeUsageReport(const DfFigures& df, std::string_view docroot,
                            std::string_view device_dir, std::time_t now) {
  UsageReport report;
  report.available = df.available_kib;
  report.device = DfDeviceColumn(df.filesystem, df.size_kib);
  std::string with_slash = std::string(device_dir) + "/";
  if (!df.mount_point.empty() &&
      (EndsWith(df.mount_point, device_dir) || EndsWith(df.mount_point, with_slash))) {
    report.disk = df.mount_point;
  } else {
    report.disk = std::string(docroot) + "/" + std::string(device_dir);
  }
  report.time = now;
  report.total = df.used_kib + df.available_kib;
  report.use = df.capacity;
  report.used = df.used_kib;
  return report;
}

std::string FormatUsageFile(const UsageReport& r) {
  std::string text;
  text += "available: " + std::to_string(r.available) + "\n";
  text += "device: " + r.device + "\n";
  text += "disk: " + r.disk + "\n";
  text += "time: " + std::to_string(static_cast<long long>(r.time)) + "\n";
  text += "total: " + std::to_string(r.total) + "\n";
  text += "use: " + r.use + "\n";
  text += "used: " + std::to_string(r.used) + "\n";
  return text;
}

}  // namespace mog::storage
