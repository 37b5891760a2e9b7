// Device utilisation for the side channel's `watch` command. Once a second the monitor reads
// /proc/diskstats, turns each block device's io_ticks delta into an iostat-style %util
// ("12.34") and maps every dev<N> directory to its block device through the st_dev of that
// directory. Devices that cannot be mapped (tmpfs, overlay, a device missing from diskstats)
// report "-", as upstream does when iostat does not list them. No iostat process is run.
// Samples are taken on a private thread: stat() of a device directory on a hung disk must
// not stall the event loop.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "storaged/iostat/diskstats.h"

namespace mog::storage {

class Docroot;

class IostatMonitor {
 public:
  // Receives one complete `watch` block ("1\t12.34\n2\t-\n.\n"). Called on the monitor's
  // sampling thread; the listener must not block (sessions post to their own strand).
  using Listener = std::function<void(std::shared_ptr<const std::string> block)>;

  // Unsubscribes when destroyed or Reset; safe to outlive the monitor. A delivery that was
  // already under way may still arrive once afterwards: listeners must tolerate that.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription();
    void Reset();

   private:
    friend class IostatMonitor;
    struct Registry;
    Subscription(std::weak_ptr<Registry> registry, uint64_t id);
    std::weak_ptr<Registry> registry_;
    uint64_t id_ = 0;
  };

  IostatMonitor(boost::asio::io_context& io, const Docroot& docroot,
                std::chrono::milliseconds interval = std::chrono::seconds(1),
                std::string diskstats_path = "/proc/diskstats");
  ~IostatMonitor();
  IostatMonitor(const IostatMonitor&) = delete;
  IostatMonitor& operator=(const IostatMonitor&) = delete;

  void Start();  // first sample now (all "-"), first real figures after one interval
  void Stop();

  Subscription Subscribe(Listener listener);

  // Takes one sample now and, if there is an earlier one to compare with, delivers a block
  // to the listeners on the calling thread. The timer calls this; tests call it directly.
  void Sample();

 private:
  void Arm();

  const Docroot& docroot_;
  std::chrono::milliseconds interval_;
  std::string diskstats_path_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<Subscription::Registry> registry_;
  boost::asio::thread_pool sampler_{1};
  std::atomic<bool> sample_running_{false};
  DiskstatsSnapshot previous_;
  std::chrono::steady_clock::time_point previous_time_;
  bool have_previous_ = false;
  bool running_ = false;
};

}  // namespace mog::storage
