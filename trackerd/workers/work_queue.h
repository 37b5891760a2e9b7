// The hand-off between the JobMaster (which claims queue rows from the database) and the
// worker threads that process them: a closable, thread-safe FIFO.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace mog::tracker {

template <typename T>
class WorkQueue {
 public:
  void Push(std::vector<T> items) {
    {
      std::lock_guard lock(mu_);
      for (auto& item : items) items_.push_back(std::move(item));
    }
    cv_.notify_all();
  }
  // Waits up to `timeout` for an item; nullopt on timeout or once closed.
  std::optional<T> Pop(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); });
    if (closed_ || items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }
  void Close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace mog::tracker
