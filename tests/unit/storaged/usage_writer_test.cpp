// UsageWriter in-process with a fake mountinfo: device and disk come from the mount table,
// numbers from statvfs of the dev<N> directory.
#include "storaged/usage/usage_writer.h"

#include <string>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "storaged/docroot/docroot.h"
#include "storaged/usage/usage_format.h"
#include "tests/support/temp_dir.h"
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace mog::storage {
namespace {

TEST(UsageWriterTest, DeviceAndDiskFromTheMountTableNumbersFromStatvfs) {
  test::TempDir dir("usagewriter");
  const std::string root = dir.Sub("docroot");
  ASSERT_EQ(mkdir(root.c_str(), 0755), 0);
  ASSERT_EQ(mkdir((root + "/dev4").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((root + "/dev5").c_str(), 0755), 0);
  struct stat st {};
  ASSERT_EQ(stat((root + "/dev4").c_str(), &st), 0);
  char real[PATH_MAX];
  ASSERT_NE(realpath((root + "/dev4").c_str(), real), nullptr);
  const std::string dev4 = real;
  const std::string dm = std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
  // dev4 "is" a mount of /dev/fake0 (a mount point ending in dev4); dev5 falls under "/".
  test::WriteFile(dir.Sub("mountinfo"), "1 0 " + dm + " / / rw - ext4 /dev/rootdisk rw\n" + "2 1 " +
                                            dm + " / " + dev4 +
                                            " rw shared:1 - xfs /dev/fake0 rw\n");

  Docroot docroot(root);
  boost::asio::io_context io;
  UsageWriter writer(io, docroot, std::chrono::seconds(10), dir.Sub("mountinfo"));
  const time_t before = std::time(nullptr);
  ASSERT_EQ(writer.WriteAll(), 2);

  struct statvfs fs {};
  ASSERT_EQ(statvfs((root + "/dev4").c_str(), &fs), 0);
  DfFigures df = DfFromStatvfs(fs, "", "");
  std::string text4 = test::ReadFileOrEmpty(root + "/dev4/usage");
  EXPECT_NE(text4.find("device: " + DfDeviceColumn("/dev/fake0", df.size_kib) + "\n"),
            std::string::npos)
      << text4;
  EXPECT_NE(text4.find("disk: " + dev4 + "\n"), std::string::npos) << text4;
  std::string text5 = test::ReadFileOrEmpty(root + "/dev5/usage");
  EXPECT_NE(text5.find("device: " + DfDeviceColumn("/dev/rootdisk", df.size_kib) + "\n"),
            std::string::npos)
      << text5;
  EXPECT_NE(text5.find("disk: " + root + "/dev5\n"), std::string::npos) << text5;

  // The figures are the statvfs ones (give or take concurrent writers on this disk).
  unsigned long long used = 0, available = 0, total = 0;
  long long when = 0;
  ASSERT_EQ(
      std::sscanf(text5.substr(text5.find("available: ")).c_str(), "available: %llu", &available),
      1);
  ASSERT_EQ(std::sscanf(text5.substr(text5.find("total: ")).c_str(), "total: %llu", &total), 1);
  ASSERT_EQ(std::sscanf(text5.substr(text5.find("used: ")).c_str(), "used: %llu", &used), 1);
  ASSERT_EQ(std::sscanf(text5.substr(text5.find("time: ")).c_str(), "time: %lld", &when), 1);
  EXPECT_EQ(total, used + available);
  EXPECT_LT(std::llabs(static_cast<long long>(used) - static_cast<long long>(df.used_kib)),
            2LL << 20);
  EXPECT_GE(when, before);

  // Rewriting replaces the file whole; nothing else appears in the directory.
  ASSERT_EQ(writer.WriteAll(), 2);
  EXPECT_EQ(access((root + "/dev4/.usage." + std::to_string(getpid()) + ".tmp").c_str(), F_OK), -1);
}

TEST(UsageWriterTest, MissingDocrootWritesNothingAndDoesNotThrow) {
  test::TempDir dir("usagewriter");
  Docroot docroot(dir.Sub("absent"));
  boost::asio::io_context io;
  UsageWriter writer(io, docroot, std::chrono::seconds(10));
  EXPECT_EQ(writer.WriteAll(), 0);
}

}  // namespace
}  // namespace mog::storage
