// The web listener's settings (mogstored.conf keys weblisten, trackers, web_*), parsed from the
// storage node's option table. Off unless `weblisten` is set.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/endpoint.h"

namespace mog::storage::web {

struct WebConfig {
  bool enabled = false;
  Endpoint listen;
  std::vector<std::string> trackers;        // "host:port", tried in order with failover
  std::string secret;                       // web_secret: anti-leech links ("" = none)
  std::vector<std::string> secure_domains;  // empty with a secret: every domain
  std::string upload_token;                 // web_upload_token: PUT/DELETE ("" = writes off)
  std::string cache_control = "public, max-age=300";
  std::map<std::string, std::string, std::less<>> domain_cache_control;
  std::vector<std::string> inline_types;
  std::chrono::milliseconds path_cache_ttl{5000};
  size_t path_cache_size = 10000;

  bool DomainSecured(std::string_view domain) const;
  const std::string& CacheControlFor(std::string_view domain) const;
};

// "a, b ,c" -> {"a","b","c"} (empty items dropped).
std::vector<std::string> SplitList(std::string_view text);
// "photos: public, max-age=86400 | private: private, no-cache" -> {photos: ..., private: ...};
// throws ConfigError on an item without ':'.
std::map<std::string, std::string, std::less<>> ParseDomainCacheControl(std::string_view text);

}  // namespace mog::storage::web
