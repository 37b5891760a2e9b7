// mogilefsd's configuration: every key of upstream's config file and command line (tracker.md
// §7), one OptionTable row each. Precedence: command line > config file > default.
#pragma once

#include <map>

#include <cstdint>
#include <string>
#include <vector>

#include "common/config/option_table.h"
#include "common/net/endpoint.h"

namespace mog::tracker {

inline constexpr const char* kDefaultTrackerConfigPath = "/etc/mogilefs/mogilefsd.conf";

struct TrackerConfig {
  std::string config_path;  // file actually read ("" = none)
  std::string db_dsn = "DBI:mysql:mogilefs";
  std::string db_user = "mogile";
  std::string db_pass;
  std::vector<Endpoint> listen;  // default 0.0.0.0:<conf_port>
  int conf_port = 7001;
  int query_jobs = 20;
  int delete_jobs = 1;
  int replicate_jobs = 1;
  int reaper_jobs = 1;
  int fsck_jobs = 1;
  int monitor_jobs = 1;
  bool job_master = true;
  int max_disk_age = 5;
  std::string local_network;
  int64_t min_free_space = 100;  // MB
  int default_mindevcount = 2;
  int node_timeout = 2;  // seconds
  int conn_timeout = 2;
  int conn_pool_size = 20;
  int mogstored_stream_port = 7501;
  bool repl_use_get_port = false;
  bool rebalance_ignore_missing = false;
  int max_handles = 0;
  bool no_schema_check = false;
  bool daemonize = false;
  std::string pidfile;
  std::string user;
  int debug = 0;
  std::vector<std::string> plugins;
  // Test aid (env T_TEMPFILE_TOO_OLD): age after which the Delete worker GCs tempfiles.
  int tempfile_too_old = 3600;
  bool show_help = false;
  std::vector<std::string> warnings;  // to log once logging is up (ignored options, ...)
};

const OptionTable& TrackerOptionTable();

// Upstream's read-weighting test hook: with TESTING set (non-empty, not "0") in `environ`
// ("NAME=value" entries), every T_FAKE_IO_DEV<devid>=<util> becomes devid -> util.
std::map<uint32_t, std::string> FakeIoUtilization(const std::vector<std::string>& environ);

// Parses argv, reads the config file (-c, else the default path if readable, unless -s) and
// the environment (DEBUG, T_TEMPFILE_TOO_OLD). Throws ConfigError with a clear message.
TrackerConfig LoadTrackerConfig(int argc, const char* const* argv);

// Same from already-split pieces (tests): `config_text` stands for the file's contents.
TrackerConfig LoadTrackerConfigFromText(int argc, const char* const* argv,
                                        const std::string& config_text,
                                        const std::string& config_name);

}  // namespace mog::tracker
