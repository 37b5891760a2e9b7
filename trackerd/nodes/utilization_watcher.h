// One `watch` subscription per storage host on the management side channel (port
// mogstored_stream_port): mogstored streams "<devid>\t<util>\n ... .\n" blocks about once a
// second; each completed block is handed to the callback. Reconnects at once after a clean
// disconnect and `retry_after_error` (60 s) after a failure, like upstream.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace mog::tracker {

class UtilizationWatcher {
 public:
  // (host ip, devid → utilization text) for every completed block.
  using Callback = std::function<void(const std::string& ip,
                                      const std::map<uint32_t, std::string>& utilization)>;
  struct Options {
    uint16_t port = 7501;
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds retry_after_error{60000};
    // A subscription silent this long is treated as broken (mogstored writes every ~1 s).
    std::chrono::milliseconds idle_timeout{30000};
  };

  UtilizationWatcher(Options options, Callback callback);
  ~UtilizationWatcher();
  UtilizationWatcher(const UtilizationWatcher&) = delete;
  UtilizationWatcher& operator=(const UtilizationWatcher&) = delete;

  // The hosts to watch now: new ones get a subscription, missing ones are closed.
  void SetHosts(const std::set<std::string>& ips);
  // Number of live subscriptions (test hook).
  size_t TEST_connected() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mog::tracker
