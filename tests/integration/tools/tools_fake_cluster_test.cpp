// The real tool binaries against a scripted tracker and a fake storage node: exit codes,
// stdout/stderr split, and the exact upstream messages.
#include <gtest/gtest.h>

#include "common/protocol/url_codec.h"
#include "tests/integration/tools/tool_runner.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/tools/fake_servers.h"

namespace mog::test {
namespace {

// One key ("/hello.txt", fid 12) stored on two devices; dev1's copy is missing.
class FakeClusterTest : public ::testing::Test {
 protected:
  FakeClusterTest() : tracker_([this](const std::string& line, int) { return Answer(line); }) {
    node_.Put("/dev2/0/000/000/0000000012.fid", "hello world\n");
  }

  ScriptedReply Answer(const std::string& line) {
    const std::string verb = line.substr(0, line.find(' '));
    verbs_.push_back(verb);
    const std::string dev1 = node_.base_url() + "/dev1/0/000/000/0000000012.fid";
    const std::string dev2 = node_.base_url() + "/dev2/0/000/000/0000000012.fid";
    if (line.find("domain=nodomain") != std::string::npos) {
      return {"ERR unreg_domain Domain+name+invalid/not+found\r\n"};
    }
    if (verb == "get_paths") {
      if (line.find("key=/hello.txt&") == std::string::npos)
        return {"ERR unknown_key unknown_key\r\n"};
      return {"OK paths=2&path1=" + UrlEncode(dev1) + "&path2=" + UrlEncode(dev2) + "\r\n"};
    }
    if (verb == "file_info") {
      if (line.find("key=/hello.txt") == std::string::npos)
        return {"ERR unknown_key unknown_key\r\n"};
      return {"OK fid=12&domain=testdom&class=default&key=/hello.txt&length=12&devcount=2\r\n"};
    }
    if (verb == "create_open") {
      return {"OK fid=13&dev_count=1&devid_1=2&path_1=" +
              UrlEncode(node_.base_url() + "/dev2/0/000/000/0000000013.fid") + "\r\n"};
    }
    if (verb == "create_close") {
      close_line_ = line;
      return {"OK \r\n"};
    }
    if (verb == "delete") return {"ERR unknown_key unknown_key\r\n"};
    if (verb == "list_keys" && line.find("domain=emptydom") != std::string::npos) {
      return {"ERR none_match No+keys+match\r\n"};
    }
    if (verb == "list_keys") return {"OK key_count=2&key_1=/a&key_2=/b&next_after=/b\r\n"};
    return {"ERR unknown_command Unknown+server+command\r\n"};
  }

  std::vector<std::string> Common(const std::string& domain = "testdom") {
    return {"--trackers=" + tracker_.address(), "--domain=" + domain};
  }

  FakeStorage node_;
  std::string close_line_;
  std::vector<std::string> verbs_;  // every request the tracker got, in order
  FakeTracker tracker_;
  TempDir dir_{"toolsfake"};
};

std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(FakeClusterTest, MogfileinfoPrintsUpstreamLayout) {
  auto run = RunTool("mogfileinfo", Plus(Common(), {"--key=/hello.txt"}));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out,
            "- file: /hello.txt\n"
            "     class:              default\n"
            "  devcount:                    2\n"
            "    domain:              testdom\n"
            "       fid:                   12\n"
            "       key:           /hello.txt\n"
            "    length:                   12\n"
            " - " +
                node_.base_url() +
                "/dev1/0/000/000/0000000012.fid\n"
                " - " +
                node_.base_url() + "/dev2/0/000/000/0000000012.fid\n");
  EXPECT_EQ(run.err, "");
  auto missing = RunTool("mogfileinfo", Plus(Common(), {"--key=/nope"}));
  EXPECT_NE(missing.code, 0);
  EXPECT_EQ(missing.err,
            "Error fetching file info: unknown_key: no file with key '/nope' in domain "
            "'testdom'\n");
}

TEST_F(FakeClusterTest, MogfetchFailsOverButStillExitsOneLikeUpstream) {
  const std::string out = dir_.Sub("out.txt");
  auto run = RunTool("mogfetch", Plus(Common(), {"--key=/hello.txt", "--file=" + out}));
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "Got errors while trying to fetch:\n404 Not Found\n");
  EXPECT_EQ(ReadFileOrEmpty(out), "hello world\n");
  auto to_stdout = RunTool("mogfetch", Plus(Common(), {"--key", "/hello.txt", "--file", "-"}));
  EXPECT_EQ(to_stdout.out, "hello world\n");
}

TEST_F(FakeClusterTest, MogfetchUnknownKeyAndUnknownDomain) {
  auto run = RunTool("mogfetch", Plus(Common(), {"--key=/nope", "--file=-"}));
  EXPECT_NE(run.code, 0);
  EXPECT_EQ(run.err,
            "Error fetching paths: unknown_key: no file with key '/nope' in domain 'testdom'\n");
  auto dom = RunTool("mogfetch", Plus(Common("nodomain"), {"--key=/x", "--file=-"}));
  EXPECT_NE(dom.code, 0);
  EXPECT_EQ(dom.err,
            "Error fetching paths: unreg_domain: domain 'nodomain' does not exist (mogadm domain "
            "list shows the domains)\n");
}

TEST_F(FakeClusterTest, MoguploadFromFileAndFromStdin) {
  const std::string in = dir_.Sub("in.bin");
  WriteFile(in, std::string(100000, 'z'));
  auto run = RunTool("mogupload", Plus(Common(), {"--key=/up", "--file=" + in, "--class=default"}));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out + run.err, "");
  EXPECT_EQ(node_.Get("/dev2/0/000/000/0000000013.fid"), std::string(100000, 'z'));
  EXPECT_NE(close_line_.find("size=100000&key=/up&path="), std::string::npos) << close_line_;

  auto piped = RunTool("mogupload", Plus(Common(), {"--key=/piped", "--file=-"}), "from stdin");
  ASSERT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(node_.Get("/dev2/0/000/000/0000000013.fid"), "from stdin");
}

TEST_F(FakeClusterTest, MoguploadErrors) {
  auto no_file = RunTool("mogupload", Plus(Common(), {"--key=/up"}));
  EXPECT_EQ(no_file.code, 2);
  EXPECT_EQ(no_file.err.find("mogupload: --file is required\nUsage: "), 0u) << no_file.err;
  auto missing = RunTool("mogupload", Plus(Common(), {"--key=/up", "--file=/nonexistent/x"}));
  EXPECT_NE(missing.code, 0);
  EXPECT_EQ(missing.err, "Could not stat /nonexistent/x: No such file or directory\n");
  EXPECT_TRUE(verbs_.empty()) << verbs_.front();
  const std::string in = dir_.Sub("in.txt");
  WriteFile(in, "x");
  auto dom = RunTool("mogupload", Plus(Common("nodomain"), {"--key=/up", "--file=" + in}));
  EXPECT_NE(dom.code, 0);
  EXPECT_EQ(dom.err,
            "Error opening MogileFS file: unreg_domain: domain 'nodomain' does not exist (mogadm "
            "domain list shows the domains)\n");
}

// Upstream allocates a fid and uploads the bytes without a key, and exits 0.
TEST_F(FakeClusterTest, MoguploadWithoutKeyOrWithADirectoryNeverReachesTheTracker) {
  const std::string in = dir_.Sub("in.txt");
  WriteFile(in, "x");
  auto no_key = RunTool("mogupload", Plus(Common(), {"--file=" + in}));
  EXPECT_EQ(no_key.code, 2);
  EXPECT_EQ(no_key.out, "");
  EXPECT_EQ(no_key.err.find("mogupload: --key is required\nUsage: "), 0u) << no_key.err;
  auto dir = RunTool("mogupload", Plus(Common(), {"--key=/up", "--file=" + dir_.path()}));
  EXPECT_NE(dir.code, 0);
  EXPECT_EQ(dir.err, "Could not upload " + dir_.path() + ": Is a directory\n");
  EXPECT_TRUE(verbs_.empty()) << verbs_.front();
}

TEST_F(FakeClusterTest, MoglistkeysOnAnEmptyDomainIsAnEmptyListing) {
  auto run = RunTool("moglistkeys", Common("emptydom"));
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out + run.err, "");
}

// Everything from a config file, nothing on the command line: upstream prints the usage and
// exits 0; we list the keys.
TEST_F(FakeClusterTest, MoglistkeysRunsOnItsConfigFileAlone) {
  const std::string conf = dir_.Sub("mogilefs.conf");
  WriteFile(conf, "trackers = " + tracker_.address() + "   # the tracker\ndomain = testdom\n");
  auto run = RunArgv({"/usr/bin/env", "MOGUTILSCONF=" + conf, BinPath("moglistkeys")});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "/a\n/b\n");
}

TEST_F(FakeClusterTest, MogdeleteReportsUnknownKey) {
  auto run = RunTool("mogdelete", Plus(Common(), {"--key=/nope"}));
  EXPECT_NE(run.code, 0);
  EXPECT_EQ(run.err,
            "Error deleting file: unknown_key: no file with key '/nope' in domain 'testdom'\n");
}

TEST_F(FakeClusterTest, MoglistkeysPrintsEachKey) {
  auto run = RunTool("moglistkeys", Common());
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "/a\n/b\n");
}

// Per tool: an unknown option is a usage error (exit 2, the reason and the usage on stderr,
// nothing on stdout); a missing required option is one too, naming the option; --help prints
// the usage on stdout and exits 0. Upstream exits 0 with the usage on stdout for all three.
TEST(ToolsWithoutTrackerTest, UnknownOptionMissingArgumentAndHelp) {
  const std::string dead = DeadAddress();
  struct Case {
    const char* tool;
    std::vector<std::string> args;  // everything but one required option
    const char* missing;            // what the message names
  };
  const std::string t = "--trackers=" + dead;
  const Case kCases[] = {
      {"mogupload", {t, "--domain=d", "--file=/etc/hostname"}, "--key is required"},
      {"mogupload", {t, "--domain=d", "--key=k"}, "--file is required"},
      {"mogupload", {t, "--key=k", "--file=/etc/hostname"}, "no domain given: use --domain="},
      {"mogfetch", {t, "--domain=d", "--file=-"}, "--key is required"},
      {"mogfetch", {t, "--domain=d", "--key=k"}, "--file is required"},
      {"mogfileinfo", {t, "--domain=d"}, "--key is required"},
      {"mogfileinfo", {"--domain=d", "--key=k"}, "no trackers given: use --trackers="},
      {"mogdelete", {t, "--domain=d"}, "--key is required"},
      {"moglistkeys", {"--domain=d"}, "no trackers given: use --trackers="},
      {"moglistkeys", {t}, "no domain given: use --domain="},
      {"moglistfids", {}, "no trackers given: use --trackers="},
      {"mogrename", {t, "--domain=d", "--new_key=b"}, "--old_key is required"},
      {"mogrename", {t, "--domain=d", "--old_key=a"}, "--new_key is required"},
      {"mogfiledebug", {t, "--domain=d"}, "--key or --fid is required"},
      {"mogfiledebug",
       {t, "--domain=d", "--key=k", "--paths=bogus"},
       "--paths must be print, stat or fetch, not 'bogus'"},
  };
  for (const Case& c : kCases) {
    auto run = RunTool(c.tool, c.args);
    EXPECT_EQ(run.code, 2) << c.tool << " " << c.missing;
    EXPECT_EQ(run.out, "") << c.tool;
    EXPECT_EQ(run.err.find(std::string(c.tool) + ": " + c.missing), 0u) << run.err;
    EXPECT_NE(run.err.find("\nUsage: "), std::string::npos) << run.err;
  }
  for (const char* tool : {"mogupload", "mogfetch", "mogfileinfo", "mogdelete", "moglistkeys",
                           "moglistfids", "mogrename", "mogfiledebug"}) {
    auto bogus = RunTool(tool, {"--bogus=1"});
    EXPECT_EQ(bogus.code, 2) << tool;
    EXPECT_EQ(bogus.out, "") << tool;
    EXPECT_EQ(bogus.err.find("Unknown option: bogus\nUsage: "), 0u) << tool << ": " << bogus.err;
    auto stray = RunTool(tool, {"--trackers=" + dead, "word"});
    EXPECT_EQ(stray.code, 2) << tool;
    EXPECT_EQ(stray.err.find("Unexpected argument: word"), 0u) << tool << ": " << stray.err;
    auto help = RunTool(tool, {"--help"});
    EXPECT_EQ(help.code, 0) << tool;
    EXPECT_EQ(help.err, "") << tool;
    EXPECT_EQ(help.out.find("Usage: "), 0u) << tool;
    EXPECT_NE(help.out.find("~/.mogilefs.conf"), std::string::npos) << tool;
    // Nothing at all: runs on the (here absent) config files and says what is missing.
    auto none = RunTool(tool, {});
    EXPECT_EQ(none.code, 2) << tool;
    EXPECT_TRUE(none.err.find("no trackers given") != std::string::npos ||
                none.err.find(" is required") != std::string::npos)
        << tool << ": " << none.err;
  }
  // The usage lists every option the tool takes.
  EXPECT_NE(RunTool("mogupload", {"--help"}).out.find("--class="), std::string::npos);
  EXPECT_EQ(RunTool("mogrename", {"--help"}).out.find("--class"), std::string::npos);
}

TEST(ToolsWithoutTrackerTest, MogstatsHelpUsageErrorsAndMissingDsn) {
  auto help = RunTool("mogstats", {"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_EQ(help.out.find("Usage:\n    mogstats --db_dsn="), 0u) << help.out;
  EXPECT_EQ(help.err, "");
  auto bogus = RunTool("mogstats", {"--db_dns=DBI:mysql:x"});
  EXPECT_EQ(bogus.code, 2);
  EXPECT_EQ(bogus.err.find("ERROR: Unknown option: db_dns\n\nUsage:"), 0u) << bogus.err;
  auto stat = RunTool("mogstats", {"--stats=bogus"});
  EXPECT_EQ(stat.code, 2);
  EXPECT_EQ(stat.err.find("ERROR: Invalid stat bogus\n"), 0u) << stat.err;
  auto none = RunTool("mogstats", {"--stats=domains"});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no database given: use --db_dsn="), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("db_dsn = ..."), std::string::npos) << none.err;
  auto bad = RunTool("mogstats", {"--db_dsn=DBI:mysql:m:host=h;port=x", "--stats=domains"});
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("Invalid DSN 'DBI:mysql:m:host=h;port=x': port 'x' is not a number"),
            std::string::npos)
      << bad.err;
}

TEST(ToolsWithoutTrackerTest, DeadTracker) {
  const std::string dead = DeadAddress();
  auto run = RunTool("mogfileinfo", {"--trackers=" + dead, "--domain=d", "--key=k"});
  EXPECT_NE(run.code, 0);
  EXPECT_EQ(run.err.find("MogileFS::Backend: couldn't connect to mogilefsd backend"), 0u)
      << run.err;
  auto adm = RunTool("mogadm", {"--trackers=" + dead, "check"});
  EXPECT_EQ(adm.code, 1);
  EXPECT_EQ(adm.out,
            "Checking trackers...\n  " + dead + " ... REQUEST FAILURE (is the tracker up?)\n");
  EXPECT_EQ(adm.err, "Unable to retrieve host information from tracker(s): " + dead +
                         " (is the tracker up?)\n\n");
}

}  // namespace
}  // namespace mog::test
