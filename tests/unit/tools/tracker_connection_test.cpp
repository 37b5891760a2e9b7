#include "client/tracker_connection.h"

#include <gtest/gtest.h>

#include "tests/unit/tools/fake_servers.h"

namespace mog::client {
namespace {

using test::FakeTracker;
using test::ScriptedReply;

FakeTracker::Script Always(std::string line) {
  return [line](const std::string&, int) { return ScriptedReply{line}; };
}

TEST(TrackerConnectionTest, FirstTrackerDownSecondAnswers) {
  FakeTracker good(Always("OK domain=img\r\n"));
  TrackerConnection conn({test::DeadAddress(), good.address()});
  auto reply = conn.Call("create_domain", {{"domain", "img"}});
  ASSERT_TRUE(reply) << reply.error().errstr();
  EXPECT_EQ(reply->Get("domain"), "img");
  EXPECT_EQ(conn.last_tracker(), good.address());
}

TEST(TrackerConnectionTest, AllTrackersDownIsATransportErrorNamingThem) {
  const std::string dead = test::DeadAddress();
  TrackerConnection conn({dead});
  auto reply = conn.Call("noop", {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ClientError::Kind::kTransport);
  EXPECT_NE(reply.error().text.find("couldn't connect to mogilefsd backend"), std::string::npos);
  EXPECT_NE(reply.error().text.find(dead), std::string::npos);
}

TEST(TrackerConnectionTest, DeadTrackerIsSkippedOnTheNextConnect) {
  FakeTracker good(Always("OK \r\n"));
  FakeTracker other(Always("OK \r\n"));
  const std::string dead = test::DeadAddress();
  TrackerConnection conn({good.address(), dead, other.address()});
  ASSERT_TRUE(conn.Call("noop", {}));
  // Forced reconnects walk on from the last good tracker; the dead one, once seen failing,
  // must not stop a call from reaching a live tracker.
  for (int i = 0; i < 4; ++i) {
    conn.Disconnect();
    auto reply = conn.Call("noop", {});
    ASSERT_TRUE(reply) << reply.error().errstr();
    EXPECT_NE(conn.last_tracker(), dead);
  }
}

TEST(TrackerConnectionTest, RequestIsEncodedAndSocketReused) {
  FakeTracker tracker(Always("OK paths=0\r\n"));
  TrackerConnection conn({tracker.address()});
  ASSERT_TRUE(conn.Call("get_paths", {{"domain", "d"}, {"key", "a b&c"}, {"noverify", "1"}}));
  ASSERT_TRUE(conn.Call("noop", {}));
  ASSERT_EQ(tracker.requests().size(), 2u);
  EXPECT_EQ(tracker.requests()[0], "get_paths domain=d&key=a+b%26c&noverify=1");
  EXPECT_EQ(tracker.requests()[1], "noop ");
  EXPECT_EQ(tracker.connections(), 1);
}

TEST(TrackerConnectionTest, TrackerErrorKeepsTokenAndDecodedText) {
  FakeTracker tracker(Always("ERR unknown_key unknown_key\r\n"));
  TrackerConnection conn({tracker.address()});
  auto reply = conn.Call("delete", {{"domain", "d"}, {"key", "k"}});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ClientError::Kind::kTracker);
  EXPECT_EQ(reply.error().code, "unknown_key");
  EXPECT_EQ(reply.error().errstr(), "unknown_key unknown_key");
}

TEST(TrackerConnectionTest, TimedOutConnectionIsNeverReused) {
  // The first request on connection 1 is answered late; everything else at once, naming the
  // connection it came on.
  FakeTracker tracker([](const std::string& line, int conn) {
    if (conn == 1 && line.starts_with("slow")) {
      return ScriptedReply{"OK which=late\r\n", std::chrono::milliseconds(600)};
    }
    return ScriptedReply{"OK which=conn" + std::to_string(conn) + "\r\n"};
  });
  TrackerOptions options;
  options.reply_timeout = std::chrono::milliseconds(150);
  TrackerConnection conn({tracker.address()}, options);
  auto slow = conn.Call("slow", {});
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().kind, ClientError::Kind::kTransport);
  EXPECT_NE(slow.error().text.find("timed out after 0.15s against " + tracker.address()),
            std::string::npos)
      << slow.error().text;
  // Give the late reply time to arrive on the old socket; it must not answer this call.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  auto next = conn.Call("fast", {});
  ASSERT_TRUE(next) << next.error().errstr();
  EXPECT_EQ(next->Get("which"), "conn2");
  EXPECT_EQ(tracker.connections(), 2);
}

TEST(TrackerConnectionTest, IdleConnectionClosedByTrackerIsRetriedOnce) {
  int calls = 0;
  FakeTracker tracker([&calls](const std::string&, int conn) -> std::optional<ScriptedReply> {
    ++calls;
    if (conn == 1 && calls == 2) return std::nullopt;  // closes instead of answering
    return ScriptedReply{"OK conn=" + std::to_string(conn) + "\r\n"};
  });
  TrackerConnection conn({tracker.address()});
  ASSERT_TRUE(conn.Call("noop", {}));
  auto second = conn.Call("noop", {});
  ASSERT_TRUE(second) << second.error().errstr();
  EXPECT_EQ(second->Get("conn"), "2");
}

TEST(TrackerConnectionTest, FreshConnectionClosedWithoutReplyIsAnError) {
  FakeTracker tracker([](const std::string&, int) -> std::optional<ScriptedReply> {
    return std::nullopt;
  });
  TrackerConnection conn({tracker.address()});
  auto reply = conn.Call("noop", {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().text, "socket closed on read");
}

TEST(TrackerConnectionTest, GarbageReplyIsInvalidResponseAndDropsTheSocket) {
  FakeTracker tracker([](const std::string& line, int conn) {
    if (conn == 1) return ScriptedReply{"HELLO there\r\n"};
    return ScriptedReply{"OK \r\n"};
  });
  TrackerConnection conn({tracker.address()});
  auto reply = conn.Call("noop", {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().text, "invalid response from server: [HELLO there]");
  ASSERT_TRUE(conn.Call("noop", {}));
  EXPECT_EQ(tracker.connections(), 2);
}

}  // namespace
}  // namespace mog::client
