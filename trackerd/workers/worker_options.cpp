#include "trackerd/workers/worker_options.h"

#include "trackerd/tracker_config.h"
#include <unistd.h>

namespace mog::tracker {

std::string LocalHostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0) return "";
  return buf;
}

WorkerOptions WorkerOptionsFromConfig(const TrackerConfig& config) {
  WorkerOptions o;
  o.replicate_jobs = config.replicate_jobs;
  o.delete_jobs = config.delete_jobs;
  o.reaper_jobs = config.reaper_jobs;
  o.fsck_jobs = config.fsck_jobs;
  o.job_master = config.job_master;
  o.hostname = LocalHostname();
  o.tempfile_too_old = config.tempfile_too_old;
  o.mogstored_stream_port = static_cast<uint16_t>(config.mogstored_stream_port);
  o.repl_use_get_port = config.repl_use_get_port;
  o.rebalance_ignore_missing = config.rebalance_ignore_missing;
  o.node_timeout = std::chrono::seconds(config.node_timeout);
  return o;
}

}  // namespace mog::tracker
