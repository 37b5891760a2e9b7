// One background thread with a cooperative stop: loops sleep through SleepFor, which returns
// early (false) once Stop() was called, so shutdown never waits out an idle interval.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "trackerd/store/store.h"

namespace mog::tracker {

class WorkerThread {
 public:
  WorkerThread() = default;
  ~WorkerThread() { Stop(); }
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  // Runs `body` on a new thread; if it throws, the error is logged and `body` runs again
  // after a second (until stopped).
  // `name` (at most 15 characters) is the thread's name in `top -H` / `ps -L`, as upstream's
  // worker processes show their job in ps.
  void Start(const char* name, std::function<void(WorkerThread&)> body);
  // Asks the loop to end and joins it. Idempotent.
  void Stop();
  void RequestStop();
  bool stopping() const;
  // Sleeps up to `d`; false if a stop was requested (before or during the sleep). A Wake()
  // ends the sleep early (returning true) so the loop looks for work at once.
  bool SleepFor(std::chrono::milliseconds d);
  void Wake();
  // The kernel thread id while the body runs (what `!jobs` lists as the worker's "pid"),
  // else 0.
  pid_t tid() const { return tid_.load(); }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool wake_ = false;
  std::atomic<pid_t> tid_{0};
  std::thread thread_;
};

// Connects a Store for a worker thread, retrying every second (the DB may be down at start);
// nullptr only when the thread is stopping.
std::unique_ptr<Store> ConnectStore(StoreFactory& factory, WorkerThread& thread,
                                    const std::string& who);

}  // namespace mog::tracker
