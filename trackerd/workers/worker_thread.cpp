#include "trackerd/workers/worker_thread.h"

#include <pthread.h>
#include <unistd.h>

#include <exception>

#include "common/log/logging.h"

namespace mog::tracker {

void WorkerThread::Start(const char* name, std::function<void(WorkerThread&)> body) {
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  // Upstream respawns a dead worker; here a worker whose loop throws is logged and restarted
  // after a second instead of taking the tracker down.
  thread_ = std::thread([this, name, body = std::move(body)] {
    pthread_setname_np(pthread_self(), name);
    tid_ = gettid();
    struct ClearTid {
      std::atomic<pid_t>& tid;
      ~ClearTid() { tid = 0; }
    } clear{tid_};
    while (!stopping()) {
      try {
        body(*this);
        return;
      } catch (const std::exception& e) {
        Logger("workers")->error("worker loop failed, restarting in 1 s: {}", e.what());
      }
      if (!SleepFor(std::chrono::seconds(1))) return;
    }
  });
}

void WorkerThread::RequestStop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

void WorkerThread::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

bool WorkerThread::stopping() const {
  std::lock_guard lock(mu_);
  return stop_;
}

bool WorkerThread::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return stop_ || wake_; });
  wake_ = false;
  return !stop_;
}

void WorkerThread::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

std::unique_ptr<Store> ConnectStore(StoreFactory& factory, WorkerThread& thread,
                                    const std::string& who) {
  bool logged = false;
  while (!thread.stopping()) {
    auto store = factory.Create();
    if (store) return std::move(*store);
    if (!logged) {
      Logger(who)->warn("cannot connect to the database (retrying every second): {}",
                        store.error().message());
      logged = true;
    }
    if (!thread.SleepFor(std::chrono::seconds(1))) break;
  }
  return nullptr;
}

}  // namespace mog::tracker
