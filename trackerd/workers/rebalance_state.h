// The progress of a rebalance run as kept in the `rebal_state` server setting (tracker.md §6.8):
// space-separated key=value pairs, lists comma-joined, times in epoch seconds. Upstream's
// tracker and mogadm read what we write and we read what they write, so the reader is lenient
// (unknown keys ignored, Perl's leftovers such as "completed_devs=,3" or "sdev_limit=none"
// accepted) and the writer always emits the fourteen upstream keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trackerd/store/store.h"

namespace mog::tracker {

struct RebalanceState {
  std::vector<DevId> completed_devs;  // finished source devices, in order
  std::vector<DevId> source_devs;     // source devices not started yet
  DevId sdev_current = 0;             // 0 = none in progress
  Fid sdev_lastfid = 0;               // paging cursor on the current device
  int64_t sdev_limit = 0;             // what is left of a per-device limit (count or bytes)
  int64_t limit = 0;                  // what is left of a global limit
  uint64_t fids_queued = 0;
  uint64_t bytes_queued = 0;
  int64_t time_started = 0;
  int64_t time_finished = 0;
  int64_t time_stopped = 0;
  int64_t time_latest_run = 0;
  int64_t time_latest_empty_run = 0;
  int64_t empty_runs = 0;
};

RebalanceState ParseRebalanceState(std::string_view text);
std::string FormatRebalanceState(const RebalanceState& state);

// Comma lists of device ids: empty members and non-numbers are skipped.
std::vector<DevId> ParseDevIdList(std::string_view text);
std::string FormatDevIdList(const std::vector<DevId>& ids);

}  // namespace mog::tracker
