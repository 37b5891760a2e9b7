// The real mogadm command code run against a scripted tracker: what it sends and prints.
#include "tools/mogadm/mogadm.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/unit/tools/fake_servers.h"

namespace mog::mogadm {
namespace {

using test::FakeTracker;
using test::ScriptedReply;

struct Run {
  int code;
  std::string out, err;
};

Run Mogadm(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  MogadmEnvironment env;
  env.system_file = "/nonexistent/mogilefs.conf";
  env.probe_local_tracker = false;
  int code = RunMogadm(args, out, err, env);
  return {code, out.str(), err.str()};
}

FakeTracker::Script Replies(std::map<std::string, std::string> by_verb) {
  return [by_verb](const std::string& line, int) {
    const std::string verb = line.substr(0, line.find(' '));
    auto it = by_verb.find(verb);
    if (it == by_verb.end()) return ScriptedReply{"ERR unknown_command Unknown+server+command\r\n"};
    return ScriptedReply{it->second + "\r\n"};
  };
}

TEST(MogadmRunTest, HostAddSendsDefaultsAndIsSilentWithoutVerbose) {
  FakeTracker tracker(Replies({{"get_hosts", "OK hosts=0"}, {"create_host", "OK hostid=1&hostname=s1"}}));
  auto run = Mogadm({"--trackers=" + tracker.address(), "host", "add", "s1", "--ip=127.0.0.2"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  auto requests = tracker.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1], "create_host ip=127.0.0.2&port=7500&status=down&host=s1");

  auto verbose = Mogadm({"--TRACKERS", tracker.address(), "--verb", "host", "add", "s2",
                         "--IP", "127.0.0.3", "--po=7501"});
  EXPECT_EQ(verbose.code, 0);
  EXPECT_EQ(verbose.out, "Host has been created.\n");
  EXPECT_EQ(tracker.requests().back(), "create_host ip=127.0.0.3&port=7501&status=down&host=s2");
}

TEST(MogadmRunTest, ExistingHostAndTrackerErrorsFailWithStatusOne) {
  FakeTracker tracker(Replies(
      {{"get_hosts", "OK hosts=1&host1_hostid=1&host1_hostname=s1&host1_status=alive"},
       {"create_domain", "ERR domain_exists That+domain+already+exists"}}));
  auto exists = Mogadm({"--trackers=" + tracker.address(), "host", "add", "s1", "--ip=1.2.3.4"});
  EXPECT_EQ(exists.code, 1);
  EXPECT_EQ(exists.err, "Host already exists.\n");
  auto dom = Mogadm({"--trackers=" + tracker.address(), "domain", "add", "img"});
  EXPECT_EQ(dom.code, 1);
  EXPECT_EQ(dom.err, "Error creating domain: domain_exists That domain already exists\n");
}

TEST(MogadmRunTest, ClassAddAlwaysSendsMindevcountAndReplpolicy) {
  FakeTracker tracker(Replies({{"create_class", "OK class=along&mindevcount=2&domain=img"}}));
  auto run = Mogadm({"--trackers=" + tracker.address(), "class", "add", "img", "along"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(tracker.requests().at(0),
            "create_class domain=img&class=along&mindevcount=2&replpolicy=");
  Mogadm({"--trackers=" + tracker.address(), "class", "add", "img", "t", "--mindevcount=3",
          "--hashtype=MD5"});
  EXPECT_EQ(tracker.requests().at(1),
            "create_class domain=img&class=t&mindevcount=3&replpolicy=&hashtype=MD5");
}

TEST(MogadmRunTest, DeviceArgumentsAreCheckedBeforeAnyCall) {
  FakeTracker tracker(Replies({{"get_hosts", "OK hosts=0"}, {"create_device", "OK "}}));
  // Argument errors: upstream's help text, but on stderr and with exit 2 (upstream: stdout, 1).
  auto missing = Mogadm({"--trackers=" + tracker.address(), "device", "add", "s1"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err.substr(0, 43), "\nERROR: Missing argument 'devid'\n\nHelp for ");
  auto bad = Mogadm({"--trackers=" + tracker.address(), "device", "add", "s1", "x1"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("ERROR: devid should be numeric"), std::string::npos);
  auto ok = Mogadm({"--trackers=" + tracker.address(), "device", "add", "s1", "dev7"});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(tracker.requests().back(), "create_device hostname=s1&devid=7&state=alive");
  auto unknown = Mogadm({"--trackers=" + tracker.address(), "device", "list", "--bogus"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.err.find("Unknown option: bogus\nHelp for 'device-list' command:"), 0u)
      << unknown.err;
}

TEST(MogadmRunTest, NoTrackersAndUnknownCommands) {
  auto none = Mogadm({"host", "list"});
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err.substr(0, 40), "In order to use the mogadm toolkit, you ");
  auto usage = Mogadm({"--trackers=x:1", "frobnicate"});
  EXPECT_EQ(usage.code, 2);
  EXPECT_EQ(usage.out, "");
  EXPECT_EQ(usage.err.find("mogadm: unknown command 'frobnicate'\nUsage:"), 0u) << usage.err;
  auto option = Mogadm({"--trackers=x:1", "--bogus", "host", "list"});
  EXPECT_EQ(option.code, 2);
  EXPECT_EQ(option.err.find("mogadm: unknown option '--bogus'\nUsage:"), 0u) << option.err;
  auto nothing = Mogadm({"--trackers=x:1"});
  EXPECT_EQ(nothing.code, 2);
  EXPECT_EQ(nothing.err.find("mogadm: no command given\nUsage:"), 0u) << nothing.err;
  auto verb = Mogadm({"--trackers=x:1", "host", "frob"});
  EXPECT_EQ(verb.code, 2);
  EXPECT_EQ(verb.err.find("mogadm: unknown command 'host frob'\nHelp for 'host' command:"), 0u)
      << verb.err;
  auto check_args = Mogadm({"--trackers=x:1", "check", "extra"});
  EXPECT_EQ(check_args.code, 2);
  EXPECT_EQ(check_args.err, "Unknown options/arguments to 'check' command: extra\n");
}

TEST(MogadmRunTest, HelpExitsZero) {
  auto help = Mogadm({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_EQ(help.out.substr(0, 6), "Usage:");
  EXPECT_EQ(help.err, "");
  auto noun = Mogadm({"--trackers=x:1", "host"});  // "enter any command prefix ... for help"
  EXPECT_EQ(noun.code, 0);
  EXPECT_EQ(noun.out.find("Help for 'host' command:"), 0u) << noun.out;
  EXPECT_NE(help.out.find("domain list               List all domains."), std::string::npos)
      << help.out;
}

TEST(MogadmRunTest, BadIpAndZeroMindevcountAreRefusedBeforeTheTracker) {
  FakeTracker tracker(Replies({{"get_hosts", "OK hosts=0"},
                               {"create_host", "OK hostid=1"},
                               {"create_class", "OK class=c&mindevcount=2&domain=d"}}));
  auto ip = Mogadm({"--trackers=" + tracker.address(), "host", "add", "s1", "--ip=999.1.1.1"});
  EXPECT_EQ(ip.code, 1);
  EXPECT_EQ(ip.err, "Invalid --ip '999.1.1.1': not an IPv4 address (like 192.168.30.108)\n");
  auto modify = Mogadm({"--trackers=" + tracker.address(), "host", "modify", "s1", "--ip=a.b"});
  EXPECT_EQ(modify.code, 1);
  auto zero =
      Mogadm({"--trackers=" + tracker.address(), "class", "add", "d", "c", "--mindevcount=0"});
  EXPECT_EQ(zero.code, 1);
  EXPECT_EQ(zero.err, "Invalid --mindevcount '0': a class needs at least 1 copy\n");
  EXPECT_TRUE(tracker.requests().empty()) << tracker.requests().front();
}

TEST(MogadmRunTest, TrackerDownIsReportedNotHung) {
  auto run = Mogadm({"--trackers=" + test::DeadAddress(), "domain", "add", "img"});
  EXPECT_EQ(run.code, 255);
  EXPECT_EQ(run.err.find("MogileFS::Backend: couldn't connect to mogilefsd backend"), 0u)
      << run.err;
}

}  // namespace
}  // namespace mog::mogadm
