#include "storaged/docroot/docroot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace mog::storage {
namespace {

using mog::test::TempDir;
using mog::test::WriteFile;

TEST(DocrootParseTest, GoodPaths) {
  auto p = Docroot::Parse("//dev12///0/000/000/0000000005.fid");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value->devid, 12u);
  EXPECT_EQ(p.value->device_dir, "dev12");
  EXPECT_EQ(p.value->RelativeBelowDevice(), "0/000/000/0000000005.fid");
  EXPECT_EQ(p.value->Uri(), "/dev12/0/000/000/0000000005.fid");
  auto dev = Docroot::Parse("/dev1/");
  ASSERT_TRUE(dev.ok());
  EXPECT_TRUE(dev.value->parts.empty());
  EXPECT_EQ(dev.value->RelativeBelowDevice(), ".");
}

TEST(DocrootParseTest, BadPaths) {
  struct Case {
    std::string uri;
    PathError kind;
  } cases[] = {
      {"dev1/x", PathError::kInvalid},
      {"", PathError::kInvalid},
      {"/dev1/../x", PathError::kInvalid},
      {"/dev1/./x", PathError::kInvalid},
      {"/dev1/..", PathError::kInvalid},
      {std::string("/dev1/a\0b", 9), PathError::kInvalid},
      {"/dev1/a\\b", PathError::kInvalid},
      {"/", PathError::kNotDevice},
      {"/usage", PathError::kNotDevice},
      {"/dev/x", PathError::kNotDevice},
      {"/devx/x", PathError::kNotDevice},
      {"/dev01/x", PathError::kNotDevice},
      {"/dev99999999999999999999999/x", PathError::kNotDevice},
  };
  for (const auto& c : cases) {
    auto p = Docroot::Parse(c.uri);
    EXPECT_FALSE(p.ok()) << c.uri;
    EXPECT_EQ(p.failure.kind, c.kind) << c.uri;
  }
}

TEST(DocrootTest, TrailingSlashStrippedAndDevicesSorted) {
  TempDir dir;
  for (const char* d : {"dev10", "dev2", "devx", "dev01"}) ::mkdir(dir.Sub(d).c_str(), 0755);
  WriteFile(dir.Sub("dev3"), "a file, not a device");
  Docroot root(dir.path() + "//");
  EXPECT_EQ(root.root(), dir.path());
  auto devices = root.Devices();
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].device_dir, "dev2");
  EXPECT_EQ(devices[1].device_dir, "dev10");
}

TEST(DocrootTest, OpenParentDirCreatesLevelsAndStaysBeneath) {
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  Docroot root(dir.path());
  auto path = Docroot::Parse("/dev1/a/b/c/file");
  auto fd = root.OpenParentDir(*path.value, true);
  ASSERT_TRUE(fd.ok());
  struct stat st {};
  EXPECT_EQ(::fstat(*fd.value, &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(::fsync(*fd.value), 0);  // usable to make a rename durable
  ::close(*fd.value);
  EXPECT_EQ(::stat(dir.Sub("dev1/a/b/c").c_str(), &st), 0);

  auto no_create = root.OpenParentDir(*Docroot::Parse("/dev1/x/y/file").value, false);
  EXPECT_EQ(no_create.failure.kind, PathError::kNotFound);
  auto no_device = root.OpenParentDir(*Docroot::Parse("/dev2/x/file").value, true);
  EXPECT_EQ(no_device.failure.kind, PathError::kNotFound);

  TempDir outside;
  ASSERT_EQ(::symlink("../..", dir.Sub("dev1/a/up").c_str()), 0);
  auto escape = root.OpenParentDir(*Docroot::Parse("/dev1/a/up/new/file").value, true);
  EXPECT_EQ(escape.failure.kind, PathError::kEscape);
  EXPECT_NE(::stat(dir.Sub("new").c_str(), &st), 0);  // nothing created outside dev1
}

TEST(DocrootTest, StatAndUnlink) {
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  WriteFile(dir.Sub("dev1/f"), "12345");
  Docroot root(dir.path());
  auto st = root.Stat(*Docroot::Parse("/dev1/f").value);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st.value->st_size, 5);
  EXPECT_TRUE(root.Unlink(*Docroot::Parse("/dev1/f").value).ok());
  EXPECT_EQ(root.Stat(*Docroot::Parse("/dev1/f").value).failure.kind, PathError::kNotFound);
  EXPECT_EQ(root.Unlink(*Docroot::Parse("/dev1/f").value).failure.kind, PathError::kNotFound);
}

}  // namespace
}  // namespace mog::storage
