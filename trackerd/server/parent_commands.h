// The listener's own `!` commands (tracker.md §1.6): !stats, !jobs, !want, !to, !queue,
// !watch, !recent, !version, !shutdown and the help text. Replies are text lines joined by
// "\r\n" and ended by ".\r\n".
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace mog::tracker {

class ClientSession;
class QueryPool;
class WatchHub;
class WorkerSet;

class ParentCommands {
 public:
  // `workers` (may be null) runs every job class but queryworker.
  ParentCommands(QueryPool* pool, WatchHub* watch, WorkerSet* workers,
                 std::function<void()> shutdown, std::function<bool()> monitor_ready);

  std::string Run(const std::string& name, const std::string& args,
                  const std::shared_ptr<ClientSession>& session);

 private:
  std::string Stats() const;
  std::string Jobs() const;
  std::string Want(const std::string& args);
  std::string To(const std::string& args);

  QueryPool* pool_;
  WatchHub* watch_;
  WorkerSet* workers_;
  std::function<void()> shutdown_;
  std::function<bool()> monitor_ready_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace mog::tracker
