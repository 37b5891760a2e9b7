// The tool binaries against the REAL mogstored (storage node) and a scripted tracker:
// uploads land on disk byte-exact, downloads read them back, mogadm check reads the real
// usage file.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <random>

#include "common/protocol/url_codec.h"
#include "tests/integration/storaged/mogstored_fixture.h"
#include "tests/integration/tools/tool_runner.h"
#include "tests/unit/tools/fake_servers.h"

namespace mog::test {
namespace {

class RealMogstoredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::mkdir(root_.c_str(), 0755);
    for (const char* d : {"/dev1", "/dev1/0", "/dev1/0/000", "/dev1/0/000/000"}) {
      ::mkdir((root_ + d).c_str(), 0755);
    }
    node_ = std::make_unique<MogstoredProcess>(root_, std::vector<std::string>{},
                                               dir_.Sub("mogstored.log"));
    ASSERT_TRUE(node_->WaitReady()) << node_->process().Log();
    base_ = "http://" + std::string(kNodeIp) + ":" + std::to_string(node_->http_port());
    tracker_ = std::make_unique<FakeTracker>(
        [this](const std::string& line, int) { return Answer(line); });
  }
  void TearDown() override {
    if (HasFailure() && node_) std::cerr << "--- mogstored log ---\n" << node_->process().Log();
    tracker_.reset();
    node_.reset();
  }

  ScriptedReply Answer(const std::string& line) {
    const std::string verb = line.substr(0, line.find(' '));
    const std::string path = base_ + "/dev1/0/000/000/0000000042.fid";
    if (verb == "create_open") return {"OK fid=42&devid=1&path=" + UrlEncode(path) + "\r\n"};
    if (verb == "create_close") return {"OK \r\n"};
    if (verb == "get_paths") return {"OK paths=1&path1=" + UrlEncode(path) + "\r\n"};
    if (verb == "get_hosts") {
      return {"OK hosts=1&host1_hostid=1&host1_status=alive&host1_hostname=node2&host1_hostip=" +
              std::string(kNodeIp) + "&host1_http_port=" + std::to_string(node_->http_port()) +
              "&host1_http_get_port=&host1_altip=&host1_altmask=\r\n"};
    }
    if (verb == "get_devices") {
      return {"OK devices=1&dev1_devid=1&dev1_hostid=1&dev1_status=alive&dev1_mb_total=100"
              "&dev1_mb_used=10&dev1_weight=100&dev1_observed_state=writeable"
              "&dev1_utilization=\r\n"};
    }
    return {"ERR unknown_command Unknown+server+command\r\n"};
  }

  std::vector<std::string> Common() {
    return {"--trackers=" + tracker_->address(), "--domain=testdom"};
  }

  TempDir dir_{"toolsnode"};
  std::string root_ = dir_.Sub("docroot");
  std::unique_ptr<MogstoredProcess> node_;
  std::unique_ptr<FakeTracker> tracker_;
  std::string base_;
};

TEST_F(RealMogstoredTest, UploadLandsOnDiskAndFetchReadsItBack) {
  std::string payload(3 * 1024 * 1024 + 123, '\0');
  std::mt19937 rng(7);
  for (char& c : payload) c = static_cast<char>(rng());
  const std::string in = dir_.Sub("in.bin");
  WriteFile(in, payload);
  auto up = RunTool("mogupload", {"--trackers=" + tracker_->address(), "--domain=testdom",
                                  "--key=/big", "--file=" + in});
  ASSERT_EQ(up.code, 0) << up.err;
  EXPECT_EQ(up.out + up.err, "");
  EXPECT_TRUE(ReadFileOrEmpty(root_ + "/dev1/0/000/000/0000000042.fid") == payload);

  const std::string out = dir_.Sub("out.bin");
  auto down = RunTool("mogfetch", {"--trackers=" + tracker_->address(), "--domain=testdom",
                                   "--key=/big", "--file=" + out});
  ASSERT_EQ(down.code, 0) << down.err;
  EXPECT_EQ(down.err, "");
  EXPECT_TRUE(ReadFileOrEmpty(out) == payload);
}

TEST_F(RealMogstoredTest, MogadmCheckReadsTheNodesUsageFile) {
  // mogstored writes devN/usage on start and then periodically.
  ASSERT_TRUE(WaitUntil([&] { return FileExists(root_ + "/dev1/usage"); },
                        std::chrono::seconds(15)));
  auto run = RunTool("mogadm", {"--trackers=" + tracker_->address(), "check"});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  const std::string expected_head = "Checking trackers...\n  " + tracker_->address() +
                                    " ... OK\n\nChecking hosts...\n  [ 1] node2 ... OK\n\n"
                                    "Checking devices...\n"
                                    "  host device         size(G)    used(G)    free(G)   use%   "
                                    "ob state   I/O%\n"
                                    "  ---- ------------ ---------- ---------- ---------- ------ "
                                    "---------- -----\n"
                                    "  [ 1] dev1        ";
  ASSERT_EQ(run.out.substr(0, expected_head.size()), expected_head) << run.out;
  EXPECT_NE(run.out.find("%  writeable   N/A\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("             total:"), std::string::npos) << run.out;

  // One listed tracker down: the report goes on, and the exit says something is wrong
  // (upstream exits 0).
  const std::string dead = DeadAddress();
  auto partly = RunTool("mogadm", {"--trackers=" + tracker_->address() + "," + dead, "check"});
  EXPECT_EQ(partly.code, 1) << partly.out << partly.err;
  EXPECT_NE(partly.out.find("  " + dead + " ... REQUEST FAILURE (is the tracker up?)\n"),
            std::string::npos)
      << partly.out;
  EXPECT_NE(partly.out.find("             total:"), std::string::npos) << partly.out;
  EXPECT_EQ(partly.err, "mogadm check found 1 problem:\n  tracker " + dead + " did not answer\n");
}

}  // namespace
}  // namespace mog::test
