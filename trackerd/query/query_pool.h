// The query workers: N threads, each with its own Store connection, fed from one unbounded
// FIFO. A slow query (sleep, a HEAD to a dead node, a DB lock wait) occupies one worker only;
// the listener keeps serving other clients.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "trackerd/query/command_table.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

struct QueryJob {
  std::string line;  // the request line as received (for !queue / !recent)
  std::string verb;
  std::string raw_args;
  std::string client_ip;
  // Called on a worker thread with the complete reply line.
  std::function<void(std::string reply)> done;
};

struct RecentQuery {
  std::string line;
  double seconds = 0;
};

class QueryPool {
 public:
  QueryPool(StoreFactory* factory, QueryServices* services, const CommandTable& table,
            int max_handles = 0);
  ~QueryPool();
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  // Grows or shrinks the worker set (≥ 1); !want N queryworker.
  void SetWorkers(int count);
  void Submit(QueryJob job);
  // Stops accepting work, lets running queries finish, joins the threads.
  void Stop();

  int desired() const;
  size_t live_workers() const;
  size_t pending() const;
  size_t processing() const;
  size_t bored() const;
  uint64_t queries() const;
  uint64_t times_out_of_workers() const;
  std::vector<std::string> PendingLines() const;
  std::vector<RecentQuery> Recent() const;

 private:
  void WorkerLoop(size_t index);
  std::string RunOne(std::unique_ptr<Store>& store, int& uses, const QueryJob& job);

  StoreFactory* factory_;
  QueryServices* services_;
  const CommandTable& table_;
  const int max_handles_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<QueryJob> queue_;
  std::vector<std::thread> threads_;
  std::vector<bool> retire_;  // per thread index: exit when idle
  int desired_ = 0;
  size_t live_ = 0;
  size_t processing_ = 0;
  bool stopping_ = false;
  uint64_t queries_ = 0;
  uint64_t out_of_workers_ = 0;
  std::deque<RecentQuery> recent_;
};

}  // namespace mog::tracker
