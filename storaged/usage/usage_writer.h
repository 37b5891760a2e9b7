// Writes <docroot>/dev<N>/usage for every dev<N> at start and then every `period` (10 s in
// mogstored), the capacity report the tracker's monitor polls over HTTP. Figures come from
// statvfs on the dev<N> directory (no df process); the `device` column and mount point come
// from /proc/self/mountinfo. Each file is replaced by write-temp-then-rename, so a reader
// sees either the old or the new complete text, never an empty or partial file.
// The periodic passes run on a private thread, not the event loop: statvfs on a dying or
// hung disk can block for a long time, and must not stall HTTP or the side channel.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

namespace mog::storage {

class Docroot;

class UsageWriter {
 public:
  UsageWriter(boost::asio::io_context& io, const Docroot& docroot, std::chrono::seconds period,
              std::string mountinfo_path = "/proc/self/mountinfo");
  ~UsageWriter();
  UsageWriter(const UsageWriter&) = delete;
  UsageWriter& operator=(const UsageWriter&) = delete;

  void Start();  // writes now (on the calling thread), then every period
  void Stop();

  // One pass over all devices; returns how many usage files were written. Errors are logged
  // per device and do not stop the other devices.
  int WriteAll();

 private:
  void Arm();

  const Docroot& docroot_;
  std::chrono::seconds period_;
  std::string mountinfo_path_;
  boost::asio::steady_timer timer_;
  boost::asio::thread_pool worker_{1};
  std::atomic<bool> pass_running_{false};  // a slow pass is not queued up behind itself
  bool running_ = false;
};

}  // namespace mog::storage
