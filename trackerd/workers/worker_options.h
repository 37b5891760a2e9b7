// Knobs of the background workers (job master, replicate, delete, reaper, fsck), filled from
// mogilefsd's configuration by WorkerOptionsFromConfig; tests shorten the timings.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mog::tracker {

struct TrackerConfig;

struct WorkerOptions {
  int replicate_jobs = 1;
  int delete_jobs = 1;
  int reaper_jobs = 1;
  int fsck_jobs = 1;
  bool job_master = true;
  // gethostname(): compared with the fsck_host / rebal_host settings.
  std::string hostname;

  // Claimed queue rows are dated DB now + claim_lease by the claim's own transaction and
  // re-dated whenever a worker starts (or progresses on) an item. Upstream leaves claims at now+1000,
  // so a tracker killed mid-batch parks its claimed work for ~17 minutes; a short lease brings
  // it back within about half a minute.
  std::chrono::seconds claim_lease{30};
  int claim_lock_timeout_seconds = 30;  // GET_LOCK('mfsd:file_to_*', 30)
  std::chrono::milliseconds job_master_idle{1000};

  // Multiplies the replication backoff schedule (15 s, 60 s, ...). 1.0 = upstream.
  double replicate_backoff_scale = 1.0;
  // Multiplies the Delete worker's retry delays (60·(10+n), 3600·(1+n), 1800·(1+n) s); each
  // delay is at least 1 s. 1.0 = upstream; tests use a small value.
  double delete_retry_scale = 1.0;
  int64_t tempfile_too_old = 3600;  // env T_TEMPFILE_TOO_OLD

  std::chrono::milliseconds reaper_interval{5000};
  std::chrono::milliseconds reaper_start_delay{16000};

  std::chrono::milliseconds fsck_poll{2000};

  uint16_t mogstored_stream_port = 7501;
  bool repl_use_get_port = false;
  bool rebalance_ignore_missing = false;
  std::chrono::seconds node_timeout{2};
};

// The config's job counts, ports and flags; hostname from gethostname().
WorkerOptions WorkerOptionsFromConfig(const TrackerConfig& config);

// This machine's gethostname() ("" if it fails).
std::string LocalHostname();

}  // namespace mog::tracker
