// Command line of tracker_bench. Every run is bounded: a phase stops after --ops operations or
// --seconds, whichever comes first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mog::bench {

struct TrackerEndpoint {
  std::string host;
  uint16_t port = 0;
};

struct TrackerBenchOptions {
  std::vector<TrackerEndpoint> trackers;  // worker i uses trackers[i % size]
  std::string domain;
  std::string klass;  // "" = no class argument (the tracker's `default`)
  int concurrency = 4;
  uint64_t ops = 2000;      // per phase, over all workers
  uint64_t get_paths_ops = 0;  // get_paths phase; 0 = same as ops
  double seconds = 30;      // per phase
  uint64_t size = 4096;     // bytes per uploaded file
  bool do_upload = true;
  bool do_get_paths = true;
  bool noverify = true;
  uint64_t seed_keys = 200;  // --phase=get_paths alone: keys uploaded first (not reported)
  std::string key_prefix;    // default: tb/<pid>-<time>
  int cpu_pid = 0;  // > 0: report this process tree's CPU per operation (the tracker's pid)
  double io_timeout_s = 10;  // socket timeout for tracker lines and PUTs
};

// Throws mog::ConfigError with a message for the user; sets *help for --help.
TrackerBenchOptions ParseTrackerBenchOptions(int argc, const char* const* argv, bool* help);
std::string TrackerBenchHelp();

}  // namespace mog::bench
