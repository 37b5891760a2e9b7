#include "trackerd/nodes/node_url.h"

#include <boost/url/parse.hpp>

#include "common/fid/fid_path.h"

namespace mog::tracker {

std::optional<NodeUrl> ParseNodeUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return std::nullopt;
  const auto& u = *parsed;
  if (u.scheme() != "http" || u.has_userinfo() || u.encoded_host().empty()) return std::nullopt;
  NodeUrl out;
  out.host = std::string(u.encoded_host());
  if (u.has_port()) {
    // port_number() silently wraps values above 65535; check the text ourselves.
    std::string_view text = u.port();
    if (text.empty() || text.size() > 5) return std::nullopt;
    unsigned value = 0;
    for (char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
    if (value == 0 || value > 65535) return std::nullopt;
    out.port = static_cast<uint16_t>(value);
  }
  std::string_view path = u.encoded_path();
  if (path.empty() || path.front() != '/') return std::nullopt;
  out.target = std::string(path);
  if (u.has_query()) out.target += "?" + std::string(u.encoded_query());
  return out;
}

std::string MakeNodeUrl(std::string_view host, uint16_t port, std::string_view path) {
  std::string url = "http://";
  url.append(host).append(":").append(std::to_string(port));
  if (path.empty() || path.front() != '/') url.push_back('/');
  url.append(path);
  return url;
}

namespace {

// Position just past "/devN/" in `url` (the scheme://authority part is skipped), or npos.
size_t PastDeviceComponent(std::string_view url, std::string_view* path_out) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string_view::npos;
  size_t path_start = url.find('/', scheme + 3);
  if (path_start == std::string_view::npos) return std::string_view::npos;
  std::string_view path = url.substr(path_start);
  if (!path.starts_with("/dev") || !ParseDevid(path)) return std::string_view::npos;
  size_t second_slash = path.find('/', 1);
  if (second_slash == std::string_view::npos) return std::string_view::npos;
  if (path_out) *path_out = path;
  return path_start + second_slash + 1;
}

}  // namespace

std::vector<std::string> MkcolDirUrls(std::string_view file_url) {
  std::vector<std::string> out;
  size_t pos = PastDeviceComponent(file_url, nullptr);
  if (pos == std::string_view::npos) return out;
  for (size_t slash = file_url.find('/', pos); slash != std::string_view::npos;
       slash = file_url.find('/', slash + 1)) {
    out.emplace_back(file_url.substr(0, slash + 1));
  }
  return out;
}

std::optional<std::string> DeviceKeyOfUrl(std::string_view url) {
  size_t pos = PastDeviceComponent(url, nullptr);
  if (pos == std::string_view::npos) return std::nullopt;
  size_t scheme = url.find("://");
  return std::string(url.substr(scheme + 3, pos - 1 - (scheme + 3)));
}

}  // namespace mog::tracker
