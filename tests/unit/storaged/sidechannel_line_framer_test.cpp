#include <string>

#include <gtest/gtest.h>

#include "storaged/sidechannel/line_framer.h"

namespace mog::storage {
namespace {

TEST(SideChannelLineFramerTest, SplitsOnLfAndDropsOneCr) {
  LineFramer framer;
  framer.Append("size /a\r\nMD5 /b\n\r\n\nlast\r\r\n");
  std::string line;
  const char* expected[] = {"size /a", "MD5 /b", "", "", "last\r"};
  for (const char* want : expected) {
    ASSERT_EQ(framer.Next(line), LineFramer::Status::kLine);
    EXPECT_EQ(line, want);
  }
  EXPECT_EQ(framer.Next(line), LineFramer::Status::kNeedMore);
}

TEST(SideChannelLineFramerTest, WaitsForTheRestOfAPartialLine) {
  LineFramer framer;
  std::string line;
  framer.Append("siz");
  EXPECT_FALSE(framer.HasCompleteLine());
  EXPECT_EQ(framer.Next(line), LineFramer::Status::kNeedMore);
  framer.Append("e /x\r");
  EXPECT_EQ(framer.Next(line), LineFramer::Status::kNeedMore);
  framer.Append("\n");
  EXPECT_TRUE(framer.HasCompleteLine());
  ASSERT_EQ(framer.Next(line), LineFramer::Status::kLine);
  EXPECT_EQ(line, "size /x");
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(SideChannelLineFramerTest, RefusesLinesOverTheLimitWithOrWithoutNewline) {
  LineFramer framer(8);
  std::string line;
  framer.Append("12345678\n");  // exactly at the limit: fine
  ASSERT_EQ(framer.Next(line), LineFramer::Status::kLine);
  framer.Append("123456789");  // over the limit, no newline yet
  EXPECT_EQ(framer.Next(line), LineFramer::Status::kTooLong);

  LineFramer with_newline(8);
  with_newline.Append("1234567890\n");
  EXPECT_EQ(with_newline.Next(line), LineFramer::Status::kTooLong);
}

}  // namespace
}  // namespace mog::storage
