#include "bench/tracker/bench_options.h"

#include <unistd.h>

#include <ctime>

#include "common/config/config_file.h"
#include "common/config/option_table.h"

namespace mog::bench {
namespace {

const OptionTable& Table() {
  static const OptionTable table(
      "tracker_bench",
      {
          {"trackers", {}, OptionKind::kValue, "127.0.0.1:7001",
           "host:port[,host:port...]; workers are spread over them"},
          {"domain", {}, OptionKind::kValue, "", "domain (required)"},
          {"class", {}, OptionKind::kValue, "", "class for uploads (empty: none sent)"},
          {"concurrency", {"c"}, OptionKind::kValue, "4", "workers, one tracker connection each"},
          {"ops", {"n"}, OptionKind::kValue, "2000", "operations per phase (all workers)"},
          {"get_paths_ops", {}, OptionKind::kValue, "0",
           "operations in the get_paths phase (0: same as --ops)"},
          {"seconds", {"t"}, OptionKind::kValue, "30", "time limit per phase"},
          {"size", {}, OptionKind::kValue, "4096", "bytes per uploaded file"},
          {"phase", {}, OptionKind::kValue, "both", "upload | get_paths | both"},
          {"noverify", {}, OptionKind::kValue, "1", "get_paths noverify=0|1"},
          {"seed_keys", {}, OptionKind::kValue, "200",
           "with --phase=get_paths: keys uploaded first (not measured)"},
          {"key_prefix", {}, OptionKind::kValue, "", "key prefix (default tb/<pid>-<time>)"},
          {"cpu_pid", {}, OptionKind::kValue, "0",
           "pid of the tracker (same machine): report its CPU ms per operation"},
          {"timeout", {}, OptionKind::kValue, "10", "socket timeout in seconds"},
          {"help", {"h"}, OptionKind::kFlag, "", "this text"},
      });
  return table;
}

TrackerEndpoint ParseEndpointOrThrow(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw ConfigError("--trackers: expected host:port, got '" + text + "'");
  TrackerEndpoint ep;
  ep.host = text.substr(0, colon);
  int port = std::stoi(text.substr(colon + 1));
  if (port <= 0 || port > 65535) throw ConfigError("--trackers: bad port in '" + text + "'");
  ep.port = static_cast<uint16_t>(port);
  return ep;
}

long long Positive(const OptionTable& t, const Settings& s, const char* name) {
  long long v = t.GetInt(s, name);
  if (v <= 0) throw ConfigError(std::string("--") + name + " must be > 0");
  return v;
}

}  // namespace

TrackerBenchOptions ParseTrackerBenchOptions(int argc, const char* const* argv, bool* help) {
  const OptionTable& t = Table();
  Settings s = t.ParseCommandLine(argc, argv);
  *help = t.GetBool(s, "help");
  TrackerBenchOptions o;
  if (*help) return o;
  std::string list = t.Get(s, "trackers");
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!item.empty()) o.trackers.push_back(ParseEndpointOrThrow(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (o.trackers.empty()) throw ConfigError("--trackers: no tracker given");
  o.domain = t.Get(s, "domain");
  if (o.domain.empty()) throw ConfigError("--domain is required");
  o.klass = t.Get(s, "class");
  o.concurrency = static_cast<int>(Positive(t, s, "concurrency"));
  o.ops = static_cast<uint64_t>(Positive(t, s, "ops"));
  long long gp = t.GetInt(s, "get_paths_ops");
  if (gp < 0) throw ConfigError("--get_paths_ops must be >= 0");
  o.get_paths_ops = gp == 0 ? o.ops : static_cast<uint64_t>(gp);
  o.seconds = std::stod(t.Get(s, "seconds"));
  if (!(o.seconds > 0)) throw ConfigError("--seconds must be > 0");
  o.size = static_cast<uint64_t>(Positive(t, s, "size"));
  std::string phase = t.Get(s, "phase");
  if (phase == "upload") {
    o.do_get_paths = false;
  } else if (phase == "get_paths") {
    o.do_upload = false;
  } else if (phase != "both") {
    throw ConfigError("--phase must be upload, get_paths or both");
  }
  o.noverify = t.GetBool(s, "noverify");
  o.seed_keys = static_cast<uint64_t>(Positive(t, s, "seed_keys"));
  o.key_prefix = t.Get(s, "key_prefix");
  if (o.key_prefix.empty())
    o.key_prefix = "tb/" + std::to_string(getpid()) + "-" + std::to_string(std::time(nullptr));
  o.cpu_pid = static_cast<int>(t.GetInt(s, "cpu_pid"));
  o.io_timeout_s = std::stod(t.Get(s, "timeout"));
  if (!(o.io_timeout_s > 0)) throw ConfigError("--timeout must be > 0");
  return o;
}

std::string TrackerBenchHelp() { return Table().Help(); }

}  // namespace mog::bench
