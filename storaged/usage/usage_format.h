// Pure arithmetic and text of the dev<N>/usage file. Upstream ran `df -P -l -k <dir>` and
// matched its data line with a greedy regex; these functions reproduce what that produced
// from statvfs figures, so the bytes match without running df.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include <sys/statvfs.h>

namespace mog::storage {

// One `df -P -k` data line, in KiB.
struct DfFigures {
  std::string filesystem;  // df "Filesystem" column (mount source, e.g. /dev/vda)
  uint64_t size_kib = 0;
  uint64_t used_kib = 0;
  uint64_t available_kib = 0;
  std::string capacity;  // "18%", "-" when the filesystem has no blocks
  std::string mount_point;
};

// GNU df's figures: size = f_blocks, used = f_blocks - f_bfree, available = f_bavail, each
// rounded up to KiB; capacity = used / (used + available), rounded up to a whole percent.
DfFigures DfFromStatvfs(const struct statvfs& fs, std::string filesystem, std::string mount_point);
std::string DfCapacity(uint64_t used_blocks, uint64_t available_blocks);

// The `device` value upstream stored: df's Filesystem column with the padding GNU df adds
// (column at least 14 wide, then the right-aligned size column at least 11 wide), minus the
// one separator space its regex left out.
std::string DfDeviceColumn(std::string_view filesystem, uint64_t size_kib);

struct UsageReport {
  uint64_t available = 0;  // KiB
  std::string device;
  std::string disk;
  std::time_t time = 0;
  uint64_t total = 0;  // used + available: reserved blocks are not the tracker's to fill
  std::string use;
  uint64_t used = 0;  // KiB
};

// `disk` is the mount point when it ends in dev<N> (with or without a trailing '/'), else
// <docroot>/dev<N>, as upstream decided where the file lives.
UsageReport MakeUsageReport(const DfFigures& df, std::string_view docroot,
                            std::string_view device_dir, std::time_t now);

// "key: value\n" lines with keys in alphabetical order, nothing else.
std::string FormatUsageFile(const UsageReport& report);

}  // namespace mog::storage
