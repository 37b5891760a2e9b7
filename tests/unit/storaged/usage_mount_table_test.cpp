#include <gtest/gtest.h>

#include "storaged/usage/mount_table.h"
#include <sys/sysmacros.h>

namespace mog::storage {
namespace {

constexpr const char* kMountInfo =
    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
    "40 27 8:17 / /var/mogdata/dev1 rw,noatime shared:5 master:1 - xfs /dev/sdb1 rw\n"
    "41 27 8:33 / /mnt/my\\040disk rw - ext4 /dev/sdc1 rw\n"
    "42 40 254:0 /srv /var/mogdata/dev1/bound rw - ext4 /dev/vda rw\n"
    "garbage line\n"
    "43 27 x:y / /bad rw - ext4 /dev/x rw\n";

TEST(UsageMountTableTest, ParsesFieldsAroundOptionalTags) {
  auto mounts = ParseMountInfo(kMountInfo);
  ASSERT_EQ(mounts.size(), 5u);
  EXPECT_EQ(mounts[2].device, makedev(8, 17));
  EXPECT_EQ(mounts[2].mount_point, "/var/mogdata/dev1");
  EXPECT_EQ(mounts[2].fstype, "xfs");
  EXPECT_EQ(mounts[2].source, "/dev/sdb1");
  EXPECT_EQ(mounts[3].mount_point, "/mnt/my disk");  // \040 decoded
}

TEST(UsageMountTableTest, FindsTheLongestMountPointPrefixOnTheSameDevice) {
  auto mounts = ParseMountInfo(kMountInfo);
  auto m = FindMount(mounts, makedev(8, 17), "/var/mogdata/dev1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->source, "/dev/sdb1");

  m = FindMount(mounts, makedev(254, 0), "/tmp/mogroot/dev2");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->mount_point, "/");

  m = FindMount(mounts, makedev(254, 0), "/var/mogdata/dev1/bound/x");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->mount_point, "/var/mogdata/dev1/bound");

  // A prefix must end at a path separator: /var/mogdata/dev1 does not hold /var/mogdata/dev10.
  m = FindMount(mounts, makedev(8, 17), "/var/mogdata/dev10");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->mount_point, "/");  // no 8:17 mount holds it: the enclosing mount, as df
  EXPECT_FALSE(FindMount(mounts, makedev(8, 17), "relative/path"));
  EXPECT_FALSE(FindMount({}, makedev(8, 17), "/x"));
}

TEST(UsageMountTableTest, DeviceWithoutItsOwnMountFallsBackToTheEnclosingMount) {
  // A btrfs subvolume: its st_dev (0:55) appears on no mount line.
  auto mounts = ParseMountInfo(
      "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
      "50 27 0:44 / /srv/btrfs rw - btrfs /dev/sdd rw\n");
  auto m = FindMount(mounts, makedev(0, 55), "/srv/btrfs/subvol/dev1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->source, "/dev/sdd");
}

}  // namespace
}  // namespace mog::storage
