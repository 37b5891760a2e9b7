// The usage file's numbers and bytes, checked against what upstream produced from df output.
#include "storaged/usage/usage_format.h"

#include <string>

#include <gtest/gtest.h>

namespace mog::storage {
namespace {

// Observed upstream file for `df -P -l -k` printing
// "/dev/vda        100337188 17535316  82801872      18% /".
TEST(UsageFormatTest, MatchesTheObservedUpstreamFile) {
  DfFigures df;
  df.filesystem = "/dev/vda";
  df.size_kib = 100337188;
  df.used_kib = 17535316;
  df.available_kib = 82801872;
  df.capacity = "18%";
  df.mount_point = "/";
  UsageReport report = MakeUsageReport(df, "/tmp/mogroot", "dev1", 1795607920);
  EXPECT_EQ(FormatUsageFile(report),
            "available: 82801872\n"
            "device: /dev/vda        \n"
            "disk: /tmp/mogroot/dev1\n"
            "time: 1795607920\n"
            "total: 100337188\n"
            "use: 18%\n"
            "used: 17535316\n");
}

TEST(UsageFormatTest, TotalIsUsedPlusAvailableNotTheSizeColumn) {
  DfFigures df{"/dev/sdb1", 1000, 300, 600, "34%", "/var/mogdata/dev3"};
  UsageReport report = MakeUsageReport(df, "/var/mogdata", "dev3", 1);
  EXPECT_EQ(report.total, 900u);
  EXPECT_EQ(report.used, 300u);
  EXPECT_EQ(report.available, 600u);
  EXPECT_EQ(report.use, "34%");
}

TEST(UsageFormatTest, DiskIsTheMountPointOnlyWhenItEndsInTheDeviceDir) {
  DfFigures df{"/dev/sdb1", 1000, 300, 600, "34%", "/mnt/disks/dev3"};
  EXPECT_EQ(MakeUsageReport(df, "/var/mogdata", "dev3", 1).disk, "/mnt/disks/dev3");
  df.mount_point = "/mnt/disks/dev3/";
  EXPECT_EQ(MakeUsageReport(df, "/var/mogdata", "dev3", 1).disk, "/mnt/disks/dev3/");
  df.mount_point = "/mnt/disks/dev33";
  EXPECT_EQ(MakeUsageReport(df, "/var/mogdata", "dev3", 1).disk, "/var/mogdata/dev3");
  df.mount_point = "";
  EXPECT_EQ(MakeUsageReport(df, "/var/mogdata", "dev3", 1).disk, "/var/mogdata/dev3");
}

// df pads the Filesystem column to at least 14 and right-aligns sizes in at least 11
// columns; upstream's greedy regex kept all but one of those spaces.
TEST(UsageFormatTest, DeviceColumnKeepsDfPadding) {
  EXPECT_EQ(DfDeviceColumn("/dev/vda", 264212084), "/dev/vda        ");  // 6 + 2
  // Captured from GNU df 9.1 through upstream's regex: "tmpfs" plus 12 spaces.
  EXPECT_EQ(DfDeviceColumn("tmpfs", 24684084), "tmpfs" + std::string(12, ' '));
  EXPECT_EQ(DfDeviceColumn("tmpfs", 1024), "tmpfs" + std::string(9 + 7, ' '));
  EXPECT_EQ(DfDeviceColumn("/dev/mapper/vg0-mogile", 123456789012),
            "/dev/mapper/vg0-mogile");  // wider than both minimums
  EXPECT_EQ(DfDeviceColumn("/dev/nvme0n1p1", 12345678901), "/dev/nvme0n1p1");
}

TEST(UsageFormatTest, CapacityRoundsUpLikeDf) {
  EXPECT_EQ(DfCapacity(0, 100), "0%");
  EXPECT_EQ(DfCapacity(1, 99), "1%");
  EXPECT_EQ(DfCapacity(1, 199), "1%");  // 0.5% -> 1%
  EXPECT_EQ(DfCapacity(17535316, 82801872), "18%");
  EXPECT_EQ(DfCapacity(100, 0), "100%");
  EXPECT_EQ(DfCapacity(0, 0), "-");
}

TEST(UsageFormatTest, StatvfsFiguresInKibRoundedUp) {
  struct statvfs fs {};
  fs.f_frsize = 4096;
  fs.f_bsize = 4096;
  fs.f_blocks = 1000;
  fs.f_bfree = 400;
  fs.f_bavail = 350;  // 50 blocks reserved for root
  DfFigures df = DfFromStatvfs(fs, "/dev/sdc", "/srv/dev2");
  EXPECT_EQ(df.size_kib, 4000u);
  EXPECT_EQ(df.used_kib, 2400u);
  EXPECT_EQ(df.available_kib, 1400u);
  EXPECT_EQ(df.capacity, "64%");  // 600 / 950 = 63.2 -> 64

  fs.f_frsize = 512;  // odd block counts do not divide into KiB
  fs.f_blocks = 3;
  fs.f_bfree = 1;
  fs.f_bavail = 1;
  df = DfFromStatvfs(fs, "x", "/");
  EXPECT_EQ(df.size_kib, 2u);  // 1.5 KiB -> 2
  EXPECT_EQ(df.used_kib, 1u);
  EXPECT_EQ(df.available_kib, 1u);  // 0.5 KiB -> 1
}

}  // namespace
}  // namespace mog::storage
