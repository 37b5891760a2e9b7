#include "storaged/http/header_block.h"

#include <charconv>

namespace mog::storage::http {

size_t FindHeaderEnd(std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

bool HasBareLineFeed(std::string_view block) {
  for (size_t i = 0; i < block.size(); ++i) {
    if (block[i] == '\n' && (i == 0 || block[i - 1] != '\r')) return true;
  }
  return false;
}

std::string NormalizeLineEnds(std::string_view block) {
  std::string out;
  out.reserve(block.size() + 16);
  for (size_t i = 0; i < block.size(); ++i) {
    if (block[i] == '\n' && (i == 0 || block[i - 1] != '\r')) out += '\r';
    out += block[i];
  }
  return out;
}

std::optional<long long> NegativeContentLength(std::string_view block) {
  constexpr std::string_view kName = "content-length:";
  size_t pos = 0;
  while (pos < block.size()) {
    size_t end = block.find('\n', pos);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = block.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() <= kName.size()) continue;
    bool match = true;
    for (size_t i = 0; i < kName.size() && match; ++i) {
      char c = line[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      match = c == kName[i];
    }
    if (!match) continue;
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    if (value.empty() || value.front() != '-') continue;
    long long n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc() && ptr != value.data() && n < 0) return n;
  }
  return std::nullopt;
}

}  // namespace mog::storage::http
