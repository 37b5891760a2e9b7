// Database writes a worker cannot act on when they fail (a lease renewal, a cleanup, a log
// row, a devcount refresh): the work itself is retried by its queue row or the next pass, so
// the failure is not fatal, but it is never silent either. Each one is logged with the worker
// and the fid, and counted; `!stats` shows the count as `worker_db_errors`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error/error.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

// Failed worker database calls since start-up (all workers of this process).
uint64_t WorkerDbErrors();

// Logs and counts one failed call: "<worker>: fid <fid>: <what> failed: <error>".
void NoteWorkerDbError(std::string_view worker, std::optional<Fid> fid, std::string_view what,
                       const Error& error);

// True when `r` succeeded; otherwise notes the failure and returns false.
template <typename T>
bool CheckedDb(const Result<T>& r, std::string_view worker, std::optional<Fid> fid,
               std::string_view what) {
  if (r) return true;
  NoteWorkerDbError(worker, fid, what, r.error());
  return false;
}

}  // namespace mog::tracker
