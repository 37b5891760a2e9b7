#include "storaged/web/web_target.h"

#include "common/protocol/url_codec.h"

namespace mog::storage::web {
namespace {

bool HasControlByte(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool HasDotSegment(std::string_view path) {
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(pos, end - pos);
    if (part == "." || part == "..") return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

std::optional<std::string> StrictPercentDecode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    if (i + 2 >= raw.size()) return std::nullopt;
    const int hi = HexDigitValue(raw[i + 1]);
    const int lo = HexDigitValue(raw[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::variant<WebTarget, TargetError> ParseWebTarget(std::string_view raw) {
  if (raw.size() > kMaxTargetBytes) return TargetError{"target too long"};
  if (raw.empty() || raw.front() != '/') return TargetError{"not an origin-form target"};
  WebTarget target;
  std::string_view raw_path = raw;
  if (const size_t q = raw.find('?'); q != std::string_view::npos) {
    raw_path = raw.substr(0, q);
    target.query = std::string(raw.substr(q + 1));
  }
  if (raw_path.find('#') != std::string_view::npos) return TargetError{"fragment in target"};
  auto decoded = StrictPercentDecode(raw_path);
  if (!decoded) return TargetError{"malformed percent escape"};
  if (HasControlByte(*decoded)) return TargetError{"control byte in target"};
  if (HasDotSegment(*decoded)) return TargetError{"dot segment in target"};
  const std::string_view path = *decoded;
  const size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos) return TargetError{"no key"};
  target.domain = std::string(path.substr(1, slash - 1));
  target.key = std::string(path.substr(slash + 1));
  if (target.domain.empty()) return TargetError{"empty domain"};
  if (target.key.empty()) return TargetError{"empty key"};
  if (target.domain.size() > kMaxDomainBytes || target.key.size() > kMaxKeyBytes) {
    return TargetError{"domain or key too long"};
  }
  target.path = std::move(*decoded);
  return target;
}

std::optional<std::string> QueryParam(std::string_view query, std::string_view name) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(pos, end - pos);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      for (char& c : value) {
        if (c == '+') c = ' ';
      }
      return StrictPercentDecode(value);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<NodeUrl> ParseNodeUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  const size_t slash = url.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  NodeUrl out;
  const std::string_view authority = url.substr(0, slash);
  out.path = std::string(url.substr(slash));
  const size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    out.host = std::string(authority);
  } else {
    out.host = std::string(authority.substr(0, colon));
    unsigned port = 0;
    const std::string_view digits = authority.substr(colon + 1);
    if (digits.empty() || digits.size() > 5) return std::nullopt;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      port = port * 10 + static_cast<unsigned>(c - '0');
    }
    if (port == 0 || port > 65535) return std::nullopt;
    out.port = static_cast<uint16_t>(port);
  }
  if (out.host.empty()) return std::nullopt;
  out.hostport = out.host + ":" + std::to_string(out.port);
  return out;
}

}  // namespace mog::storage::web
