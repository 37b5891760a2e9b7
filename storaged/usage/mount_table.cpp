#include "storaged/usage/mount_table.h"

#include <charconv>

#include <sys/sysmacros.h>

namespace mog::storage {
namespace {

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && IsOctal(s[i + 1]) && IsOctal(s[i + 2]) &&
        IsOctal(s[i + 3])) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<dev_t> ParseMajorMinor(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  unsigned major_number = 0;
  unsigned minor_number = 0;
  auto r1 = std::from_chars(s.data(), s.data() + colon, major_number);
  auto r2 = std::from_chars(s.data() + colon + 1, s.data() + s.size(), minor_number);
  if (r1.ec != std::errc() || r1.ptr != s.data() + colon || r2.ec != std::errc() ||
      r2.ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return makedev(major_number, minor_number);
}

// "/a" is a path prefix of "/a" and "/a/b", not of "/ab"; "/" of everything absolute.
bool IsPathPrefix(std::string_view prefix, std::string_view path) {
  if (prefix == "/") return !path.empty() && path[0] == '/';
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

}  // namespace

std::vector<MountEntry> ParseMountInfo(std::string_view text) {
  // id parent major:minor root mount_point options [optional fields...] - fstype source super
  std::vector<MountEntry> mounts;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    std::vector<std::string_view> f = SplitSpaces(line);
    if (f.size() < 7) continue;
    size_t dash = 6;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (dash + 2 >= f.size()) continue;
    auto device = ParseMajorMinor(f[2]);
    if (!device) continue;
    mounts.push_back(
        MountEntry{*device, Unescape(f[4]), Unescape(f[dash + 1]), Unescape(f[dash + 2])});
  }
  return mounts;
}

std::optional<MountEntry> FindMount(const std::vector<MountEntry>& mounts, dev_t device,
                                    std::string_view path) {
  auto longest_prefix = [&](bool same_device) -> const MountEntry* {
    const MountEntry* best = nullptr;
    for (const MountEntry& m : mounts) {
      if ((same_device && m.device != device) || !IsPathPrefix(m.mount_point, path)) continue;
      if (!best || m.mount_point.size() >= best->mount_point.size()) best = &m;
    }
    return best;
  };
  const MountEntry* best = longest_prefix(true);
  // btrfs subvolumes below a mount report an st_dev of their own that no mount carries;
  // df then names the enclosing mount, so do the same.
  if (!best) best = longest_prefix(false);
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace mog::storage
