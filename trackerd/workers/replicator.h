// Replication of one fid (tracker.md §6.3): under `mgfs:fid:<fid>:replicate`, loop on the
// class's replication policy, copy from a readable source to the suggested destination with a
// streamed GET→PUT through the tracker (never the whole file in memory), verify the new copy
// (length, and digest when the class or a stored checksum has one) before recording it in
// file_on, then settle the queue row: satisfied → dequeued, no copy anywhere → parked, else
// the backoff schedule. Over-replicated fids lose surplus copies that the policy can spare.
//
// Rebalance items (file_to_queue type 2, §6.8) move one copy off a source device: replicate
// with that copy masked from the policy and destinations limited to the item's candidates, then
// delete the source copy, but only once the copies that stay pass a HEAD size check and
// satisfy the policy on their own (replicator_rebalance.cpp).
#pragma once

#include <optional>
#include <set>
#include <string>

#include "trackerd/nodes/node_client.h"
#include "trackerd/placement/fid_policy.h"
#include "trackerd/placement/random_source.h"
#include "trackerd/placement/replication_policy.h"
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

enum class RebalanceResult {
  kMoved,        // copies elsewhere satisfy the policy and the source copy is gone: row deleted
  kNothingToDo,  // the file is gone or the source no longer holds it: row deleted
  kKeptSource,   // not safely movable now (copy failed, no destination, unverified copies,
                 // DELETE refused): source kept, retried with backoff, given up after
                 // kRebalanceMaxAttempts
  kBusy,         // another worker holds the fid lock: retried shortly
  kDbError,      // a database call failed: the lease brings the row back
};

struct RebalanceOutcome {
  RebalanceResult result = RebalanceResult::kKeptSource;
  int copies_made = 0;
  std::string why;  // for logs when not kMoved
};

// Tries per rebalance item before its row is dropped (upstream tries once); the source copy
// always stays when an item is dropped.
inline constexpr int kRebalanceMaxAttempts = 5;

class Replicator {
 public:
  Replicator(Store& store, NodeClient& nodes, const WorkerOptions& options,
             RandomSource& random = GlobalRandom());

  // Replicates `row.fid` and updates its file_to_replicate row.
  ReplicateOutcome Process(const ClusterSnapshot& snap, const ReplicateQueueRow& row);

  // Moves `row.fid` off `row.devid` (a rebalance item) and updates its file_to_queue row.
  RebalanceOutcome ProcessRebalance(const ClusterSnapshot& snap, const QueueRow& row);

 private:
  struct FidContext {
    FileRow file;
    std::vector<DevId> on;  // non-dead devices known to hold the fid (and count for the policy)
    std::optional<ChecksumRow> checksum;
    FidPolicy rule;  // class policy, mindevcount, hashtype
    std::optional<DigestAlg> alg;
  };
  ReplicateOutcome Replicate(const ClusterSnapshot& snap, const ReplicateQueueRow& row);
  RebalanceOutcome MoveOff(const ClusterSnapshot& snap, Fid fid, DevId source,
                           const std::vector<DevId>& targets);
  // ctx.rule for ctx.file; the error text when the class's policy does not parse.
  std::optional<std::string> LoadPolicy(const ClusterSnapshot& snap, FidContext& ctx);
  // The stored checksum row and the digest algorithm copies are checked with.
  Result<void> LoadChecksum(FidContext& ctx);
  // The copies among `devids` that a HEAD finds with the file's length.
  std::vector<DevId> VerifiedCopies(const ClusterSnapshot& snap, const FidContext& ctx,
                                    const std::vector<DevId>& devids);
  // Copies src -> dst and verifies it; on success the copy is in file_on. Sets
  // `source_side` to blame the source on failure, and `database` when the copy was good but
  // could not be recorded (it is then removed again: the database, not dst, is the problem,
  // so trying other destinations would only leave more unrecorded copies).
  bool CopyOne(const ClusterSnapshot& snap, FidContext& ctx, DevId src, DevId dst,
               bool* source_side, std::string* error, bool* database);
  // Deletes surplus copies while the policy says over-replicated; returns how many.
  int TrimSurplus(const ClusterSnapshot& snap, FidContext& ctx);
  void RecordDevcount(const ClusterSnapshot& snap, Fid fid);

  Store& store_;
  NodeClient& nodes_;
  const WorkerOptions& options_;
  RandomSource& random_;
};

}  // namespace mog::tracker
