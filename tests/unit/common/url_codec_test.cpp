#include "common/protocol/url_codec.h"

#include <gtest/gtest.h>

namespace mog {
namespace {

TEST(UrlCodecTest, EncodesLikeUpstream) {
  EXPECT_EQ(UrlEncode("No domain provided"), "No+domain+provided");
  EXPECT_EQ(UrlEncode("a=b&c+d%;~"), "a%3Db%26c%2Bd%25%3B%7E");
  EXPECT_EQ(UrlEncode("http://10.0.0.1:7500/dev1/x_y-z.fid"), "http://10.0.0.1:7500/dev1/x_y-z.fid");
  EXPECT_EQ(UrlEncode("\xE9"), "%E9");
  EXPECT_EQ(UrlEncode(std::string("a\0b", 3)), "a%00b");
}

TEST(UrlCodecTest, DecodesPlusAndPercent) {
  EXPECT_EQ(UrlDecode("No+domain"), "No domain");
  EXPECT_EQ(UrlDecode("%e4%b8%ad%E6%96%87"), "\xe4\xb8\xad\xe6\x96\x87");
  EXPECT_EQ(UrlDecode("100%"), "100%");   // malformed stays literal
  EXPECT_EQ(UrlDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(UrlDecode("%2B"), "+");
}

TEST(UrlCodecTest, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(UrlDecode(UrlEncode(all)), all);
}

TEST(UrlCodecTest, EncodesArgListInOrder) {
  EXPECT_EQ(EncodeArgs({{"fid", "12"}, {"path", "http://h:1/dev1/a b"}}),
            "fid=12&path=http://h:1/dev1/a+b");
  EXPECT_EQ(EncodeArgs({}), "");
}

}  // namespace
}  // namespace mog
