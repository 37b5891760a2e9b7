// `!watch`: clients that asked to see the tracker's log lines as `:: <message>\r\n`.
// A spdlog sink attached to the component loggers forwards each record to every watcher.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include <spdlog/sinks/base_sink.h>

namespace mog::tracker {

class ClientSession;

class WatchHub {
 public:
  WatchHub();
  // Adds `session` if absent (returns true), else removes it (returns false).
  bool Toggle(const std::shared_ptr<ClientSession>& session);
  void Broadcast(const std::string& message);

 private:
  class Sink;
  void AttachSinkToLoggers();

  std::mutex mu_;
  std::vector<std::weak_ptr<ClientSession>> watchers_;
  std::shared_ptr<spdlog::sinks::sink> sink_;
};

}  // namespace mog::tracker
