// Command line of repl_bench (the protocol-level replication benchmark that run.sh drives
// against our tracker and upstream's).
#pragma once

#include <cstdint>
#include <string>

namespace mog::bench {

struct ReplBenchOptions {
  std::string tracker_host;
  uint16_t tracker_port = 0;
  std::string domain;
  std::string one_class;  // mindevcount 1: uploads land here, nothing to copy
  std::string two_class;  // mindevcount 2: updateclass moves every file here
  uint64_t files = 2000;
  uint64_t size = 4096;
  int concurrency = 4;     // upload threads, and tracker connections for updateclass/delete
  std::string key_prefix;  // default rb/<pid>-<time>/<size>
  // The tracker's database (polled for file_on rows; never written).
  std::string db_host = "127.0.0.1";
  uint16_t db_port = 3306;
  std::string db_user = "root";
  std::string db_pass;
  std::string db_name = "mogilefs";
  double max_seconds = 1800;    // bound on the replication wait (and on the queue drain before)
  double io_timeout_s = 60;     // tracker and HTTP socket timeout
  uint64_t verify_sample = 20;  // files whose every copy is fetched and compared byte for byte
  bool cleanup = true;          // delete the keys afterwards
  std::string label;            // echoed into the RESULT line (e.g. "ours", "upstream")
};

// Throws mog::ConfigError with a message for the user; sets *help for --help.
ReplBenchOptions ParseReplBenchOptions(int argc, const char* const* argv, bool* help);
std::string ReplBenchHelp();

}  // namespace mog::bench
