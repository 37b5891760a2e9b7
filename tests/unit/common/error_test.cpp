#include "common/error/error.h"

#include <gtest/gtest.h>

namespace mog {
namespace {

TEST(ErrorTest, TokensAndDefaultTexts) {
  EXPECT_EQ(ErrcToken(Errc::kUnknownKey), "unknown_key");
  EXPECT_EQ(ErrcDefaultText(Errc::kNoDomain), "No domain provided");
  // Codes without a default text use the token itself, as upstream.
  EXPECT_EQ(ErrcDefaultText(Errc::kUnknownKey), "unknown_key");
  EXPECT_EQ(Error(Errc::kSizeMismatch, "Expected: 5; actual: 4").message(),
            "Expected: 5; actual: 4");
}

TEST(ErrorTest, ReverseLookup) {
  Errc code{};
  ASSERT_TRUE(ErrcFromToken("none_match", &code));
  EXPECT_EQ(code, Errc::kNoneMatch);
  EXPECT_FALSE(ErrcFromToken("not_a_token", &code));
}

TEST(ErrorTest, ResultCarriesError) {
  Result<int> ok = 3;
  Result<int> bad = Error(Errc::kDup);
  EXPECT_TRUE(ok.has_value());
  EXPECT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().token(), "dup");
}

}  // namespace
}  // namespace mog
