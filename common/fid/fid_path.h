// fid <-> storage path codec, as upstream's DevFID::uri_path and Mogstored::FIDStatter:
// the fid is zero-padded to 10 digits (longer fids are used whole), and the first ten digits
// choose the directories: /dev<devid>/<d1>/<d2-4>/<d5-7>/<padded>.fid
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mog {

struct FidPath {
  uint64_t devid = 0;
  uint64_t fid = 0;
  bool operator==(const FidPath&) const = default;
};

// "/dev7/0/001/234/0001234567.fid"
std::string FormatFidPath(uint64_t devid, uint64_t fid);
// "0001234567.fid"'s directory part without the device: "/0/001/234"
std::string FormatFidDirs(uint64_t fid);

// Strict parse of a path made by FormatFidPath; anything else (extra slashes, wrong
// directories for the fid, signs, overflow) is rejected.
std::optional<FidPath> ParseFidPath(std::string_view path);

// The devid named by the first "/dev<N>/" component of a path, as the tracker re-parses URLs.
std::optional<uint64_t> ParseDevid(std::string_view path);

}  // namespace mog
