#include "common/fid/fid_path.h"

#include <gtest/gtest.h>

namespace mog {
namespace {

struct FidCase {
  uint64_t devid;
  uint64_t fid;
  const char* path;
};

// The reference table of upstream's DevFID::uri_path.
constexpr FidCase kFidCases[] = {
    {1, 5, "/dev1/0/000/000/0000000005.fid"},
    {7, 1234567, "/dev7/0/001/234/0001234567.fid"},
    {2, 9876543210ULL, "/dev2/9/876/543/9876543210.fid"},
    {3, 12345678901ULL, "/dev3/1/234/567/12345678901.fid"},
    {3, 123456789012345ULL, "/dev3/1/234/567/123456789012345.fid"},
    {2, 148056, "/dev2/0/000/148/0000148056.fid"},
    {12, 0, "/dev12/0/000/000/0000000000.fid"},
};

TEST(FidPathTest, FormatsUpstreamLayout) {
  for (const auto& c : kFidCases) EXPECT_EQ(FormatFidPath(c.devid, c.fid), c.path) << c.fid;
}

TEST(FidPathTest, ParsesWhatItFormats) {
  for (const auto& c : kFidCases) {
    auto parsed = ParseFidPath(c.path);
    ASSERT_TRUE(parsed) << c.path;
    EXPECT_EQ(parsed->devid, c.devid);
    EXPECT_EQ(parsed->fid, c.fid);
  }
}

TEST(FidPathTest, RejectsMalformedPaths) {
  const char* bad[] = {
      "",
      "/dev1/0/000/000/0000000005",          // no .fid
      "/dev1/0/000/001/0000000005.fid",      // directories disagree with fid
      "/dev1/0/000/000/5.fid",               // not padded
      "/dev01/0/000/000/0000000005.fid",     // leading zero in devid
      "/devx/0/000/000/0000000005.fid",      //
      "/dev1/0/000/000/../0000000005.fid",   //
      "/dev1//0/000/000/0000000005.fid",     //
      "dev1/0/000/000/0000000005.fid",       // relative
      "/dev1/0/000/000/-000000005.fid",      //
      "/dev1/0/000/000/99999999999999999999999.fid",  // overflow
  };
  for (const char* p : bad) EXPECT_FALSE(ParseFidPath(p)) << p;
}

TEST(FidPathTest, ParsesDevidFromUrls) {
  EXPECT_EQ(ParseDevid("http://127.0.0.2:7500/dev12/0/000/000/0000000005.fid"), 12u);
  EXPECT_EQ(ParseDevid("/dev3/usage"), 3u);
  EXPECT_FALSE(ParseDevid("/devx/usage"));
  EXPECT_FALSE(ParseDevid("/device/usage"));
}

}  // namespace
}  // namespace mog
