#include "common/config/config_file.h"

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
