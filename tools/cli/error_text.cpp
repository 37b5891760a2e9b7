#include "tools/cli/error_text.h"

namespace mog::cli {
namespace {

std::string Q(const std::string& s) { return "'" + s + "'"; }

// Upstream's writable server settings (MogileFS::Config::server_setting_is_writable, as
// trackerd/query/server_setting_rules.cpp): fixed names and three prefixes.
constexpr const char* kWritableSettings =
    "case_sensitive_list_keys, fsck_checksum, internal_queue_limit, memcache_servers, "
    "memcache_ttl, network_zones, skip_devcount, skip_mkcol, queue_*, slave_*, zone_*";

}  // namespace

std::string ExplainError(const client::ClientError& error, const ErrorContext& c) {
  if (error.kind != client::ClientError::Kind::kTracker) return error.errstr();
  const std::string& code = error.code;
  const std::string in_domain = c.domain.empty() ? "" : " in domain " + Q(c.domain);
  std::string why;
  if (code == "unknown_key" && !c.key.empty()) {
    why = "no file with key " + Q(c.key) + in_domain;
  } else if ((code == "unreg_domain" || code == "domain_not_found") && !c.domain.empty()) {
    why = "domain " + Q(c.domain) + " does not exist (mogadm domain list shows the domains)";
  } else if ((code == "unreg_class" || code == "class_not_found") && !c.klass.empty()) {
    why = "class " + Q(c.klass) + " does not exist" + in_domain +
          " (mogadm class list shows the classes)";
  } else if (code == "not_writable" && !c.setting.empty()) {
    why = "server setting " + Q(c.setting) +
          " cannot be set; writable settings: " + kWritableSettings;
  } else if (code == "bad_params" && !c.states.empty()) {
    why = error.text + "; valid " + c.states + " states: " +
          (c.states == "host" ? "alive, dead, down" : "alive, dead, down, drain, readonly");
  } else if (code == "dup" && (!c.host.empty() || !c.ip.empty())) {
    why = "another host already has " +
          (c.ip.empty() ? "the name " + Q(c.host)
                        : "the name " + Q(c.host) + " or the IP address " + Q(c.ip)) +
          " (mogadm host list shows the hosts)";
  } else if (code == "dup" && !c.devid.empty()) {
    why = "device id " + c.devid + " is already in use (mogadm device list; never reuse a devid)";
  }
  if (why.empty()) return error.errstr();
  return code + ": " + why;
}

}  // namespace mog::cli
