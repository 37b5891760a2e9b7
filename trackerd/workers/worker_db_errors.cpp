#include "trackerd/workers/worker_db_errors.h"

#include <atomic>

#include "common/log/logging.h"

namespace mog::tracker {
namespace {

std::atomic<uint64_t> g_worker_db_errors{0};

}  // namespace

uint64_t WorkerDbErrors() { return g_worker_db_errors.load(std::memory_order_relaxed); }

void NoteWorkerDbError(std::string_view worker, std::optional<Fid> fid, std::string_view what,
                       const Error& error) {
  g_worker_db_errors.fetch_add(1, std::memory_order_relaxed);
  if (fid) {
    Logger(std::string(worker))->warn("fid {}: {} failed: {}", *fid, what, error.message());
  } else {
    Logger(std::string(worker))->warn("{} failed: {}", what, error.message());
  }
}

}  // namespace mog::tracker
