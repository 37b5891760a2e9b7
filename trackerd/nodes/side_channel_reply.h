// Pure parsers for mogstored's management side channel (port 7501) replies the tracker reads:
// digest answers ("<path> MD5=<hex>\r\n") and `watch` utilization blocks ("<devid>\t<util>\n"
// ... ".\n"). Kept apart from the sockets so every shape is unit-tested.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "trackerd/nodes/node_client.h"

namespace mog::tracker {

// The request line for a digest: "MD5 /dev1/x.fid fsck\r\n" (reason omitted when empty).
std::string DigestRequestLine(DigestAlg alg, std::string_view path, std::string_view reason);

enum class DigestLineKind {
  kDigest,       // hex filled (lower-case, 32 for MD5 / 40 for SHA-1)
  kMissing,      // "<path> <ALG>=-1"
  kUnsupported,  // "ERROR ..." / "ERR ..." / anything not matching: fall back to HTTP
};
struct DigestLine {
  DigestLineKind kind = DigestLineKind::kUnsupported;
  std::string hex;
};
// `line` without its "\r\n". Upstream requires lower-case hex; upper-case is not accepted.
DigestLine ParseDigestLine(std::string_view line, DigestAlg alg, std::string_view path);

// Accumulates `watch` output. Feed() takes raw bytes; each complete block (terminated by a
// ".\n" line) replaces the latest snapshot. util is kept as the raw text ("52", "12.34", "-").
class WatchParser {
 public:
  // Returns true when at least one block completed during this call.
  bool Feed(std::string_view bytes);
  const std::map<uint32_t, std::string>& latest() const { return latest_; }
  // Protects against a peer that never sends a newline.
  static constexpr size_t kMaxPending = 64 * 1024;
  bool overflowed() const { return overflowed_; }

 private:
  std::string pending_;
  std::map<uint32_t, std::string> building_;
  std::map<uint32_t, std::string> latest_;
  bool overflowed_ = false;
};

}  // namespace mog::tracker
