#include "common/config/config_file.h"

#include <string>

#include <gtest/gtest.h>

namespace mog {
namespace {

TEST(ConfigFileTest, ParsesMogstoredDialect) {
  auto lines = ParseConfigText(
      "# comment\n\nhttplisten = 127.0.0.1:7500  # trailing\n  docroot=/var/mogdata/ \n",
      ConfigDialect::kEqualsWithComments, "m.conf");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].key, "httplisten");
  EXPECT_EQ(lines[0].value, "127.0.0.1:7500");
  EXPECT_EQ(lines[0].line, 3);
  EXPECT_EQ(lines[1].key, "docroot");
  EXPECT_EQ(lines[1].value, "/var/mogdata/");
}

TEST(ConfigFileTest, MogstoredSyntaxErrorNamesFileAndLine) {
  try {
    ParseConfigText("docroot = /x\nthis is bad\n", ConfigDialect::kEqualsWithComments, "m.conf");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "m.conf:2: Unknown config syntax: this is bad");
  }
}

TEST(ConfigFileTest, ParsesTrackerDialect) {
  auto lines = ParseConfigText("db_dsn = DBI:mysql:mogilefs\nlisten 0.0.0.0:7001\n# x = y\n",
                               ConfigDialect::kTracker, "t.conf");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].value, "DBI:mysql:mogilefs");
  EXPECT_EQ(lines[1].key, "listen");
  EXPECT_EQ(lines[1].value, "0.0.0.0:7001");
}

TEST(ConfigFileTest, TrackerRejectsKeyEqualsValueWithoutSpace) {
  EXPECT_THROW(ParseConfigText("db_user=mogile\n", ConfigDialect::kTracker, "t.conf"),
               ConfigError);
}

TEST(ConfigFileTest, TrackerKeepsHashInsideValue) {
  auto lines = ParseConfigText("db_pass = se#cret\n", ConfigDialect::kTracker, "t.conf");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].value, "se#cret");
}

// The set-up guide's mogilefsd.conf lines: a '#' after whitespace starts a comment, UTF-8 inside.
TEST(ConfigFileTest, TrackerTrailingCommentsAfterWhitespace) {
  struct Case {
    const char* line;
    const char* key;
    const char* value;
  };
  const Case kCases[] = {
      {"query_jobs = 10   #启动多少个查询工作线程", "query_jobs", "10"},
      {"listen = 192.168.30.107:7001 "
       "#mogilefs监听地址，监听在127.0.0.1表示只允许从本机登录进行管理",
       "listen", "192.168.30.107:7001"},
      {"db_dsn = DBI:mysql:mogilefs:host=127.0.0.1\t# tab before the hash", "db_dsn",
       "DBI:mysql:mogilefs:host=127.0.0.1"},
      {"daemonize = 1 #", "daemonize", "1"},
      {"replicate_jobs 5 ## two hashes", "replicate_jobs", "5"},
      {"db_pass = se#cret # a hash inside a word stays", "db_pass", "se#cret"},
      {"  # indented comment line", nullptr, nullptr},
      {"#query_jobs = 10", nullptr, nullptr},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.line);
    auto lines = ParseConfigText(std::string(c.line) + "\n", ConfigDialect::kTracker, "t.conf");
    if (c.key == nullptr) {
      EXPECT_TRUE(lines.empty());
      continue;
    }
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].key, c.key);
    EXPECT_EQ(lines[0].value, c.value);
    EXPECT_EQ(lines[0].line, 1);
  }
}

TEST(ConfigFileTest, TrackerCommentDoesNotRescueAMalformedLine) {
  try {
    ParseConfigText("db_dsn DBI:mysql:mogilefs\nquery_jobs=10 # no space before =\n",
                    ConfigDialect::kTracker, "t.conf");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "t.conf:2: Malformed config file: query_jobs=10 # no space before =");
  }
  // A key with only a comment after it has no value.
  EXPECT_THROW(ParseConfigText("query_jobs   # how many\n", ConfigDialect::kTracker, "t.conf"),
               ConfigError);
}

TEST(ConfigFileTest, EveryDialectReadsTheSameCommentedLine) {
  const std::string text = "trackers = 127.0.0.1:7001   # 跟踪器 tracker\n";
  for (ConfigDialect d : {ConfigDialect::kTracker, ConfigDialect::kEqualsWithComments,
                          ConfigDialect::kUtils, ConfigDialect::kMogstats}) {
    auto lines = ParseConfigText(text, d, "x.conf");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].key, "trackers");
    EXPECT_EQ(lines[0].value, "127.0.0.1:7001");
  }
}

TEST(ConfigFileTest, HashInsideAWordPerDialect) {
  const std::string text = "db_pass = se#cret\n";
  EXPECT_EQ(ParseConfigText(text, ConfigDialect::kTracker, "")[0].value, "se#cret");
  EXPECT_EQ(ParseConfigText(text, ConfigDialect::kMogstats, "")[0].value, "se#cret");
  EXPECT_EQ(ParseConfigText(text, ConfigDialect::kEqualsWithComments, "")[0].value, "se");
  EXPECT_EQ(ParseConfigText(text, ConfigDialect::kUtils, "")[0].value, "se");
}

TEST(ConfigFileTest, UtilsDialectsSkipWhatMogstoredRefuses) {
  const std::string text = "this is not a setting\ntrackers = a:1\nkey =\n = v\n";
  for (ConfigDialect d : {ConfigDialect::kUtils, ConfigDialect::kMogstats}) {
    auto lines = ParseConfigText(text, d, "u.conf");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].key, "trackers");
    EXPECT_EQ(lines[0].line, 2);
  }
  EXPECT_THROW(ParseConfigText(text, ConfigDialect::kEqualsWithComments, "m.conf"), ConfigError);
}

TEST(ConfigFileTest, CrLfLinesAndNoFinalNewline) {
  auto lines = ParseConfigText("query_jobs = 10 # c\r\nlisten 127.0.0.1:7001",
                               ConfigDialect::kTracker, "t.conf");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].value, "10");
  EXPECT_EQ(lines[1].value, "127.0.0.1:7001");
  EXPECT_EQ(lines[1].line, 2);
}

TEST(ConfigFileTest, MissingFileIsAClearError) {
  try {
    ReadConfigFile("/nonexistent/mogstored.conf", ConfigDialect::kEqualsWithComments);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "Config file /nonexistent/mogstored.conf doesn't exist.");
  }
}

}  // namespace
}  // namespace mog
