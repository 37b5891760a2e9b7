#include "storaged/web/web_config.h"

#include <algorithm>

#include "common/config/config_file.h"

namespace mog::storage::web {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(sep, pos);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(Trim(text.substr(pos, end - pos)));
    pos = end + 1;
  }
  return out;
}

}  // namespace

bool WebConfig::DomainSecured(std::string_view domain) const {
  if (secret.empty()) return false;
  if (secure_domains.empty()) return true;
  return std::find(secure_domains.begin(), secure_domains.end(), domain) != secure_domains.end();
}

const std::string& WebConfig::CacheControlFor(std::string_view domain) const {
  auto it = domain_cache_control.find(domain);
  return it == domain_cache_control.end() ? cache_control : it->second;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view item : Split(text, ',')) {
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

std::map<std::string, std::string, std::less<>> ParseDomainCacheControl(std::string_view text) {
  std::map<std::string, std::string, std::less<>> out;
  if (Trim(text).empty()) return out;
  for (std::string_view item : Split(text, '|')) {
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string_view::npos || Trim(item.substr(0, colon)).empty()) {
      throw ConfigError("web_domain_cache_control: '" + std::string(item) +
                        "' is not <domain>: <Cache-Control value>");
    }
    out[std::string(Trim(item.substr(0, colon)))] = std::string(Trim(item.substr(colon + 1)));
  }
  return out;
}

}  // namespace mog::storage::web
