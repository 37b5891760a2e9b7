#include "storaged/iostat/iostat_monitor.h"

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>

#include "common/log/logging.h"
#include "storaged/docroot/docroot.h"
#include <sys/stat.h>

namespace mog::storage {

struct IostatMonitor::Subscription::Registry {
  std::mutex mutex;
  uint64_t next_id = 1;                    // GUARDED_BY(mutex)
  std::map<uint64_t, Listener> listeners;  // GUARDED_BY(mutex)
};

IostatMonitor::Subscription::Subscription(std::weak_ptr<Registry> registry, uint64_t id)
    : registry_(std::move(registry)), id_(id) {}

IostatMonitor::Subscription::Subscription(Subscription&& other) noexcept
    : registry_(std::move(other.registry_)), id_(std::exchange(other.id_, 0)) {}

IostatMonitor::Subscription& IostatMonitor::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    Reset();
    registry_ = std::move(other.registry_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

IostatMonitor::Subscription::~Subscription() { Reset(); }

void IostatMonitor::Subscription::Reset() {
  if (id_ == 0) return;
  if (auto registry = registry_.lock()) {
    std::lock_guard<std::mutex> lock(registry->mutex);
    registry->listeners.erase(id_);
  }
  id_ = 0;
  registry_.reset();
}

IostatMonitor::IostatMonitor(boost::asio::io_context& io, const Docroot& docroot,
                             std::chrono::milliseconds interval, std::string diskstats_path)
    : docroot_(docroot),
      interval_(interval),
      diskstats_path_(std::move(diskstats_path)),
      timer_(io),
      registry_(std::make_shared<Subscription::Registry>()) {}

IostatMonitor::~IostatMonitor() {
  Stop();
  sampler_.join();
}

void IostatMonitor::Start() {
  if (running_) return;
  running_ = true;
  Sample();
  Arm();
}

void IostatMonitor::Stop() {
  running_ = false;
  timer_.cancel();
  sampler_.stop();
}

IostatMonitor::Subscription IostatMonitor::Subscribe(Listener listener) {
  std::lock_guard<std::mutex> lock(registry_->mutex);
  uint64_t id = registry_->next_id++;
  registry_->listeners.emplace(id, std::move(listener));
  return Subscription(registry_, id);
}

void IostatMonitor::Arm() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;
    if (!sample_running_.exchange(true)) {
      boost::asio::post(sampler_, [this] {
        Sample();
        sample_running_ = false;
      });
    }
    Arm();
  });
}

void IostatMonitor::Sample() {
  // /proc files report size 0; read them as a stream. A few KiB, well under a millisecond:
  // fine on the event loop.
  std::ifstream in(diskstats_path_);
  std::stringstream text;
  text << in.rdbuf();
  DiskstatsSnapshot current = ParseDiskstats(text.str());
  auto now = std::chrono::steady_clock::now();
  double elapsed_ms = std::chrono::duration<double, std::milli>(now - previous_time_).count();

  std::vector<std::pair<uint64_t, std::string>> utils;
  for (const DocPath& device : docroot_.Devices()) {
    std::string util = "-";
    auto st = docroot_.Stat(device);
    if (st.ok() && have_previous_) {
      auto value = UtilPercent(previous_, current, st.value->st_dev, elapsed_ms);
      if (value) util = *value;
    }
    utils.emplace_back(device.devid, std::move(util));
  }
  previous_ = std::move(current);
  previous_time_ = now;
  bool first_sample = !have_previous_;
  have_previous_ = true;
  if (first_sample) return;  // no interval to measure yet

  auto block = std::make_shared<const std::string>(FormatWatchBlock(utils));
  std::vector<Listener> listeners;
  {
    // Copy, then call without the lock: a listener may drop the last reference to its
    // session, whose Subscription then takes the lock to unsubscribe.
    std::lock_guard<std::mutex> lock(registry_->mutex);
    for (const auto& [id, listener] : registry_->listeners) listeners.push_back(listener);
  }
  for (const Listener& listener : listeners) listener(block);
}

}  // namespace mog::storage
