#include "bench/replication/repl_options.h"

#include <ctime>

#include "common/config/config_file.h"
#include "common/config/option_table.h"
#include <unistd.h>

namespace mog::bench {
namespace {

const OptionTable& Table() {
  static const OptionTable table(
      "repl_bench",
      {
          {"tracker", {}, OptionKind::kValue, "127.0.0.1:7001", "tracker host:port"},
          {"domain", {}, OptionKind::kValue, "", "domain (required, must exist)"},
          {"one_class",
           {},
           OptionKind::kValue,
           "rb_one",
           "class uploads go to; created or set to mindevcount 1"},
          {"two_class",
           {},
           OptionKind::kValue,
           "rb_two",
           "class updateclass moves files to; created or set to mindevcount 2"},
          {"files", {"n"}, OptionKind::kValue, "2000", "number of files"},
          {"size", {}, OptionKind::kValue, "4096", "bytes per file"},
          {"concurrency", {"c"}, OptionKind::kValue, "4", "upload threads / tracker connections"},
          {"key_prefix", {}, OptionKind::kValue, "", "key prefix (default rb/<pid>-<time>)"},
          {"db_host", {}, OptionKind::kValue, "127.0.0.1", "tracker database host"},
          {"db_port", {}, OptionKind::kValue, "3306", "tracker database port"},
          {"db_user", {}, OptionKind::kValue, "root", "database user (read only use)"},
          {"db_pass", {}, OptionKind::kValue, "", "database password"},
          {"db_name", {}, OptionKind::kValue, "mogilefs", "database name"},
          {"max_seconds", {}, OptionKind::kValue, "1800", "bound on each wait"},
          {"timeout", {}, OptionKind::kValue, "60", "socket timeout in seconds"},
          {"verify_sample",
           {},
           OptionKind::kValue,
           "20",
           "files whose copies are all fetched and compared byte for byte"},
          {"cleanup", {}, OptionKind::kValue, "1", "delete the keys at the end (0 keeps them)"},
          {"label", {}, OptionKind::kValue, "", "label for the RESULT line"},
          {"help", {"h"}, OptionKind::kFlag, "", "this text"},
      });
  return table;
}

long long Positive(const OptionTable& t, const Settings& s, const char* name) {
  long long v = t.GetInt(s, name);
  if (v <= 0) throw ConfigError(std::string("--") + name + " must be > 0");
  return v;
}

uint16_t Port(const OptionTable& t, const Settings& s, const char* name) {
  long long v = t.GetInt(s, name);
  if (v <= 0 || v > 65535) throw ConfigError(std::string("--") + name + ": bad port");
  return static_cast<uint16_t>(v);
}

}  // namespace

ReplBenchOptions ParseReplBenchOptions(int argc, const char* const* argv, bool* help) {
  const OptionTable& t = Table();
  Settings s = t.ParseCommandLine(argc, argv);
  *help = t.GetBool(s, "help");
  ReplBenchOptions o;
  if (*help) return o;
  const std::string tracker = t.Get(s, "tracker");
  const auto colon = tracker.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw ConfigError("--tracker: expected host:port, got '" + tracker + "'");
  }
  o.tracker_host = tracker.substr(0, colon);
  const int port = std::atoi(tracker.c_str() + colon + 1);
  if (port <= 0 || port > 65535) throw ConfigError("--tracker: bad port in '" + tracker + "'");
  o.tracker_port = static_cast<uint16_t>(port);
  o.domain = t.Get(s, "domain");
  if (o.domain.empty()) throw ConfigError("--domain is required");
  o.one_class = t.Get(s, "one_class");
  o.two_class = t.Get(s, "two_class");
  if (o.one_class.empty() || o.two_class.empty() || o.one_class == o.two_class) {
    throw ConfigError("--one_class and --two_class must be two different names");
  }
  o.files = static_cast<uint64_t>(Positive(t, s, "files"));
  o.size = static_cast<uint64_t>(Positive(t, s, "size"));
  if (o.size < 16) throw ConfigError("--size must be >= 16 (each body carries its index)");
  o.concurrency = static_cast<int>(Positive(t, s, "concurrency"));
  o.key_prefix = t.Get(s, "key_prefix");
  if (o.key_prefix.empty()) {
    o.key_prefix = "rb/" + std::to_string(getpid()) + "-" + std::to_string(std::time(nullptr));
  }
  o.db_host = t.Get(s, "db_host");
  o.db_port = Port(t, s, "db_port");
  o.db_user = t.Get(s, "db_user");
  o.db_pass = t.Get(s, "db_pass");
  o.db_name = t.Get(s, "db_name");
  o.max_seconds = std::stod(t.Get(s, "max_seconds"));
  if (!(o.max_seconds > 0)) throw ConfigError("--max_seconds must be > 0");
  o.io_timeout_s = std::stod(t.Get(s, "timeout"));
  if (!(o.io_timeout_s > 0)) throw ConfigError("--timeout must be > 0");
  const long long sample = t.GetInt(s, "verify_sample");
  if (sample < 0) throw ConfigError("--verify_sample must be >= 0");
  o.verify_sample = static_cast<uint64_t>(sample);
  o.cleanup = t.GetBool(s, "cleanup");
  o.label = t.Get(s, "label");
  return o;
}

std::string ReplBenchHelp() { return Table().Help(); }

}  // namespace mog::bench
