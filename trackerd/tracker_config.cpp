#include "trackerd/tracker_config.h"

#include <charconv>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/config/config_file.h"
#include "common/protocol/line_codec.h"

namespace mog::tracker {
namespace {

OptionSpec Value(std::string name, std::vector<std::string> aliases, std::string def,
                 std::string help) {
  OptionSpec s;
  s.name = std::move(name);
  s.aliases = std::move(aliases);
  s.kind = OptionKind::kValue;
  s.default_value = std::move(def);
  s.help = std::move(help);
  return s;
}

OptionSpec Flag(std::string name, std::vector<std::string> aliases, std::string def,
                std::string help, bool negatable = false) {
  OptionSpec s = Value(std::move(name), std::move(aliases), std::move(def), std::move(help));
  s.kind = OptionKind::kFlag;
  s.negatable = negatable;
  return s;
}

OptionSpec CmdLineOnly(OptionSpec s) {
  s.in_config_file = false;
  return s;
}

std::vector<OptionSpec> Specs() {
  std::vector<OptionSpec> v;
  v.push_back(CmdLineOnly(Value("config", {"c"}, "", "config file (default " +
                                std::string(kDefaultTrackerConfigPath) + " if readable)")));
  v.push_back(CmdLineOnly(Flag("skipconfig", {"s"}, "", "do not read any config file")));
  v.push_back(CmdLineOnly(Flag("help", {"h"}, "", "show this help")));
  v.push_back(Value("debug", {}, "", "debug level (-d repeatable; default: env DEBUG or 0)"));
  v.push_back(Flag("daemonize", {"D"}, "0", "detach and log to syslog"));
  v.push_back(Value("db_dsn", {"dsn"}, "DBI:mysql:mogilefs", "database DSN"));
  v.push_back(Value("db_user", {"dbuser"}, "mogile", "database user"));
  OptionSpec pass = Value("db_pass", {"dbpass"}, "", "database password");
  pass.kind = OptionKind::kOptionalValue;
  v.push_back(pass);
  v.push_back(Value("user", {}, "", "refuse to run as root unless this is 'root'"));
  v.push_back(Value("conf_port", {"p", "confport"}, "7001", "default listen port"));
  OptionSpec listen = Value("listen", {"l"}, "0.0.0.0", "ip[:port] to listen on (repeatable)");
  listen.kind = OptionKind::kList;
  v.push_back(listen);
  v.push_back(Value("query_jobs", {"w", "workers"}, "20", "query worker threads"));
  v.push_back(Value("listener_jobs", {}, "", "old name of query_jobs (wins if set)"));
  v.push_back(Value("delete_jobs", {}, "1", "delete workers"));
  v.push_back(Value("replicate_jobs", {}, "1", "replicate workers"));
  v.push_back(Value("reaper_jobs", {}, "1", "reaper workers"));
  v.push_back(Value("fsck_jobs", {}, "1", "fsck workers"));
  v.push_back(Value("monitor_jobs", {}, "1", "parsed, unused"));
  v.push_back(Flag("job_master", {}, "1", "run a JobMaster (--nojob_master to disable)", true));
  v.push_back(Value("max_disk_age", {}, "5", "parsed, unused"));
  v.push_back(Value("local_network", {}, "", "parsed, unused"));
  v.push_back(Value("min_free_space", {}, "100", "MB a device keeps free for new files"));
  v.push_back(Value("default_mindevcount", {}, "2", "mindevcount of implicit default classes"));
  v.push_back(Value("node_timeout", {}, "2", "storage node HTTP timeout (s)"));
  v.push_back(Value("conn_timeout", {}, "2", "Monitor's storage node timeout (s)"));
  v.push_back(Value("conn_pool_size", {}, "20", "idle storage HTTP connections kept"));
  v.push_back(Value("mogstored_stream_port", {}, "7501", "mogstored side-channel port"));
  v.push_back(Value("repl_use_get_port", {}, "0", "replication reads via http_get_port"));
  v.push_back(Value("rebalance_ignore_missing", {}, "0", "rebalance accepts 404 on DELETE"));
  v.push_back(Value("max_handles", {}, "0", "reconnect the DB after N uses (0 = never)"));
  v.push_back(Flag("no_schema_check", {}, "0", "skip the schema_version check"));
  v.push_back(Value("pidfile", {}, "", "write the pid here"));
  OptionSpec plugins = Value("plugins", {}, "", "MogileFS::Plugin list (none supported)");
  plugins.kind = OptionKind::kList;
  v.push_back(plugins);
  v.push_back(CmdLineOnly(Flag("no_http", {}, "", "ignored (old option)")));
  v.push_back(CmdLineOnly(Value("workerport", {}, "", "ignored (old option)")));
  return v;
}

int ToInt(const OptionTable& t, const Settings& s, const std::string& name) {
  long long v = t.GetInt(s, name);
  if (v < 0 || v > 1000000000) throw ConfigError("Option " + name + " out of range");
  return static_cast<int>(v);
}

// "-d", "-dd", "--debug" increment the level (Getopt's `d|debug+`); they are removed from the
// argument list handed to the option table.
int TakeDebugFlags(int argc, const char* const* argv, std::vector<const char*>* rest) {
  int level = 0;
  rest->push_back(argc > 0 ? argv[0] : "mogilefsd");
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--debug") {
      ++level;
      continue;
    }
    if (a.size() >= 2 && a[0] == '-' && a[1] == 'd' &&
        a.find_first_not_of('d', 1) == std::string_view::npos) {
      level += static_cast<int>(a.size() - 1);
      continue;
    }
    rest->push_back(argv[i]);
  }
  return level;
}

TrackerConfig Build(const OptionTable& table, const Settings& s, int debug_flags) {
  TrackerConfig c;
  c.show_help = table.GetBool(s, "help");
  c.db_dsn = table.Get(s, "db_dsn");
  c.db_user = table.Get(s, "db_user");
  c.db_pass = table.Get(s, "db_pass");
  c.conf_port = ToInt(table, s, "conf_port");
  if (c.conf_port < 1 || c.conf_port > 65535) throw ConfigError("conf_port out of range");
  const std::string listener_jobs = table.Get(s, "listener_jobs");
  c.query_jobs = PerlTrue(listener_jobs) ? ToInt(table, s, "listener_jobs")
                                             : ToInt(table, s, "query_jobs");
  if (c.query_jobs < 1) c.query_jobs = 1;
  c.delete_jobs = ToInt(table, s, "delete_jobs");
  c.replicate_jobs = ToInt(table, s, "replicate_jobs");
  c.reaper_jobs = ToInt(table, s, "reaper_jobs");
  c.fsck_jobs = ToInt(table, s, "fsck_jobs");
  c.monitor_jobs = ToInt(table, s, "monitor_jobs");
  c.job_master = table.GetBool(s, "job_master");
  c.max_disk_age = ToInt(table, s, "max_disk_age");
  c.local_network = table.Get(s, "local_network");
  c.min_free_space = ToInt(table, s, "min_free_space");
  c.default_mindevcount = ToInt(table, s, "default_mindevcount");
  c.node_timeout = ToInt(table, s, "node_timeout");
  c.conn_timeout = ToInt(table, s, "conn_timeout");
  c.conn_pool_size = ToInt(table, s, "conn_pool_size");
  c.mogstored_stream_port = ToInt(table, s, "mogstored_stream_port");
  c.repl_use_get_port = table.GetBool(s, "repl_use_get_port");
  c.rebalance_ignore_missing = table.GetBool(s, "rebalance_ignore_missing");
  c.max_handles = ToInt(table, s, "max_handles");
  c.no_schema_check = table.GetBool(s, "no_schema_check");
  c.daemonize = table.GetBool(s, "daemonize");
  c.pidfile = table.Get(s, "pidfile");
  c.user = table.Get(s, "user");
  if (debug_flags > 0) {
    c.debug = debug_flags;
  } else if (s.Has("debug")) {
    c.debug = ToInt(table, s, "debug");
  } else if (const char* env = std::getenv("DEBUG"); env && *env) {
    c.debug = std::atoi(env);
  }
  if (const char* env = std::getenv("T_TEMPFILE_TOO_OLD"); env && *env) {
    c.tempfile_too_old = std::max(1, std::atoi(env));
  }
  // listen: comma list (file) or repeated option (command line); entries without ':' get
  // conf_port.
  std::string listen = table.Get(s, "listen");
  std::stringstream ls(listen);
  std::string item;
  while (std::getline(ls, item, ',')) {
    const size_t b = item.find_first_not_of(" \t");
    const size_t e = item.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    auto ep = ParseEndpoint(item, "0.0.0.0", static_cast<uint16_t>(c.conf_port));
    if (!ep || ep->port == 0) throw ConfigError("Bad listen address: " + item);
    c.listen.push_back(*ep);
  }
  if (c.listen.empty()) c.listen.push_back({"0.0.0.0", static_cast<uint16_t>(c.conf_port)});
  std::stringstream ps(table.Get(s, "plugins"));
  while (std::getline(ps, item, ',')) {
    if (!item.empty()) c.plugins.push_back(item);
  }
  if (s.Has("workerport") && PerlTrue(*s.Raw("workerport"))) {
    c.warnings.push_back(
        "The command line option --workerport is no longer needed (and has no necessary "
        "replacement)");
  }
  return c;
}

TrackerConfig Load(int argc, const char* const* argv, const std::string* text_override,
                   const std::string& text_name) {
  const OptionTable& table = TrackerOptionTable();
  std::vector<const char*> rest;
  const int debug_flags = TakeDebugFlags(argc, argv, &rest);
  Settings s = table.ParseCommandLine(static_cast<int>(rest.size()), rest.data());
  std::string path = table.Get(s, "config");
  const bool skip = table.GetBool(s, "skipconfig");
  std::vector<std::string> warnings;
  if (!skip) {
    std::string text;
    bool have_text = false;
    if (text_override) {
      text = *text_override;
      path = text_name;
      have_text = true;
    } else {
      if (path.empty() && access(kDefaultTrackerConfigPath, R_OK) == 0) {
        path = kDefaultTrackerConfigPath;
      }
      if (!path.empty()) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ConfigError("open: " + path + ": cannot read config file");
        std::ostringstream buf;
        buf << in.rdbuf();
        text = buf.str();
        have_text = true;
      }
    }
    if (have_text) {
      std::vector<ConfigLine> known;
      for (auto& line : ParseConfigText(text, ConfigDialect::kTracker, path)) {
        const OptionSpec* spec = table.Find(line.key, false);
        if (!spec || spec->name != line.key || !spec->in_config_file) {
          // Upstream keeps unknown keys without complaint; say so instead of failing.
          warnings.push_back(path + ":" + std::to_string(line.line) +
                             ": unknown config key '" + line.key + "' ignored");
          continue;
        }
        known.push_back(std::move(line));
      }
      table.ApplyConfig(known, path, &s, /*override_existing=*/false);
    }
  } else {
    path.clear();
  }
  TrackerConfig c = Build(table, s, debug_flags);
  c.config_path = path;
  c.warnings.insert(c.warnings.begin(), warnings.begin(), warnings.end());
  return c;
}

}  // namespace


const OptionTable& TrackerOptionTable() {
  static const OptionTable table("mogilefsd", Specs());
  return table;
}

TrackerConfig LoadTrackerConfig(int argc, const char* const* argv) {
  return Load(argc, argv, nullptr, "");
}

TrackerConfig LoadTrackerConfigFromText(int argc, const char* const* argv,
                                        const std::string& config_text,
                                        const std::string& config_name) {
  return Load(argc, argv, &config_text, config_name);
}

}  // namespace mog::tracker

namespace mog::tracker {

std::map<uint32_t, std::string> FakeIoUtilization(const std::vector<std::string>& environ) {
  constexpr std::string_view kPrefix = "T_FAKE_IO_DEV";
  bool testing = false;
  std::map<uint32_t, std::string> out;
  for (const std::string& entry : environ) {
    const size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    const std::string_view name(entry.data(), eq);
    const std::string value = entry.substr(eq + 1);
    if (name == "TESTING") testing = !value.empty() && value != "0";
    if (!name.starts_with(kPrefix)) continue;
    uint32_t devid = 0;
    const std::string_view digits = name.substr(kPrefix.size());
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), devid);
    if (ec == std::errc() && p == digits.data() + digits.size() && !digits.empty()) {
      out[devid] = value;
    }
  }
  if (!testing) out.clear();
  return out;
}

}  // namespace mog::tracker
