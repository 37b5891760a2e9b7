// The real tool binaries against a scripted tracker and a fake storage node: exit codes,
// stdout/stderr split, and the exact upstream messages.
#include <gtest/gtest.h>

#include "common/protocol/url_codec.h"
#include "tests/integration/tools/tool_runner.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/tools/fake_servers.h"

namespace mog::test {
namespace {

// One key ("/hello.txt", fid 12) stored on two devices; dev1's copy is missing.
class FakeClusterTest : public ::testing::Test {
 protected:
  FakeClusterTest()
      : tracker_([this](const std::string& line, int) { return Answer(line); }) {
    node_.Put("/dev2/0/000/000/0000000012.fid", "hello world\n");
  }

  ScriptedReply Answer(const std::string& line) {
    const std::string verb = line.substr(0, line.find(' '));
    const std::string dev1 = node_.base_url() + "/dev1/0/000/000/0000000012.fid";
    const std::string dev2 = node_.base_url() + "/dev2/0/000/000/0000000012.fid";
    if (line.find("domain=nodomain") != std::string::npos) {
      return {"ERR unreg_domain Domain+name+invalid/not+found\r\n"};
    }
    if (verb == "get_paths") {
      if (line.find("key=/hello.txt&") == std::string::npos) return {"ERR unknown_key unknown_key\r\n"};
      return {"OK paths=2&path1=" + UrlEncode(dev1) + "&path2=" + UrlEncode(dev2) + "\r\n"};
    }
    if (verb == "file_info") {
      if (line.find("key=/hello.txt") == std::string::npos) return {"ERR unknown_key unknown_key\r\n"};
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
    if (verb == "list_keys") return {"OK key_count=2&key_1=/a&key_2=/b&next_after=/b\r\n"};
    return {"ERR unknown_command Unknown+server+command\r\n"};
  }

  std::vector<std::string> Common(const std::string& domain = "testdom") {
    return {"--trackers=" + tracker_.address(), "--domain=" + domain};
  }

  FakeStorage node_;
  std::string close_line_;
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
            " - " + node_.base_url() + "/dev1/0/000/000/0000000012.fid\n"
            " - " + node_.base_url() + "/dev2/0/000/000/0000000012.fid\n");
  EXPECT_EQ(run.err, "");
  auto missing = RunTool("mogfileinfo", Plus(Common(), {"--key=/nope"}));
  EXPECT_NE(missing.code, 0);
  EXPECT_EQ(missing.err, "Error fetching file info: unknown_key unknown_key\n");
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
  EXPECT_EQ(run.err, "Error fetching paths: unknown_key unknown_key\n");
  auto dom = RunTool("mogfetch", Plus(Common("nodomain"), {"--key=/x", "--file=-"}));
  EXPECT_NE(dom.code, 0);
  EXPECT_EQ(dom.err, "Error fetching paths: unreg_domain Domain name invalid/not found\n");
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
  EXPECT_NE(no_file.code, 0);
  EXPECT_EQ(no_file.err, "Must specify a file to upload with --file\n");
  auto missing = RunTool("mogupload", Plus(Common(), {"--key=/up", "--file=/nonexistent/x"}));
  EXPECT_NE(missing.code, 0);
  EXPECT_EQ(missing.err, "Could not stat /nonexistent/x\n");
  const std::string in = dir_.Sub("in.txt");
  WriteFile(in, "x");
  auto dom = RunTool("mogupload", Plus(Common("nodomain"), {"--key=/up", "--file=" + in}));
  EXPECT_NE(dom.code, 0);
  EXPECT_EQ(dom.err, "Error opening MogileFS file: unreg_domain Domain name invalid/not found\n");
}

TEST_F(FakeClusterTest, MogdeleteReportsUnknownKey) {
  auto run = RunTool("mogdelete", Plus(Common(), {"--key=/nope"}));
  EXPECT_NE(run.code, 0);
  EXPECT_EQ(run.err, "Error deleting file: unknown_key unknown_key\n");
}

TEST_F(FakeClusterTest, MoglistkeysPrintsEachKey) {
  auto run = RunTool("moglistkeys", Common());
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "/a\n/b\n");
}

TEST(ToolsWithoutTrackerTest, DeadTrackerUsageAndHelp) {
  const std::string dead = DeadAddress();
  for (const char* tool : {"mogupload", "mogfetch", "mogfileinfo", "mogdelete", "moglistkeys",
                           "moglistfids", "mogrename", "mogfiledebug"}) {
    auto usage = RunTool(tool, {});
    EXPECT_EQ(usage.code, 0) << tool;
    EXPECT_EQ(usage.out.find("Usage: "), 0u) << tool;
    auto help = RunTool(tool, {"--help"});
    EXPECT_EQ(help.out, usage.out) << tool;
  }
  auto run = RunTool("mogfileinfo", {"--trackers=" + dead, "--domain=d", "--key=k"});
  EXPECT_NE(run.code, 0);
  EXPECT_EQ(run.err.find("MogileFS::Backend: couldn't connect to mogilefsd backend"), 0u) << run.err;
  auto adm = RunTool("mogadm", {"--trackers=" + dead, "check"});
  EXPECT_EQ(adm.code, 1);
  EXPECT_EQ(adm.out, "Checking trackers...\n  " + dead + " ... REQUEST FAILURE (is the tracker up?)\n");
  EXPECT_EQ(adm.err, "Unable to retrieve host information from tracker(s).\n\n");
}

}  // namespace
}  // namespace mog::test
