// Replication of one fid (tracker.md §6.3): under `mgfs:fid:<fid>:replicate`, loop on the
// class's replication policy, copy from a readable source to the suggested destination with a
// streamed GET→PUT through the tracker (never the whole file in memory), verify the new copy
// (length, and digest when the class or a stored checksum has one) before recording it in
// file_on, then settle the queue row: satisfied → dequeued, no copy anywhere → parked, else
// the backoff schedule. Over-replicated fids lose surplus copies that the policy can spare.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "trackerd/nodes/node_client.h"
#include "trackerd/placement/random_source.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/worker_options.h"

namespace mog::tracker {

enum class ReplicateResult {
  kDone,     // policy satisfied (or the file is gone): queue row deleted
  kBackoff,  // rescheduled with the backoff schedule
  kParked,   // no copy anywhere: nexttry = kNextTryNever
  kBusy,     // another worker holds the fid lock: retried shortly
  kDbError,  // a database call failed: the lease brings the row back
};

struct ReplicateOutcome {
  ReplicateResult result = ReplicateResult::kBackoff;
  int copies_made = 0;
  int copies_deleted = 0;
  std::string why;  // for logs when not kDone
};

class Replicator {
 public:
  Replicator(Store& store, NodeClient& nodes, const WorkerOptions& options,
             RandomSource& random = GlobalRandom());

  // Replicates `row.fid` and updates its file_to_replicate row.
  ReplicateOutcome Process(const ClusterSnapshot& snap, const ReplicateQueueRow& row);

 private:
  struct FidContext;
  ReplicateOutcome Replicate(const ClusterSnapshot& snap, const ReplicateQueueRow& row);
  // Copies src -> dst and verifies it; on success the copy is in file_on. Sets
  // `source_side` to blame the source on failure.
  bool CopyOne(const ClusterSnapshot& snap, FidContext& ctx, DevId src, DevId dst,
               bool* source_side, std::string* error);
  // Deletes surplus copies while the policy says over-replicated; returns how many.
  int TrimSurplus(const ClusterSnapshot& snap, FidContext& ctx);
  void RecordDevcount(const ClusterSnapshot& snap, Fid fid);

  Store& store_;
  NodeClient& nodes_;
  const WorkerOptions& options_;
  RandomSource& random_;
};

}  // namespace mog::tracker
