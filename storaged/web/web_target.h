// The request-target of the web listener, as pure functions: "/<domain>/<key>[?query]". The
// domain is the first path segment, the key everything after it (it may contain '/', spaces,
// UTF-8), both percent-decoded strictly: a '%' not followed by two hex digits, a NUL or other
// control byte, a "." or ".." segment, an absolute-form target or an overlong one is refused
// (400) before anything else is asked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mog::storage::web {

inline constexpr size_t kMaxTargetBytes = 8192;
inline constexpr size_t kMaxDomainBytes = 255;
inline constexpr size_t kMaxKeyBytes = 1024;

struct WebTarget {
  std::string domain;
  std::string key;
  std::string path;   // the decoded path, "/<domain>/<key>": nginx's $uri for secure_link
  std::string query;  // raw, after the first '?', "" if none
};

struct TargetError {
  std::string reason;  // for the log only; clients get a bare 400
};

std::variant<WebTarget, TargetError> ParseWebTarget(std::string_view raw);

// %XX (either case) -> byte; nullopt on a malformed escape. '+' stays '+'.
std::optional<std::string> StrictPercentDecode(std::string_view raw);

// The first value of `name` in an application/x-www-form-urlencoded query ('+' is a space
// there), decoded; nullopt if absent or malformed.
std::optional<std::string> QueryParam(std::string_view query, std::string_view name);

// A storage node's path URL from get_paths / create_open: "http://host[:port]/path".
struct NodeUrl {
  std::string host;
  uint16_t port = 80;
  std::string hostport;  // "host:port"
  std::string path;      // "/dev1/0/000/000/0000000042.fid"
};
std::optional<NodeUrl> ParseNodeUrl(std::string_view url);

}  // namespace mog::storage::web
