#include "storaged/http/request_target.h"

#include <gtest/gtest.h>

namespace mog::storage::http {
namespace {

struct GetCase {
  const char* raw;
  int status;             // 0 = accepted
  const char* path_or_message;
};

TEST(RequestTargetTest, GetTargetsTable) {
  const GetCase cases[] = {
      {"/dev1/0/000/000/0000000005.fid", 0, "/dev1/0/000/000/0000000005.fid"},
      {"//dev1/usage", 0, "//dev1/usage"},  // slashes are collapsed later, by Docroot::Parse
      {"/dev1/usage?x=1", 0, "/dev1/usage"},
      {"/dev1/a%20b", 0, "/dev1/a b"},
      {"/dev1/a+b", 0, "/dev1/a+b"},  // '+' is not a space here (Perlbal's durl)
      {"/dev1/100%", 0, "/dev1/100%"},
      {"/dev1/../etc/passwd", 403, "Bogus URL"},
      {"/dev1/%2e%2e/%2e%2e/etc/passwd", 403, "Bogus URL"},
      {"/dev1/%2E%2E/x", 403, "Bogus URL"},
      {"/dev1/..", 403, "Bogus URL"},
      {"/dev1/./x", 403, "Bogus URL"},
      {"/dev1/x%00.fid", 403, "Bogus URL"},
      {"/dev1\\..\\x", 403, "Bogus URL"},
      {"/dev1/%5c..%5cx", 403, "Bogus URL"},
      {"dev1/x", 403, "Bogus URL"},
      {"http://host:7500/dev1/x", 403, "Bogus URL"},
      {"*", 403, "Bogus URL"},
      {"", 403, "Bogus URL"},
      {"/dev1/a??b,c", 403, "Multiple file serving isn't enabled"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    auto result = ParseGetTarget(c.raw);
    if (c.status == 0) {
      ASSERT_TRUE(std::holds_alternative<GetTarget>(result));
      EXPECT_EQ(std::get<GetTarget>(result).path, c.path_or_message);
      EXPECT_FALSE(std::get<GetTarget>(result).docroot_itself);
    } else {
      ASSERT_TRUE(std::holds_alternative<Refusal>(result));
      EXPECT_EQ(std::get<Refusal>(result), (Refusal{c.status, c.path_or_message}));
    }
  }
}

TEST(RequestTargetTest, SlashesOnlyIsTheDocrootItself) {
  for (const char* raw : {"/", "//", "/?x"}) {
    auto result = ParseGetTarget(raw);
    ASSERT_TRUE(std::holds_alternative<GetTarget>(result)) << raw;
    EXPECT_TRUE(std::get<GetTarget>(result).docroot_itself) << raw;
  }
}

TEST(RequestTargetTest, PutTargetsTable) {
  const Refusal invalid{400, "Invalid filename"};
  const Refusal min_dir{400, "Does not meet minimum directory requirement"};
  struct Case {
    const char* raw;
    std::optional<Refusal> refusal;
  } cases[] = {
      {"/dev1/0/000/000/0000000005.fid", std::nullopt},
      {"/dev1/test-write/test-write-7", std::nullopt},
      {"/dev12/x_y-z.1", std::nullopt},
      {"/file.fid", min_dir},
      {"/dev1/../x", invalid},
      {"/dev1/a..b", invalid},  // upstream refuses any "..", even inside a name
      {"/dev1/x/", invalid},
      {"//dev1/x", invalid},
      {"/dev1/a%2e%2e", invalid},
      {"/dev1/a b", invalid},
      {"/dev1/x?y", invalid},
      {"/dev1/./x", invalid},
      {"dev1/x", invalid},
      {"http://h/dev1/x", invalid},
      {"/dev1/\\x", invalid},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    auto result = ParsePutTarget(c.raw);
    if (!c.refusal) {
      ASSERT_TRUE(std::holds_alternative<std::string>(result));
      EXPECT_EQ(std::get<std::string>(result), c.raw);
    } else {
      ASSERT_TRUE(std::holds_alternative<Refusal>(result));
      EXPECT_EQ(std::get<Refusal>(result), *c.refusal);
    }
  }
}

TEST(RequestTargetTest, DeleteTargetsTable) {
  EXPECT_TRUE(std::holds_alternative<std::string>(ParseDeleteTarget("/dev1/usage")));
  EXPECT_TRUE(std::holds_alternative<std::string>(ParseDeleteTarget("/file")));
  for (const char* bad : {"/dev1/", "/dev1/../x", "/dev1/%41", "/", "", "/dev1//x", "/dev1/."}) {
    auto result = ParseDeleteTarget(bad);
    ASSERT_TRUE(std::holds_alternative<Refusal>(result)) << bad;
    EXPECT_EQ(std::get<Refusal>(result), (Refusal{400, "Invalid filename"})) << bad;
  }
}

TEST(RequestTargetTest, PercentDecodeLeavesMalformedEscapes) {
  EXPECT_EQ(PercentDecode("%41%4a%zz%4"), "AJ%zz%4");
  EXPECT_EQ(PercentDecode("a+b%2B"), "a+b+");
  EXPECT_EQ(PercentDecode("%00"), std::string(1, '\0'));
}

}  // namespace
}  // namespace mog::storage::http
