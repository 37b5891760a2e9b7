// IostatMonitor in-process against a fake /proc/diskstats, so utilisation is deterministic:
// no I/O -> 0.00, more busy time than wall time -> 100.00, device not listed -> "-".
#include "storaged/iostat/iostat_monitor.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "storaged/docroot/docroot.h"
#include "tests/support/temp_dir.h"

namespace mog::storage {
namespace {

using namespace std::chrono_literals;

class IostatMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.Sub("docroot");
    ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(mkdir((root_ + "/dev1").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((root_ + "/dev10").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((root_ + "/dev2").c_str(), 0755), 0);
    struct stat st {};
    ASSERT_EQ(stat((root_ + "/dev1").c_str(), &st), 0);
    major_ = major(st.st_dev);
    minor_ = minor(st.st_dev);
    diskstats_ = dir_.Sub("diskstats");
    SetTicks(1000);
  }

  void SetTicks(unsigned long long io_ticks) {
    test::WriteFile(diskstats_, "   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0\n" +
                                    std::to_string(major_) + " " + std::to_string(minor_) +
                                    " fake 1 0 8 1 1 0 8 1 0 " + std::to_string(io_ticks) +
                                    " 2 0 0 0 0\n");
  }
  void RemoveDevice() { test::WriteFile(diskstats_, "   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0\n"); }

  // Next block delivered to the subscriber (or "" after `timeout`).
  std::string NextBlock(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return !blocks_.empty(); });
    if (blocks_.empty()) return "";
    std::string b = blocks_.front();
    blocks_.pop_front();
    return b;
  }
  void Clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    blocks_.clear();
  }

  test::TempDir dir_{"iostat"};
  std::string root_;
  std::string diskstats_;
  unsigned major_ = 0;
  unsigned minor_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> blocks_;
};

TEST_F(IostatMonitorTest, ReportsUtilisationPerDeviceFromDiskstats) {
  Docroot docroot(root_);
  boost::asio::io_context io;
  IostatMonitor monitor(io, docroot, 100ms, diskstats_);
  auto subscription = monitor.Subscribe([this](std::shared_ptr<const std::string> block) {
    std::lock_guard<std::mutex> lock(mutex_);
    blocks_.push_back(*block);
    cv_.notify_all();
  });
  monitor.Start();
  std::thread runner([&io] { io.run(); });

  // All three devices live on the temp dir's filesystem; sorted numerically.
  EXPECT_EQ(NextBlock(), "1\t0.00\n2\t0.00\n10\t0.00\n.\n");

  SetTicks(1000 + 3600 * 1000);  // an hour of busy time within one interval: capped
  Clear();
  std::string block;
  for (int i = 0; i < 5 && block.find("100.00") == std::string::npos; ++i) block = NextBlock();
  EXPECT_EQ(block, "1\t100.00\n2\t100.00\n10\t100.00\n.\n");

  RemoveDevice();
  Clear();
  for (int i = 0; i < 5 && block.find('-') == std::string::npos; ++i) block = NextBlock();
  EXPECT_EQ(block, "1\t-\n2\t-\n10\t-\n.\n");

  subscription.Reset();
  // A delivery already under way when Reset ran may still land: let it, then listen.
  std::this_thread::sleep_for(300ms);
  Clear();
  // Ten intervals of silence.
  EXPECT_EQ(NextBlock(1s), "") << "delivered after unsubscribing";

  boost::asio::post(io, [&monitor] { monitor.Stop(); });
  runner.join();  // Stop leaves no work: run() returns
}

}  // namespace
}  // namespace mog::storage
