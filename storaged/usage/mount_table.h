// /proc/self/mountinfo parsing: which mount a directory lives on, to fill the usage file's
// `device` (df's Filesystem column = mount source) and `disk` (mount point) fields.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace mog::storage {

struct MountEntry {
  dev_t device = 0;  // st_dev of files on this mount
  std::string mount_point;
  std::string fstype;
  std::string source;  // "/dev/vda", "tmpfs", "overlay"
};

// Skips malformed lines; decodes the kernel's octal escapes (\040 for space, ...).
std::vector<MountEntry> ParseMountInfo(std::string_view text);

// The mount `path` (an absolute, symlink-free path whose st_dev is `device`) is on: among
// entries with that device whose mount point is a path prefix of `path`, the longest (and
// the latest one listed when equal, as it shadows the others). If no mount has that device
// (btrfs subvolumes), the longest prefix of any device. nullopt if none.
std::optional<MountEntry> FindMount(const std::vector<MountEntry>& mounts, dev_t device,
                                    std::string_view path);

}  // namespace mog::storage
