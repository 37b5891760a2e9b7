// mogadm's settings, slave, fsck and rebalance commands against a scripted tracker.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "common/protocol/url_codec.h"
#include "tests/unit/tools/fake_servers.h"
#include "tools/mogadm/mogadm.h"

namespace mog::mogadm {
namespace {

using test::FakeTracker;
using test::ScriptedReply;

struct AdmRun {
  int code;
  std::string out, err;
};

class MogadmJobsTest : public ::testing::Test {
 protected:
  MogadmJobsTest()
      : tracker_([this](const std::string& line, int) {
          const std::string verb = line.substr(0, line.find(' '));
          if (verb == "server_setting") {
            const std::string key = line.substr(line.find("key=") + 4);
            auto it = settings_.find(key);
            return ScriptedReply{"OK key=" + key + "&value=" +
                                 (it == settings_.end() ? "" : UrlEncode(it->second)) + "\r\n"};
          }
          if (verb == "set_server_setting") return ScriptedReply{"OK \r\n"};
          auto it = replies_.find(verb);
          if (it == replies_.end()) return ScriptedReply{"ERR unknown_command Unknown+server+command\r\n"};
          return ScriptedReply{it->second + "\r\n"};
        }) {}

  AdmRun Mogadm(std::vector<std::string> args) {
    args.insert(args.begin(), "--trackers=" + tracker_.address());
    std::ostringstream out, err;
    MogadmEnvironment env;
    env.system_file = "/nonexistent";
    env.probe_local_tracker = false;
    const int code = RunMogadm(args, out, err, env);
    return {code, out.str(), err.str()};
  }

  std::map<std::string, std::string> settings_;
  std::map<std::string, std::string> replies_;
  FakeTracker tracker_;
};

TEST_F(MogadmJobsTest, SettingsListHidesRebalanceKeys) {
  replies_["server_settings"] =
      "OK key_count=3&key_1=memcache_servers&value_1=10.0.0.1:11211&key_2=rebal_policy"
      "&value_2=x&key_3=enable_rebalance&value_3=1";
  auto run = Mogadm({"settings", "list"});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out,
            "         enable_rebalance = 1\n"
            "         memcache_servers = 10.0.0.1:11211\n");
  auto set = Mogadm({"settings", "set", "memcache_servers", "10.0.0.2:11211"});
  EXPECT_EQ(set.code, 0);
  EXPECT_EQ(tracker_.requests().back(),
            "set_server_setting key=memcache_servers&value=10.0.0.2:11211");
}

TEST_F(MogadmJobsTest, SlaveAddListAndDelete) {
  auto add = Mogadm({"--verbose", "slave", "add", "s1", "--dsn=DBI:mysql:db;host=h",
                     "--username=u", "--password=p"});
  EXPECT_EQ(add.code, 0) << add.err;
  EXPECT_EQ(add.out, "Slave added\n");
  auto requests = tracker_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1], "set_server_setting key=slave_s1&value=DBI:mysql:db%3Bhost%3Dh%7Cu%7Cp");
  EXPECT_EQ(requests[2], "set_server_setting key=slave_keys&value=s1");

  settings_["slave_keys"] = "s1,s2=5";
  settings_["slave_s1"] = "dsn1|u1|p1";
  settings_["slave_s2"] = "dsn2|u2|p2";
  auto list = Mogadm({"slave", "list"});
  EXPECT_EQ(list.out,
            "s1 --dsn=dsn1 --username=u1 --password=p1\n"
            "s2 --dsn=dsn2 --username=u2 --password=p2\n");
  auto dup = Mogadm({"slave", "add", "s1"});
  EXPECT_EQ(dup.code, 1);
  EXPECT_EQ(dup.err, "Slave failed to be added\n");
  auto del = Mogadm({"slave", "delete", "s1"});
  EXPECT_EQ(del.code, 0);
  EXPECT_EQ(tracker_.requests().back(), "set_server_setting key=slave_keys&value=s2%3D5");
}

TEST_F(MogadmJobsTest, FsckCommands) {
  replies_["fsck_start"] = "OK ";
  replies_["fsck_reset"] = "OK ";
  replies_["fsck_stop"] = "ERR fsck_not_running fsck+is+not+running";
  replies_["fsck_status"] =
      "OK running=1&host=t1&max_fid_checked=10&end_fid=20&start_time=100&current_time=110"
      "&policy_only=0&max_logid=2";
  replies_["fsck_getlog"] = "OK row_count=0";
  EXPECT_EQ(Mogadm({"--verbose", "fsck", "start"}).out, "fsck started\n");
  auto reset = Mogadm({"--verbose", "fsck", "reset", "--policy-only", "--startpos=5"});
  EXPECT_EQ(reset.out, "fsck stopped\n");
  EXPECT_EQ(tracker_.requests().back(), "fsck_reset policy_only=1&startpos=5");
  auto stop = Mogadm({"fsck", "stop"});
  EXPECT_EQ(stop.code, 1);
  EXPECT_EQ(stop.err, "fsck_not_running fsck is not running\n");
  auto status = Mogadm({"fsck", "status"});
  EXPECT_EQ(status.code, 0);
  EXPECT_EQ(status.out.substr(0, 32), "\n    Running: Yes (on t1)\n     S");
  auto log = Mogadm({"fsck", "printlog"});
  EXPECT_EQ(log.code, 0);
  EXPECT_EQ(log.out, "unixtime             event           fid      devid\n");
  EXPECT_EQ(tracker_.requests().back(), "fsck_getlog after_logid=0");
}

TEST_F(MogadmJobsTest, RebalanceCommands) {
  replies_["rebalance_test"] = "OK sdevs=3,1&ddevs=2";
  replies_["server_settings"] = "OK key_count=2&key_1=rebal_policy&value_1=from_devices%3D1,3&"
                                "key_2=rebal_host&value_2=t1";
  replies_["rebalance_status"] = "OK state=fids_moved%3D3+sdev_current%3D1";
  replies_["rebalance_set_policy"] = "OK ";
  auto test = Mogadm({"rebalance", "test"});
  EXPECT_EQ(test.out,
            "Tested rebalance policy...\nPolicy: from_devices=1,3\n\nSource devices:\n"
            " - 1\n - 3\nDestination devices:\n - 2\n");
  auto status = Mogadm({"rebalance", "status"});
  EXPECT_EQ(status.out,
            "Rebalance is running\nRebalance status:\n"
            "               fids_moved = 3\n"
            "             sdev_current = 1\n");
  auto policy = Mogadm({"--verbose", "rebalance", "policy", "--options=to_devices=2"});
  EXPECT_EQ(policy.out, "changed policy setting\n");
  EXPECT_EQ(tracker_.requests().back(), "rebalance_set_policy policy=to_devices%3D2");
  auto settings = Mogadm({"rebalance", "settings"});
  EXPECT_EQ(settings.out,
            "               rebal_host = t1\n"
            "             rebal_policy = from_devices=1,3\n");
  auto start = Mogadm({"rebalance", "start"});
  EXPECT_EQ(start.code, 1);
  EXPECT_EQ(start.err, "unknown_command Unknown server command\n");
}

}  // namespace
}  // namespace mog::mogadm
