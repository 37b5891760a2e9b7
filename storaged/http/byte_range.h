// The Range header as mogstored serves it: one "bytes=A-B", "bytes=A-" or "bytes=-B"; anything
// else (several ranges, other units, garbage) is ignored and the whole file is sent.
//
// Deliberate difference from upstream: Perlbal treats "bytes=-B" as "bytes=0-B"; we give it
// its RFC 7233 meaning, the last B bytes (clients asking for a suffix want the tail).
#pragma once

#include <cstdint>
#include <string_view>

namespace mog::storage::http {

struct RangeDecision {
  enum Kind { kFull, kPartial, kUnsatisfiable };
  Kind kind = kFull;
  uint64_t first = 0;  // kPartial: inclusive byte positions
  uint64_t last = 0;
  bool operator==(const RangeDecision&) const = default;
};

RangeDecision DecideRange(std::string_view header, uint64_t size);

}  // namespace mog::storage::http
