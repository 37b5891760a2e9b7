#include "common/config/option_table.h"

#include <gtest/gtest.h>

namespace mog {
namespace {

OptionTable MakeTable() {
  return OptionTable("prog", {
                                 {"docroot", {}, OptionKind::kValue, "/var/mogdata", "docroot"},
                                 {"skipconfig", {"s"}, OptionKind::kFlag, "", "", false},
                                 {"daemonize", {"d"}, OptionKind::kFlag, "0", ""},
                                 {"maxconns", {}, OptionKind::kValue, "10000", ""},
                                 {"listen", {"l"}, OptionKind::kList, "", ""},
                                 {"dbpass", {}, OptionKind::kOptionalValue, "", ""},
                                 {"job_master", {}, OptionKind::kFlag, "1", "", true, true},
                             });
}

TEST(OptionTableTest, ParsesLongShortAndPrefixForms) {
  const char* argv[] = {"prog", "--docroot=/tmp/x", "-s", "--maxc", "50", "-l", "a:1",
                        "--listen=b:2", "--dbpass", "--nojob_master"};
  auto table = MakeTable();
  auto s = table.ParseCommandLine(10, argv);
  EXPECT_EQ(table.Get(s, "docroot"), "/tmp/x");
  EXPECT_TRUE(table.GetBool(s, "skipconfig"));
  EXPECT_EQ(table.GetInt(s, "maxconns"), 50);
  EXPECT_EQ(table.Get(s, "listen"), "a:1,b:2");
  EXPECT_EQ(table.Get(s, "dbpass"), "");
  EXPECT_FALSE(table.GetBool(s, "job_master"));
  EXPECT_FALSE(table.GetBool(s, "daemonize"));
}

TEST(OptionTableTest, UnknownOptionThrows) {
  const char* argv[] = {"prog", "--bogus=1"};
  EXPECT_THROW(MakeTable().ParseCommandLine(2, argv), ConfigError);
}

TEST(OptionTableTest, ConfigFileRejectsCommandLineOnlyKeys) {
  auto table = MakeTable();
  Settings s;
  std::vector<ConfigLine> lines = {{"skipconfig", "1", 3}};
  try {
    table.ApplyConfig(lines, "m.conf", &s, true);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "m.conf:3: Unknown config setting: skipconfig");
  }
}

TEST(OptionTableTest, PrecedenceIsChosenByCaller) {
  auto table = MakeTable();
  const char* argv[] = {"prog", "--docroot=/cli"};
  std::vector<ConfigLine> lines = {{"docroot", "/file", 1}};
  auto file_wins = table.ParseCommandLine(2, argv);
  table.ApplyConfig(lines, "f", &file_wins, true);
  EXPECT_EQ(table.Get(file_wins, "docroot"), "/file");
  auto cli_wins = table.ParseCommandLine(2, argv);
  table.ApplyConfig(lines, "f", &cli_wins, false);
  EXPECT_EQ(table.Get(cli_wins, "docroot"), "/cli");
}

TEST(OptionTableTest, NonIntegerIsAClearError) {
  auto table = MakeTable();
  const char* argv[] = {"prog", "--maxconns=lots"};
  auto s = table.ParseCommandLine(2, argv);
  EXPECT_THROW(table.GetInt(s, "maxconns"), ConfigError);
}

}  // namespace
}  // namespace mog

namespace mog {
namespace {

// Getopt::Long only accepts --no<flag> for options declared negatable (mogstored has no
// --noiostat upstream).
TEST(OptionTableTest, RejectsNegationOfNonNegatableFlag) {
  const char* argv[] = {"prog", "--nodaemonize"};
  EXPECT_THROW(MakeTable().ParseCommandLine(2, argv), ConfigError);
}

}  // namespace
}  // namespace mog
