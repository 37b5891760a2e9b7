#include "common/fid/fid_path.h"

#include <charconv>

namespace mog {
namespace {

std::string PaddedFid(uint64_t fid) {
  std::string digits = std::to_string(fid);
  if (digits.size() < 10) digits.insert(0, 10 - digits.size(), '0');
  return digits;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<uint64_t> ParseU64(std::string_view s) {
  if (!AllDigits(s)) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string FormatFidDirs(uint64_t fid) {
  const std::string p = PaddedFid(fid);
  std::string out;
  out.reserve(12);
  out.append("/").append(p, 0, 1).append("/").append(p, 1, 3).append("/").append(p, 4, 3);
  return out;
}

std::string FormatFidPath(uint64_t devid, uint64_t fid) {
  return "/dev" + std::to_string(devid) + FormatFidDirs(fid) + "/" + PaddedFid(fid) + ".fid";
}

std::optional<FidPath> ParseFidPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/dev";
  constexpr std::string_view kSuffix = ".fid";
  if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) return std::nullopt;
  const size_t dev_end = path.find('/', kPrefix.size());
  if (dev_end == std::string_view::npos) return std::nullopt;
  const std::string_view devid_text = path.substr(kPrefix.size(), dev_end - kPrefix.size());
  // No leading zeros in the devid: "dev01" is not a device directory.
  if (devid_text.size() > 1 && devid_text[0] == '0') return std::nullopt;
  auto devid = ParseU64(devid_text);
  const size_t name_start = path.rfind('/') + 1;
  auto fid = ParseU64(path.substr(name_start, path.size() - kSuffix.size() - name_start));
  if (!devid || !fid) return std::nullopt;
  // Round trip: rejects wrong directories, missing padding and leading zeros beyond padding.
  if (FormatFidPath(*devid, *fid) != path) return std::nullopt;
  return FidPath{*devid, *fid};
}

std::optional<uint64_t> ParseDevid(std::string_view path) {
  const size_t pos = path.find("/dev");
  if (pos == std::string_view::npos) return std::nullopt;
  size_t end = pos + 4;
  while (end < path.size() && path[end] >= '0' && path[end] <= '9') ++end;
  if (end < path.size() && path[end] != '/') return std::nullopt;
  return ParseU64(path.substr(pos + 4, end - pos - 4));
}

}  // namespace mog
