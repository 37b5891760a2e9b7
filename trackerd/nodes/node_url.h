// Storage-node URLs as the tracker builds and re-parses them: "http://<ip>:<port><path>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mog::tracker {

struct NodeUrl {
  std::string host;    // IP (or name) exactly as in the URL
  uint16_t port = 80;
  std::string target;  // path (+ query) sent on the request line, always starting with '/'
  std::string HostHeader() const { return host + ":" + std::to_string(port); }
};

// Strict "http://host[:port]/path"; nullopt for anything else (https, userinfo, no path).
std::optional<NodeUrl> ParseNodeUrl(std::string_view url);

// "http://10.0.0.1:7500" + "/dev1/usage".
std::string MakeNodeUrl(std::string_view host, uint16_t port, std::string_view path);

// The directories to MKCOL before putting `file_url`: every directory below the /devN/ one,
// with trailing '/', e.g. ".../dev2/0/000/148/0000148056.fid" → ".../dev2/0/", ".../dev2/0/000/",
// ".../dev2/0/000/148/". Empty when the URL has no /devN/ component or no directories.
std::vector<std::string> MkcolDirUrls(std::string_view file_url);

// "host:port/devN" — the device identity MKCOL support is remembered under; nullopt if the
// URL's path does not start with /devN/.
std::optional<std::string> DeviceKeyOfUrl(std::string_view url);

}  // namespace mog::tracker
