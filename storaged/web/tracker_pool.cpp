#include "storaged/web/tracker_pool.h"

namespace mog::storage::web {

TrackerPool::TrackerPool(std::vector<std::string> trackers, client::TrackerOptions options,
                         size_t max_idle)
    : trackers_(std::move(trackers)), options_(options), max_idle_(max_idle) {}

std::unique_ptr<client::TrackerConnection> TrackerPool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  return std::make_unique<client::TrackerConnection>(trackers_, options_);
}

void TrackerPool::Release(std::unique_ptr<client::TrackerConnection> conn) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
}

}  // namespace mog::storage::web
