#include "storaged/http/byte_range.h"

#include <charconv>
#include <optional>

namespace mog::storage::http {
namespace {

// Digits only (possibly empty = absent); nullopt also on overflow, which we treat as garbage.
bool ParseDigits(std::string_view s, std::optional<uint64_t>* out) {
  if (s.empty()) {
    out->reset();
    return true;
  }
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return false;
  *out = v;
  return true;
}

}  // namespace

RangeDecision DecideRange(std::string_view header, uint64_t size) {
  constexpr std::string_view kPrefix = "bytes=";
  if (!header.starts_with(kPrefix)) return {};
  std::string_view spec = header.substr(kPrefix.size());
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  std::optional<uint64_t> start, end;
  if (!ParseDigits(spec.substr(0, dash), &start) || !ParseDigits(spec.substr(dash + 1), &end)) {
    return {};  // "bytes=1-2,5-6", "bytes=a-b": not a single range -> whole file
  }
  if (!start && !end) return {};
  if (!start) {
    // Suffix range: the last *end bytes.
    if (*end == 0 || size == 0) return {RangeDecision::kUnsatisfiable};
    uint64_t length = *end < size ? *end : size;
    return {RangeDecision::kPartial, size - length, size - 1};
  }
  if (end && *start > *end) return {RangeDecision::kUnsatisfiable};
  if (*start >= size) return {RangeDecision::kUnsatisfiable};
  uint64_t last = (end && *end < size) ? *end : size - 1;
  return {RangeDecision::kPartial, *start, last};
}

}  // namespace mog::storage::http
