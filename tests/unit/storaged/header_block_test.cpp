#include "storaged/http/header_block.h"

#include <gtest/gtest.h>

namespace mog::storage::http {
namespace {

TEST(HeaderBlockTest, FindsTheBlankLineInAnyLineEndStyle) {
  EXPECT_EQ(FindHeaderEnd("GET / HTTP/1.0\r\n\r\nnext"), 18u);
  EXPECT_EQ(FindHeaderEnd("GET / HTTP/1.0\n\nnext"), 16u);
  EXPECT_EQ(FindHeaderEnd("GET / HTTP/1.0\r\nA: b\n\r\n"), 23u);
  EXPECT_EQ(FindHeaderEnd("GET / HTTP/1.0\r\nA: b\r\n"), std::string_view::npos);
  EXPECT_EQ(FindHeaderEnd(""), std::string_view::npos);
}

TEST(HeaderBlockTest, BareLineFeedsBecomeCrLf) {
  EXPECT_FALSE(HasBareLineFeed("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(HasBareLineFeed("GET / HTTP/1.0\n\n"));
  EXPECT_EQ(NormalizeLineEnds("GET / HTTP/1.0\nA: b\r\n\n"), "GET / HTTP/1.0\r\nA: b\r\n\r\n");
}

TEST(HeaderBlockTest, NegativeContentLength) {
  EXPECT_EQ(NegativeContentLength("PUT /x HTTP/1.0\r\ncontent-LENGTH: -05\r\n\r\n"), -5);
  EXPECT_EQ(NegativeContentLength("PUT /x HTTP/1.0\r\nContent-Length: 5\r\n\r\n"), std::nullopt);
  EXPECT_EQ(NegativeContentLength("PUT /x HTTP/1.0\r\nX-Content-Length: -5\r\n\r\n"), std::nullopt);
}

}  // namespace
}  // namespace mog::storage::http
