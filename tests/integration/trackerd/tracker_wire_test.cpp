// The line protocol itself against the real mogilefsd: framing, decoding, callid echo,
// malformed/overlong/binary input, pipelining order, `!` commands, and recovery from a
// database outage (tracker.md §1).
#include <thread>

#include "tests/integration/trackerd/tracker_fixture.h"

namespace mog::test {
namespace {

using WireTest = TrackerTest;

TEST_F(WireTest, UnknownAndVerbLessLinesGetUnknownCommand) {
  EXPECT_EQ(Raw("stats"), "ERR unknown_command Unknown+server+command\r\n");
  EXPECT_EQ(Raw("???"), "ERR unknown_command Unknown+server+command\r\n");
  EXPECT_EQ(Raw("plugin_foo a=1"), "ERR unknown_command Unknown+server+command\r\n");
  EXPECT_EQ(Raw("!"), "ERR unknown_command Unknown+server+command\r\n");
}

TEST_F(WireTest, VerbIsCaseInsensitiveAndLeadingSpacesIgnored) {
  EXPECT_EQ(Raw("  NoOp"), "OK \r\n");
  EXPECT_EQ(Raw("NOOP callid=42"), "OK callid=42\r\n");
}

TEST_F(WireTest, CallidIsEchoedOnSuccessAndError) {
  EXPECT_EQ(Raw("noop callid=a%26b"), "OK callid=a%26b\r\n");
  EXPECT_EQ(Raw("get_paths callid=7"), "ERR no_domain No+domain+provided 7\r\n");
  EXPECT_EQ(Raw("nosuchverb callid=x+y"), "ERR unknown_command Unknown+server+command x+y\r\n");
}

TEST_F(WireTest, EmptyLinesAreSilentAndBareCrIsNotATerminator) {
  ASSERT_TRUE(client_->Send("\r\n\n\r\nnoop\r\n"));
  EXPECT_EQ(client_->ReadLine(), "OK \r\n");
  // "noop\rnoop" is one line: verb noop, args "\rnoop".
  ASSERT_TRUE(client_->Send("noop\rnoop\n"));
  EXPECT_EQ(client_->ReadLine(), "OK \r\n");
  ASSERT_TRUE(client_->Send("noop\n"));  // LF alone terminates too
  EXPECT_EQ(client_->ReadLine(), "OK \r\n");
}

TEST_F(WireTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string batch;
  for (int i = 0; i < 50; ++i) {
    batch += (i % 3 == 0 ? "get_paths callid=" : "noop callid=") + std::to_string(i) + "\r\n";
  }
  batch += "sleep duration=1&callid=slow\r\nnoop callid=after\r\n";
  ASSERT_TRUE(client_->Send(batch));
  for (int i = 0; i < 50; ++i) {
    const std::string want = i % 3 == 0
                                 ? "ERR no_domain No+domain+provided " + std::to_string(i) + "\r\n"
                                 : "OK callid=" + std::to_string(i) + "\r\n";
    EXPECT_EQ(client_->ReadLine(), want) << "reply " << i;
  }
  EXPECT_EQ(client_->ReadLine(), "OK callid=slow\r\n");
  EXPECT_EQ(client_->ReadLine(), "OK callid=after\r\n");
}

TEST_F(WireTest, SlowQueryDoesNotBlockOtherClients) {
  TcpClient slow(cluster_->tracker_ip(), cluster_->tracker_port(), std::chrono::seconds(20));
  ASSERT_TRUE(slow.Send("sleep duration=3\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Raw("noop"), "OK \r\n");
  // Answered while the other client's sleep is still running (well under its 3 s).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_EQ(slow.ReadLine(), "OK \r\n");
}

TEST_F(WireTest, BinaryBytesNeverCrashTheTracker) {
  std::string junk;
  for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i == '\n' ? 'x' : i));
  EXPECT_EQ(Raw(junk), "ERR unknown_command Unknown+server+command\r\n");
  EXPECT_EQ(Raw("noop " + junk), "OK \r\n");
  EXPECT_EQ(Raw(std::string("get_paths domain=\0\xff&key=%00", 25)).substr(0, 16),
            "ERR unreg_domain");
  EXPECT_EQ(Raw("noop"), "OK \r\n");
}

TEST_F(WireTest, OverlongLineGetsAnErrorAndTheConnectionCloses) {
  std::string huge(200 * 1024, 'a');
  ASSERT_TRUE(client_->Send("noop " + huge));  // no newline at all
  EXPECT_EQ(client_->ReadLine(), "ERR failure Request+line+too+long\r\n");
  EXPECT_TRUE(client_->PeerClosed());
  // The tracker still serves others.
  TcpClient other(cluster_->tracker_ip(), cluster_->tracker_port());
  ASSERT_TRUE(other.Send("noop\r\n"));
  EXPECT_EQ(other.ReadLine(), "OK \r\n");
}

TEST_F(WireTest, ArgumentDecodingFollowsUpstream) {
  // clear_cache echoes its decoded arguments: `0` pieces dropped, a=b=c -> a=b, repeats
  // joined with NUL after a true value.
  EXPECT_EQ(Raw("clear_cache a=b=c&0&&x=1&x=2&z=0&z=5&sp=a+b%41"),
            "OK a=b&x=1%002&z=05&sp=a+bA\r\n");
}

TEST_F(WireTest, ParentCommands) {
  ASSERT_TRUE(client_->Send("!version\r\n"));
  EXPECT_EQ(client_->ReadUntil("\r\n.\r\n"), "2.73\r\n.\r\n");
  ASSERT_TRUE(client_->Send("!stats\r\n"));
  const std::string stats = client_->ReadUntil("\r\n.\r\n");
  EXPECT_TRUE(stats.starts_with("uptime ")) << stats;
  EXPECT_NE(stats.find("\r\npending_queries "), std::string::npos);
  EXPECT_NE(stats.find("\r\nbored_queryworkers "), std::string::npos);
  ASSERT_TRUE(client_->Send("!jobs\r\n"));
  EXPECT_NE(client_->ReadUntil("\r\n.\r\n").find("queryworker count 4\r\n"), std::string::npos);
  ASSERT_TRUE(client_->Send("!want 5 nosuchjob\r\n"));
  EXPECT_TRUE(client_->ReadUntil("\r\n.\r\n").starts_with("ERROR: Invalid class 'nosuchjob'"));
  ASSERT_TRUE(client_->Send("!want 6 queryworker\r\n"));
  EXPECT_EQ(client_->ReadUntil("\r\n.\r\n"), "Now desiring 6 children doing 'queryworker'.\r\n.\r\n");
  ASSERT_TRUE(client_->Send("!jobs\r\n"));
  EXPECT_NE(client_->ReadUntil("\r\n.\r\n").find("queryworker desired 6\r\n"), std::string::npos);
  ASSERT_TRUE(client_->Send("!want 4 queryworker\r\n"));
  client_->ReadUntil("\r\n.\r\n");
  ASSERT_TRUE(client_->Send("!recent\r\n"));
  EXPECT_FALSE(client_->ReadUntil("\r\n.\r\n").empty());
  ASSERT_TRUE(client_->Send("!help\r\n"));
  const std::string help = client_->ReadUntil("\n.\r\n");  // help lines end in bare \n
  EXPECT_TRUE(help.starts_with("Mogilefsd admin commands:\n")) << help;
  EXPECT_EQ(Raw("noop"), "OK \r\n");  // the connection is still in sync
}

TEST_F(WireTest, WatchStreamsLogLines) {
  ASSERT_TRUE(client_->Send("!watch\r\n"));
  EXPECT_EQ(client_->ReadUntil("\r\n.\r\n"), "Added you to watcher list.\r\n.\r\n");
  // A failing command logs a warning on the tracker.
  TcpClient other(cluster_->tracker_ip(), cluster_->tracker_port());
  ASSERT_TRUE(other.Send("test crash=1\r\n"));
  EXPECT_EQ(other.ReadLine(), "ERR failure Operation+failed\r\n");
  const std::string line = client_->ReadLine();
  EXPECT_TRUE(line.starts_with(":: ")) << line;
  EXPECT_NE(line.find("Crashed on purpose"), std::string::npos) << line;
}

// Runs last in this binary (gtest keeps definition order): it stops the shared database.
TEST_F(WireTest, ZZ_DatabaseOutageGivesErrorsThenRecovers) {
  const std::string d = Unique("outage");
  ASSERT_TRUE(Call("create_domain", {{"domain", d}}).ok);
  cluster_->db().Kill9();
  Reply during = Call("get_paths", {{"domain", d}, {"key", "k"}});
  EXPECT_FALSE(during.ok);
  EXPECT_TRUE(during.errcode == "db" || during.errcode == "failure") << during.errcode;
  EXPECT_EQ(Raw("noop"), "OK \r\n");  // commands without the DB still work
  cluster_->db().Restart();
  EXPECT_TRUE(WaitUntil(
      [&] {
        Reply r = Call("get_paths", {{"domain", d}, {"key", "k"}});
        return !r.ok && r.errcode == "unknown_key";
      },
      std::chrono::seconds(30)));
  // Writes on a connection that died are reported, not retried; each worker reconnects on
  // its next command, so within a few attempts every worker is back.
  const std::string after = Unique("after");
  EXPECT_TRUE(WaitUntil(
      [&] {
        Reply r = Call("create_domain", {{"domain", after}});
        return r.ok || r.errcode == "domain_exists";
      },
                        std::chrono::seconds(30)));
}

}  // namespace
}  // namespace mog::test
