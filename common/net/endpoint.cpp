#include "common/net/endpoint.h"

#include <charconv>

namespace mog {
namespace {

std::optional<uint16_t> ParsePort(std::string_view s) {
  if (s.empty()) return std::nullopt;
  unsigned v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}

}  // namespace

std::optional<Endpoint> ParseEndpoint(std::string_view text, std::string_view default_host,
                                      uint16_t default_port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    if (auto port = ParsePort(text)) return Endpoint{std::string(default_host), *port};
    if (text.empty()) return std::nullopt;
    return Endpoint{std::string(text), default_port};
  }
  auto port = ParsePort(text.substr(colon + 1));
  if (!port) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  return Endpoint{host.empty() ? std::string(default_host) : std::string(host), *port};
}

}  // namespace mog
