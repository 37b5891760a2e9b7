#include <gtest/gtest.h>

#include "storaged/iostat/diskstats.h"
#include <sys/sysmacros.h>

namespace mog::storage {
namespace {

// Kernel 5.5+ layout (20 columns), an old 14-column layout, and junk.
constexpr const char* kBefore =
    " 254       0 vda 523 0 40000 300 900 10 70000 900 0 1000 1200 0 0 0 0 50 20\n"
    "   8      17 sdb1 10 0 80 5 4 0 32 2 0 2000 7\n"
    "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    "not a diskstats line\n"
    "   8      18 sdb2 1 2\n";
constexpr const char* kAfter =
    " 254       0 vda 600 0 42000 310 950 10 72000 950 0 1250 1300 0 0 0 0 55 22\n"
    "   8      17 sdb1 10 0 80 5 4 0 32 2 0 3500 7\n"
    "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

TEST(IostatDiskstatsTest, ParsesIoTicksFromEveryLayout) {
  DiskstatsSnapshot s = ParseDiskstats(kBefore);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.at(makedev(254, 0)).name, "vda");
  EXPECT_EQ(s.at(makedev(254, 0)).io_ticks_ms, 1000u);
  EXPECT_EQ(s.at(makedev(8, 17)).io_ticks_ms, 2000u);
  EXPECT_EQ(s.count(makedev(8, 18)), 0u);
}

TEST(IostatDiskstatsTest, UtilIsBusyShareOfElapsedTimeWithTwoDecimals) {
  DiskstatsSnapshot before = ParseDiskstats(kBefore);
  DiskstatsSnapshot after = ParseDiskstats(kAfter);
  EXPECT_EQ(UtilPercent(before, after, makedev(254, 0), 1000), "25.00");
  EXPECT_EQ(UtilPercent(before, after, makedev(254, 0), 3000), "8.33");
  EXPECT_EQ(UtilPercent(before, after, makedev(7, 0), 1000), "0.00");
  // Busier than the wall clock (merged counters, timer skew): capped like iostat.
  EXPECT_EQ(UtilPercent(before, after, makedev(8, 17), 1000), "100.00");
  EXPECT_FALSE(UtilPercent(before, after, makedev(8, 18), 1000));  // unknown device
  EXPECT_FALSE(UtilPercent(before, after, makedev(254, 0), 0));
  EXPECT_FALSE(UtilPercent(after, before, makedev(254, 0), 1000));  // counter went back
}

TEST(IostatDiskstatsTest, WatchBlockIsSortedNumericallyAndEndsWithDot) {
  EXPECT_EQ(FormatWatchBlock({{10, "1.50"}, {2, "-"}, {1, "25.00"}}),
            "1\t25.00\n2\t-\n10\t1.50\n.\n");
  EXPECT_EQ(FormatWatchBlock({}), ".\n");
}

}  // namespace
}  // namespace mog::storage
