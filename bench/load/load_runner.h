// Drives a bounded HTTP/1.1 keep-alive load: `concurrency` connections, each with one request
// in flight, spread over `threads` event loops. Response heads are parsed, bodies are read to
// the announced length and thrown away; PUT bodies are streamed from one shared buffer.
#pragma once

#include "bench/load/load_options.h"
#include "bench/load/run_stats.h"
#include "bench/load/target_source.h"

namespace mog::bench {

struct RunResult {
  RunStats stats;
  double elapsed_s = 0;  // first request started -> last connection finished
};

RunResult RunLoad(const LoadOptions& options, const TargetSource& targets);

}  // namespace mog::bench
