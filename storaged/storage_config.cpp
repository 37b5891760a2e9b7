#include "storaged/storage_config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "common/config/config_file.h"
#include "storaged/web/content_type.h"

namespace mog::storage {
namespace {

std::string DefaultServer() {
  const char* env = std::getenv("MOGSTORED_SERVER_TYPE");
  return env && *env ? env : "perlbal";
}

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && lower(haystack[i + j]) == lower(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

Endpoint ParseListen(const std::string& key, const std::string& text, uint16_t default_port) {
  auto endpoint = ParseEndpoint(text, "0.0.0.0", default_port);
  if (!endpoint) throw ConfigError("Invalid " + key + " '" + text + "': expected ip:port");
  return *endpoint;
}

web::WebConfig WebConfigFromSettings(const Settings& settings) {
  const OptionTable& table = StorageOptionTable();
  web::WebConfig web;
  const std::string listen = table.Get(settings, "weblisten");
  web.trackers = web::SplitList(table.Get(settings, "trackers"));
  web.secret = table.Get(settings, "web_secret");
  web.secure_domains = web::SplitList(table.Get(settings, "web_secure_domains"));
  web.upload_token = table.Get(settings, "web_upload_token");
  web.cache_control = table.Get(settings, "web_cache_control");
  web.domain_cache_control =
      web::ParseDomainCacheControl(table.Get(settings, "web_domain_cache_control"));
  web.inline_types = web::SplitList(table.Get(settings, "web_inline_types"));
  if (web.inline_types.empty()) web.inline_types = web::DefaultInlineTypes();
  const long long ttl = table.GetInt(settings, "web_path_cache_ttl");
  const long long size = table.GetInt(settings, "web_path_cache_size");
  if (ttl < 0 || size < 0) {
    throw ConfigError("web_path_cache_ttl and web_path_cache_size must not be negative");
  }
  web.path_cache_ttl = std::chrono::seconds(ttl);
  web.path_cache_size = static_cast<size_t>(size);
  if (listen.empty()) return web;
  web.enabled = true;
  web.listen = ParseListen("weblisten", listen, 7580);
  if (web.trackers.empty()) throw ConfigError("weblisten needs trackers = host:port[,...]");
  for (const auto& tracker : web.trackers) {
    if (tracker.find(':') == std::string::npos) {
      throw ConfigError("trackers: '" + tracker + "' must be host:port");
    }
  }
  return web;
}

}  // namespace

const OptionTable& StorageOptionTable() {
  static const OptionTable table(
      "mogstored",
      {
          {"daemonize", {"d"}, OptionKind::kFlag, "0", "Daemonize"},
          {"config", {}, OptionKind::kValue, "",
           "Config file (default /etc/mogilefs/mogstored.conf if it exists)"},
          {"skipconfig", {"s"}, OptionKind::kFlag, "0", "Do not read any config file", false},
          {"httplisten", {}, OptionKind::kValue, "0.0.0.0:7500", "IP:port of the HTTP server"},
          {"mgmtlisten", {}, OptionKind::kValue, "0.0.0.0:7501",
           "IP:port of the management side channel"},
          {"docroot", {}, OptionKind::kValue, "/var/mogdata",
           "Directory holding the dev<N> device directories"},
          {"maxconns", {}, OptionKind::kValue, "10000",
           "Maximum simultaneous HTTP connections"},
          {"server", {}, OptionKind::kValue, DefaultServer(),
           "HTTP engine: perlbal (built in) or none (an external DAV server serves docroot)"},
          {"serverbin", {}, OptionKind::kValue, "", "Accepted for compatibility; unused"},
          {"pidfile", {}, OptionKind::kValue, "", "Write the daemon's pid here"},
          // --noiostat is our extension (upstream can only disable it in the file).
          {"iostat", {}, OptionKind::kFlag, "1",
           "Device utilisation for the side channel's watch (--noiostat or iostat = 0 disables)",
           true, true},
          // The by-key web listener (off unless weblisten is set); see conf/mogstored.conf.
          {"weblisten", {}, OptionKind::kValue, "",
           "IP:port of the by-key web listener (/<domain>/<key>); off if empty"},
          {"trackers", {}, OptionKind::kValue, "",
           "Trackers for the web listener, host:port[,host:port...] (failover in order)"},
          {"web_secret", {}, OptionKind::kValue, "",
           "Anti-leech secret: by-key URLs need ?md5=&expires= as nginx secure_link_md5"},
          {"web_secure_domains", {}, OptionKind::kValue, "",
           "Domains that need signed URLs (comma list; empty with a secret: every domain)"},
          {"web_upload_token", {}, OptionKind::kValue, "",
           "Bearer token for PUT/DELETE on the web listener; empty: writes refused (405)"},
          {"web_cache_control", {}, OptionKind::kValue, "public, max-age=300",
           "Cache-Control of by-key responses"},
          {"web_domain_cache_control", {}, OptionKind::kValue, "",
           "Per-domain Cache-Control: <domain>: <value> | <domain>: <value> ..."},
          {"web_inline_types", {}, OptionKind::kValue, "",
           "Content types shown inline (comma list, type/* allowed); others are attachments. "
           "Default: common images (not SVG), video/*, audio/*"},
          {"web_path_cache_ttl", {}, OptionKind::kValue, "5",
           "Seconds a get_paths answer is reused (0: no cache)"},
          {"web_path_cache_size", {}, OptionKind::kValue, "10000",
           "Keys kept in the path cache"},
          {"help", {}, OptionKind::kFlag, "0", "Show this help", false},
      });
  return table;
}

void ApplyStorageConfigText(std::string_view text, std::string_view filename, Settings* settings) {
  const OptionTable& table = StorageOptionTable();
  if (ContainsIgnoreCase(text, "SERVER max_connect") || ContainsIgnoreCase(text, "CREATE SERVICE")) {
    throw ConfigError(std::string(filename) +
                      ": this is the old Perlbal-style config syntax; the file must now be "
                      "lines of <key> = <value> with mogstored's command-line option names");
  }
  std::vector<ConfigLine> accepted;
  for (auto& line : ParseConfigText(text, ConfigDialect::kEqualsWithComments, filename)) {
    // Upstream matches a key against the option specs by /^key\b/: only whole option names
    // (and "s", which lands harmlessly on skipconfig) are known; "d", "skipconfig" and
    // abbreviations are not.
    if (line.key == "s") continue;
    const OptionSpec* spec = table.Find(line.key, false);
    if (!spec || spec->name != line.key || !spec->in_config_file) {
      std::ostringstream msg;
      msg << filename << ":" << line.line << ": Unknown config setting: " << line.key;
      throw ConfigError(msg.str());
    }
    accepted.push_back(std::move(line));
  }
  table.ApplyConfig(accepted, filename, settings, /*override_existing=*/true);
}

StorageConfig StorageConfigFromSettings(const Settings& settings) {
  const OptionTable& table = StorageOptionTable();
  StorageConfig config;
  config.http_listen = ParseListen("httplisten", table.Get(settings, "httplisten"), 7500);
  config.mgmt_listen = ParseListen("mgmtlisten", table.Get(settings, "mgmtlisten"), 7501);
  config.docroot = table.Get(settings, "docroot");
  while (config.docroot.size() > 1 && config.docroot.back() == '/') config.docroot.pop_back();
  if (config.docroot.empty()) throw ConfigError("docroot must not be empty");
  long long maxconns = table.GetInt(settings, "maxconns");
  if (maxconns <= 0) throw ConfigError("maxconns must be a positive integer");
  config.max_connections = static_cast<size_t>(maxconns);
  config.daemonize = table.GetBool(settings, "daemonize");
  config.pidfile = table.Get(settings, "pidfile");
  config.server = table.Get(settings, "server");
  if (config.server != "perlbal" && config.server != "none") {
    if (config.server == "lighttpd" || config.server == "apache" || config.server == "nginx") {
      throw ConfigError("server = " + config.server +
                        " is not supported: this mogstored has its own HTTP server (perlbal) "
                        "or can leave HTTP to an external DAV server (none)");
    }
    throw ConfigError(
        "Unknown server type.  Valid options: --server={perlbal,lighttpd,apache,nginx,none}");
  }
  config.serverbin = table.Get(settings, "serverbin");
  config.iostat = table.GetBool(settings, "iostat");
  config.web = WebConfigFromSettings(settings);
  return config;
}

StorageConfigLoad LoadStorageConfig(int argc, const char* const* argv,
                                    std::string_view default_config_path) {
  const OptionTable& table = StorageOptionTable();
  Settings settings = table.ParseCommandLine(argc, argv);
  StorageConfigLoad load;
  if (table.GetBool(settings, "help")) {
    load.show_help = true;
    return load;
  }
  std::string path = table.Get(settings, "config");
  if (path.empty()) {
    struct stat st {};
    if (::stat(std::string(default_config_path).c_str(), &st) == 0) path = default_config_path;
  }
  if (!path.empty() && !table.GetBool(settings, "skipconfig")) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("Config file " + path + " doesn't exist.");
    std::ostringstream text;
    text << in.rdbuf();
    ApplyStorageConfigText(text.str(), path, &settings);
    load.config.config_file = path;
  }
  std::string used_file = load.config.config_file;
  load.config = StorageConfigFromSettings(settings);
  load.config.config_file = used_file;
  return load;
}

}  // namespace mog::storage
