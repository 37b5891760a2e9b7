// Fsck feeding (tracker.md §6.2 "Injection"): only on the tracker named by the fsck_host
// setting. Folds new fsck_log rows into fsck_sum_evcount_*, then queues the next fids of the
// run into file_to_queue (type 1) and advances fsck_highest_fid_checked; when no fid is left
// the run ends (fsck_host deleted, fsck_stop_time set). Control keys are read from the DB.
#pragma once

#include <string>

#include "trackerd/store/store.h"

namespace mog::tracker {

class FsckInjector {
 public:
  explicit FsckInjector(std::string hostname) : hostname_(std::move(hostname)) {}
  // Does nothing unless fsck_host equals this tracker's hostname. Returns whether fids were
  // queued.
  bool RunIfOwner(Store& store);

 private:
  std::string hostname_;
};

// Folds fsck_log rows after fsck_logid_processed into the fsck_sum_evcount_<CODE> counters
// (under lock mgfs:fscksum).
Result<void> SummarizeFsckLog(Store& store);

}  // namespace mog::tracker
