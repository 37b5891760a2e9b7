// mogstored's configuration: the upstream keys and command-line options, one OptionTable row
// each (storage_config.cpp). The config file (default /etc/mogilefs/mogstored.conf, skipped
// silently when absent) is applied AFTER the command line and overrides it, as upstream does;
// --skipconfig makes the command line authoritative.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/config/option_table.h"
#include "common/net/endpoint.h"
#include "storaged/web/web_config.h"

namespace mog::storage {

struct StorageConfig {
  Endpoint http_listen{"0.0.0.0", 7500};
  Endpoint mgmt_listen{"0.0.0.0", 7501};
  std::string docroot = "/var/mogdata";
  size_t max_connections = 10000;
  bool daemonize = false;
  std::string pidfile;  // empty: none
  std::string server = "perlbal";  // "perlbal" (built-in HTTP) or "none" (external DAV server)
  std::string serverbin;           // accepted for compatibility; unused
  bool iostat = true;
  web::WebConfig web;       // the optional by-key web listener (weblisten, trackers, web_*)
  std::string config_file;  // the file actually read, empty if none
};

inline constexpr std::string_view kDefaultStorageConfigPath = "/etc/mogilefs/mogstored.conf";

const OptionTable& StorageOptionTable();

struct StorageConfigLoad {
  StorageConfig config;
  bool show_help = false;
};

// Command line, then the config file (unless --skipconfig). Throws ConfigError with a message
// fit for the operator (file:line for file errors). `default_config_path` is a seam for tests.
StorageConfigLoad LoadStorageConfig(int argc, const char* const* argv,
                                    std::string_view default_config_path =
                                        kDefaultStorageConfigPath);

// Applies config-file text on top of `settings` with mogstored's rules (keys must be exact
// option names; "s" is accepted and ignored; old Perlbal-syntax files are refused).
void ApplyStorageConfigText(std::string_view text, std::string_view filename, Settings* settings);

// Validates and converts settings; throws ConfigError.
StorageConfig StorageConfigFromSettings(const Settings& settings);

}  // namespace mog::storage
