#include "storaged/docroot/stale_temp_sweeper.h"

#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace mog::storage {
namespace {

using mog::test::TempDir;

TEST(StaleTempSweeperTest, RecognisesOnlyUploadTempNames) {
  EXPECT_TRUE(IsUploadTempName(".0000000005.fid.0123456789abcdef.tmp"));
  EXPECT_TRUE(IsUploadTempName(".test-write-123.ffffffffffffffff.tmp"));
  EXPECT_FALSE(IsUploadTempName("0000000005.fid"));
  EXPECT_FALSE(IsUploadTempName(".0000000005.fid.0123456789ABCDEF.tmp")) << "upper-case hex";
  EXPECT_FALSE(IsUploadTempName(".0000000005.fid.0123456789abcde.tmp")) << "15 hex digits";
  EXPECT_FALSE(IsUploadTempName("0000000005.fid.0123456789abcdef.tmp")) << "not hidden";
  EXPECT_FALSE(IsUploadTempName(".0123456789abcdef.tmp")) << "no target name";
  EXPECT_FALSE(IsUploadTempName(".notes.tmp"));
  EXPECT_FALSE(IsUploadTempName(".0000000005.fid.0123456789abcdef.tmpx"));
}

class SweepTest : public ::testing::Test {
 protected:
  // A file with the given mtime (seconds since the epoch).
  std::string Make(const std::string& relative, std::time_t mtime) {
    const std::string path = dir_.Sub(relative);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::FILE* f = std::fopen(path.c_str(), "w");
    EXPECT_NE(f, nullptr) << path;
    if (f) {
      std::fputs("partial", f);
      std::fclose(f);
    }
    struct utimbuf times {
      mtime, mtime
    };
    EXPECT_EQ(::utime(path.c_str(), &times), 0);
    return path;
  }
  static bool Exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
  }

  TempDir dir_{"sweep"};
  std::atomic<bool> stop_{false};
  const std::time_t start_ = std::time(nullptr);
  const SweepClock::time_point cutoff_ = SweepClock::from_time_t(start_);
};

TEST_F(SweepTest, RemovesOnlyTempsOlderThanTheCutoffBelowDevices) {
  const std::time_t old = start_ - 3600;
  const auto stale = Make("dev1/0/000/000/.0000000005.fid.0123456789abcdef.tmp", old);
  const auto stale2 = Make("dev22/0/001/234/.0001234567.fid.fedcba9876543210.tmp", old);
  const auto finished = Make("dev1/0/000/000/0000000005.fid", old);
  const auto in_progress = Make("dev1/0/000/000/.0000000006.fid.0123456789abcdef.tmp", start_ + 5);
  const auto other_hidden = Make("dev1/0/000/000/.keepme.tmp", old);
  const auto outside = Make("notadev/.0000000005.fid.0123456789abcdef.tmp", old);

  const SweepStats stats = SweepStaleTemps(dir_.path(), cutoff_, stop_);
  EXPECT_EQ(stats.removed, 2u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_FALSE(Exists(stale));
  EXPECT_FALSE(Exists(stale2));
  EXPECT_TRUE(Exists(finished));
  EXPECT_TRUE(Exists(in_progress));
  EXPECT_TRUE(Exists(other_hidden));
  EXPECT_TRUE(Exists(outside)) << "only dev<N> trees are walked";
}

TEST_F(SweepTest, FollowsADeviceSymlinkButNoLinkBelowIt) {
  TempDir disk{"sweepdisk"};
  TempDir elsewhere{"sweepelse"};
  const std::time_t old = start_ - 3600;
  std::filesystem::create_directories(disk.Sub("0/000/000"));
  std::filesystem::create_directory_symlink(disk.path(), dir_.Sub("dev3"));
  const std::string on_disk = disk.Sub("0/000/000/.0000000007.fid.0123456789abcdef.tmp");
  Make("dev3/0/000/000/.0000000007.fid.0123456789abcdef.tmp", old);
  // A link planted below dev3 pointing out of it: the walk must not enter it.
  const std::string victim = elsewhere.Sub(".0000000008.fid.0123456789abcdef.tmp");
  {
    std::FILE* f = std::fopen(victim.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
    struct utimbuf times {
      old, old
    };
    ASSERT_EQ(::utime(victim.c_str(), &times), 0);
  }
  std::filesystem::create_directory_symlink(elsewhere.path(), disk.Sub("0/escape"));

  const SweepStats stats = SweepStaleTemps(dir_.path(), cutoff_, stop_);
  EXPECT_EQ(stats.removed, 1u);
  EXPECT_FALSE(Exists(on_disk));
  EXPECT_TRUE(Exists(victim));
}

TEST_F(SweepTest, StopsWhenAsked) {
  const auto stale = Make("dev1/0/000/000/.0000000005.fid.0123456789abcdef.tmp", start_ - 60);
  stop_ = true;
  const SweepStats stats = SweepStaleTemps(dir_.path(), cutoff_, stop_);
  EXPECT_EQ(stats.removed, 0u);
  EXPECT_TRUE(Exists(stale));
}

}  // namespace
}  // namespace mog::storage
