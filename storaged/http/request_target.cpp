#include "storaged/http/request_target.h"

#include <vector>

#include "common/protocol/url_codec.h"

namespace mog::storage::http {
namespace {

// Perl's \w on bytes, plus '-' and '.': the characters upstream allows in PUT/DELETE names.
bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// Splits "/a/b/c" into {"a","b","c"}; false if the target is not a sequence of "/" + one or
// more name characters (so no empty component, no trailing '/').
bool SplitStrictComponents(std::string_view raw, std::vector<std::string_view>* out) {
  if (raw.empty() || raw.front() != '/') return false;
  size_t pos = 1;
  while (true) {
    size_t end = raw.find('/', pos);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view part = raw.substr(pos, end - pos);
    if (part.empty()) return false;
    for (char c : part) {
      if (!IsNameChar(c)) return false;
    }
    out->push_back(part);
    if (end == raw.size()) return true;
    pos = end + 1;
  }
}

bool HasDotComponent(std::string_view path) {
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(pos, end - pos);
    if (part == "." || part == "..") return true;
    pos = end + 1;
  }
  return false;
}

Refusal InvalidFilename() { return {400, "Invalid filename"}; }

}  // namespace

std::string PercentDecode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      int hi = HexDigitValue(raw[i + 1]);
      int lo = HexDigitValue(raw[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += raw[i];
  }
  return out;
}

std::variant<GetTarget, Refusal> ParseGetTarget(std::string_view raw) {
  const Refusal bogus{403, "Bogus URL"};
  std::string decoded = PercentDecode(raw);
  if (decoded.empty() || decoded.front() != '/' || decoded.find("/../") != std::string::npos) {
    return bogus;
  }
  if (decoded.find("??") != std::string::npos) {
    return Refusal{403, "Multiple file serving isn't enabled"};
  }
  if (auto q = decoded.find('?'); q != std::string::npos) decoded.resize(q);
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos ||
      HasDotComponent(decoded)) {
    return bogus;
  }
  GetTarget target;
  target.docroot_itself = decoded.find_first_not_of('/') == std::string::npos;
  target.path = std::move(decoded);
  return target;
}

std::variant<std::string, Refusal> ParsePutTarget(std::string_view raw) {
  if (raw.find("..") != std::string_view::npos) return InvalidFilename();
  std::vector<std::string_view> parts;
  if (!SplitStrictComponents(raw, &parts)) return InvalidFilename();
  if (parts.size() < 2) return Refusal{400, "Does not meet minimum directory requirement"};
  if (HasDotComponent(raw)) return InvalidFilename();
  return std::string(raw);
}

std::variant<std::string, Refusal> ParseDeleteTarget(std::string_view raw) {
  if (raw.find("..") != std::string_view::npos) return InvalidFilename();
  std::vector<std::string_view> parts;
  if (!SplitStrictComponents(raw, &parts) || HasDotComponent(raw)) return InvalidFilename();
  return std::string(raw);
}

}  // namespace mog::storage::http
