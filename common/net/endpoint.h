// "ip:port" listen/connect addresses as written in MogileFS configs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mog {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
  std::string ToString() const { return host + ":" + std::to_string(port); }
};

// "1.2.3.4:7500" -> {1.2.3.4, 7500}; "7500" -> {default_host, 7500}; "1.2.3.4" ->
// {1.2.3.4, default_port}. nullopt on a bad port.
std::optional<Endpoint> ParseEndpoint(std::string_view text, std::string_view default_host,
                                      uint16_t default_port);

}  // namespace mog
