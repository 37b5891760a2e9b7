#include "trackerd/nodes/usage_file.h"

#include <cctype>
#include <charconv>
#include <string>

namespace mog::tracker {

namespace {

bool IsWord(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Leading digits of `value` (upstream uses the value numerically, so "123 KiB" → 123).
std::optional<uint64_t> LeadingNumber(std::string_view value) {
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr == value.data()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<DeviceUsageKib> ParseUsageFile(std::string_view body) {
  std::optional<uint64_t> used;
  std::optional<uint64_t> total;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view{} : body.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t k = 0;
    while (k < line.size() && IsWord(line[k])) ++k;
    if (k == 0) continue;
    std::string_view key = line.substr(0, k);
    std::string_view rest = line.substr(k);
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) {
      rest.remove_prefix(1);
    }
    if (rest.empty() || rest.front() != ':') continue;
    rest.remove_prefix(1);
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) {
      rest.remove_prefix(1);
    }
    if (rest.empty()) continue;
    if (key == "used") used = LeadingNumber(rest);
    if (key == "total") total = LeadingNumber(rest);
  }
  if (!used || !total || *used == 0 || *total == 0) return std::nullopt;
  return DeviceUsageKib{*used, *total};
}

}  // namespace mog::tracker
