// IostatMonitor against a fake /proc/diskstats, sampled by hand (no timer, no sleeps), so
// utilisation is deterministic: no I/O -> 0.00, more busy time than wall time -> 100.00,
// device not listed -> "-".
#include "storaged/iostat/iostat_monitor.h"

#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "storaged/docroot/docroot.h"
#include "tests/support/temp_dir.h"
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace mog::storage {
namespace {

class IostatMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.Sub("docroot");
    ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
    for (const char* dev : {"/dev1", "/dev10", "/dev2"}) {
      ASSERT_EQ(mkdir((root_ + dev).c_str(), 0755), 0);
    }
    struct stat st {};
    ASSERT_EQ(stat((root_ + "/dev1").c_str(), &st), 0);
    device_ = std::to_string(major(st.st_dev)) + " " + std::to_string(minor(st.st_dev));
    diskstats_ = dir_.Sub("diskstats");
  }

  void SetTicks(unsigned long long io_ticks) {
    test::WriteFile(diskstats_, "   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0\n" + device_ +
                                    " fake 1 0 8 1 1 0 8 1 0 " + std::to_string(io_ticks) +
                                    " 2 0 0 0 0\n");
  }
  void RemoveDevice() { test::WriteFile(diskstats_, "   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0\n"); }

  test::TempDir dir_{"iostat"};
  std::string root_;
  std::string diskstats_;
  std::string device_;  // "major minor" of the temp dir's filesystem
};

TEST_F(IostatMonitorTest, ReportsUtilisationPerDeviceFromDiskstats) {
  Docroot docroot(root_);
  boost::asio::io_context io;
  IostatMonitor monitor(io, docroot, std::chrono::seconds(1), diskstats_);
  std::vector<std::string> blocks;
  auto subscription = monitor.Subscribe(
      [&blocks](std::shared_ptr<const std::string> block) { blocks.push_back(*block); });

  SetTicks(1000);
  monitor.Sample();
  EXPECT_TRUE(blocks.empty()) << "a first sample has no interval to report on";

  monitor.Sample();  // no busy time since: idle. Devices sorted numerically.
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks.back(), "1\t0.00\n2\t0.00\n10\t0.00\n.\n");

  SetTicks(1000 + 3600 * 1000);  // an hour of busy time within one interval: capped
  monitor.Sample();
  EXPECT_EQ(blocks.back(), "1\t100.00\n2\t100.00\n10\t100.00\n.\n");

  RemoveDevice();
  monitor.Sample();
  EXPECT_EQ(blocks.back(), "1\t-\n2\t-\n10\t-\n.\n");

  subscription.Reset();
  monitor.Sample();
  EXPECT_EQ(blocks.size(), 3u) << "delivered after unsubscribing";
}

TEST_F(IostatMonitorTest, MissingDiskstatsGivesDashes) {
  Docroot docroot(root_);
  boost::asio::io_context io;
  IostatMonitor monitor(io, docroot, std::chrono::seconds(1), dir_.Sub("absent"));
  std::vector<std::string> blocks;
  auto subscription = monitor.Subscribe(
      [&blocks](std::shared_ptr<const std::string> block) { blocks.push_back(*block); });
  monitor.Sample();
  monitor.Sample();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks.back(), "1\t-\n2\t-\n10\t-\n.\n");
}

}  // namespace
}  // namespace mog::storage
