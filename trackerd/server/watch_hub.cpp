#include "trackerd/server/watch_hub.h"

#include "common/log/logging.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "trackerd/server/client_session.h"

namespace mog::tracker {

class WatchHub::Sink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit Sink(WatchHub* hub) : hub_(hub) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string text(msg.payload.data(), msg.payload.size());
    // One line per record: the stream is line-oriented.
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::replace(text.begin(), text.end(), '\r', ' ');
    // Upstream prefixes a worker's line with its job and pid: "[fsck(1234)] …"; ours name the
    // component and the thread.
    hub_->Broadcast("[" + std::string(msg.logger_name.data(), msg.logger_name.size()) + "(" +
                    std::to_string(msg.thread_id) + ")] " + text);
  }
  void flush_() override {}

 private:
  WatchHub* hub_;
};

WatchHub::WatchHub() : sink_(std::make_shared<Sink>(this)) {}

void WatchHub::AttachSinkToLoggers() {
  // Through the process-wide fan-out sink: also reaches loggers created after this call.
  AddLogSink(sink_);
}

bool WatchHub::Toggle(const std::shared_ptr<ClientSession>& session) {
  bool added = false;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(watchers_.begin(), watchers_.end(), [&](const auto& w) {
      return w.lock() == session;
    });
    if (it != watchers_.end()) {
      watchers_.erase(it);
    } else {
      watchers_.push_back(session);
      added = true;
    }
  }
  if (added) AttachSinkToLoggers();
  return added;
}

void WatchHub::Broadcast(const std::string& message) {
  std::vector<std::shared_ptr<ClientSession>> live;
  {
    std::lock_guard lock(mu_);
    std::erase_if(watchers_, [](const auto& w) { return w.expired(); });
    for (auto& w : watchers_) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->SendWatchLine(":: " + message + "\r\n");
}

}  // namespace mog::tracker
