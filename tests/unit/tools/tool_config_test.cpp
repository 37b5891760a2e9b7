#include "tools/cli/tool_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tools/cli/utils_tool.h"

namespace mog::cli {
namespace {

class TempFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/unit_tools_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST(ToolConfigTextTest, KeyValueLinesCommentsAndJunk) {
  auto map = ParseToolConfigText(
      "trackers = 10.0.0.1:7001 # main\n"
      "  domain=foo   \n"
      "garbage line\n"
      "class = # only a comment\n"
      "domain = second\n",
      CommentRule::kHashAnywhere);
  EXPECT_EQ(map.at("trackers"), "10.0.0.1:7001");
  EXPECT_EQ(map.at("domain"), "foo");  // first occurrence wins
  EXPECT_EQ(map.at("class"), " ");  // as Perl's (.+?)\s*$ backtracks onto the blank
  EXPECT_FALSE(map.count("garbage"));
}

TEST(ToolConfigTextTest, MogstatsOnlyStripsHashAfterWhitespace) {
  auto map = ParseToolConfigText("db_pass = se#cret # comment\n", CommentRule::kHashAfterWhitespace);
  EXPECT_EQ(map.at("db_pass"), "se#cret");
  auto utils = ParseToolConfigText("db_pass = se#cret\n", CommentRule::kHashAnywhere);
  EXPECT_EQ(utils.at("db_pass"), "se");
}

TEST(ToolConfigTextTest, UtilsTrackersGetDefaultPortWithoutTrimming) {
  EXPECT_EQ(SplitUtilsTrackers("a:1, b"), (std::vector<std::string>{"a:1", " b:7001"}));
  EXPECT_EQ(SplitUtilsTrackers("h"), (std::vector<std::string>{"h:7001"}));
  EXPECT_EQ(SplitAdminTrackers("a:1 , b:2"), (std::vector<std::string>{"a:1", "b:2"}));
}

TEST_F(TempFiles, SystemFileBeatsUserFileBeatsEnvBeatsConfOption) {
  const std::string sys = Write("sys.conf", "domain = from_sys\n");
  Write(".mogilefs.conf", "domain = from_home\nclass = from_home\n");
  const std::string env = Write("env.conf", "class = from_env\nkey = from_env\n");
  const std::string conf = Write("opt.conf", "key = from_conf\ntrackers = t:1\n");
  auto merged = ReadConfigFiles(UtilsConfigPaths(dir_, env, conf, sys), CommentRule::kHashAnywhere);
  EXPECT_EQ(merged.at("domain"), "from_sys");
  EXPECT_EQ(merged.at("class"), "from_home");
  EXPECT_EQ(merged.at("key"), "from_env");
  EXPECT_EQ(merged.at("trackers"), "t:1");
}

TEST_F(TempFiles, CommandLineBeatsEveryFileAndDefaultClassIsEmpty) {
  const std::string sys = Write("sys.conf", "domain = from_sys\ntrackers = a,b:9\nclass = default\n");
  UtilsTool tool("mogfileinfo", "--key=k", {{"key=s"}});
  ToolEnvironment env{dir_, std::nullopt, sys};
  const char* argv[] = {"mogfileinfo", "--dom", "cli", "--key=/x"};
  ASSERT_EQ(ParseOutcome::kRun, tool.Parse(4, argv, env));
  EXPECT_EQ(tool.Get("domain"), "cli");  // unique prefix, value as next argument
  EXPECT_EQ(tool.Get("key"), "/x");
  EXPECT_EQ(tool.Get("class"), "");
  EXPECT_EQ(tool.trackers(), (std::vector<std::string>{"a:7001", "b:9"}));
}

TEST_F(TempFiles, ConfOptionFileIsRead) {
  const std::string conf = Write("c.conf", "trackers = 127.0.0.1:7001\ndomain = d\n");
  UtilsTool tool("mogdelete", "--key=k", {{"key=s"}});
  ToolEnvironment env{dir_, std::nullopt, dir_ + "/missing"};
  const std::string conf_arg = "--conf=" + conf;
  const char* argv[] = {"mogdelete", conf_arg.c_str(), "--key", "k"};
  ASSERT_EQ(ParseOutcome::kRun, tool.Parse(4, argv, env));
  EXPECT_EQ(tool.Get("domain"), "d");
  EXPECT_EQ(tool.trackers(), (std::vector<std::string>{"127.0.0.1:7001"}));
}

TEST(UtilsToolTest, UsageCasesAreRecognised) {
  ToolEnvironment env{std::nullopt, std::nullopt, "/nonexistent"};
  UtilsTool tool("mogfetch", "--trackers=host --domain=foo --key='/hello.jpg' --file='./output'",
                 {{"key=s"}, {"file=s"}});
  // No arguments: the tool runs on its config files (upstream prints the usage, exit 0).
  const char* none[] = {"mogfetch"};
  EXPECT_EQ(tool.Parse(1, none, env), ParseOutcome::kRun);
  const char* help[] = {"mogfetch", "--help"};
  EXPECT_EQ(tool.Parse(2, help, env), ParseOutcome::kHelp);
  const char* unknown[] = {"mogfetch", "--bogus=1"};
  EXPECT_EQ(tool.Parse(2, unknown, env), ParseOutcome::kUsageError);
  const char* missing_value[] = {"mogfetch", "--key"};
  EXPECT_EQ(tool.Parse(2, missing_value, env), ParseOutcome::kUsageError);
  const char* stray[] = {"mogfetch", "--key=k", "out.jpg"};
  EXPECT_EQ(tool.Parse(3, stray, env), ParseOutcome::kUsageError);
  EXPECT_EQ(tool.UsageText().substr(0, tool.UsageText().find('\n') + 1),
            "Usage: mogfetch --trackers=host --domain=foo --key='/hello.jpg' --file='./output'\n");
  EXPECT_NE(tool.UsageText().find("~/.mogilefs.conf, $MOGUTILSCONF, --conf=<file>"),
            std::string::npos);
}

TEST(UtilsToolTest, OptionNamesIgnoreCaseAndTakeOneLetterPrefixes) {
  ToolEnvironment env{std::nullopt, std::nullopt, "/nonexistent"};
  UtilsTool tool("mogupload", "x", {{"class=s"}, {"key=s"}, {"file=s"}});
  const char* argv[] = {"mogupload", "--KEY=/a", "-f", "-", "--Tr=h:1", "--dom", "d"};
  ASSERT_EQ(ParseOutcome::kRun, tool.Parse(7, argv, env));
  EXPECT_EQ(tool.Get("key"), "/a");
  EXPECT_EQ(tool.Get("file"), "-");
  EXPECT_EQ(tool.trackers(), (std::vector<std::string>{"h:1"}));
  EXPECT_EQ(tool.Get("domain"), "d");
  const char* ambiguous[] = {"mogupload", "--c=x"};  // class or conf
  EXPECT_EQ(tool.Parse(2, ambiguous, env), ParseOutcome::kUsageError);
}

TEST(UtilsToolTest, IntegerOptionsRejectNonNumbers) {
  ToolEnvironment env{std::nullopt, std::nullopt, "/nonexistent"};
  UtilsTool tool("moglistfids", "x", {{"fromfid=i"}, {"count=i"}});
  const char* bad[] = {"moglistfids", "--count=ten"};
  EXPECT_EQ(tool.Parse(2, bad, env), ParseOutcome::kUsageError);
  const char* good[] = {"moglistfids", "--count=10", "--from", "5"};
  ASSERT_EQ(ParseOutcome::kRun, tool.Parse(4, good, env));
  EXPECT_EQ(tool.Get("fromfid"), "5");
}

TEST(DescribeFailureTest, TransportErrorsReadLikeBackendCroaks) {
  EXPECT_EQ(DescribeFailure("Error deleting file: ",
                            client::ClientError::Tracker("unknown_key", "unknown_key")),
            "Error deleting file: unknown_key unknown_key");
  EXPECT_EQ(DescribeFailure("Error: ", client::ClientError::Transport("socket closed on read")),
            "MogileFS::Backend: socket closed on read");
}

}  // namespace
}  // namespace mog::cli
