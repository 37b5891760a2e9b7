#include "client/client.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/unit/tools/fake_servers.h"

namespace mog::client {
namespace {

using test::FakeStorage;
using test::FakeTracker;
using test::ScriptedReply;

std::string Encode(const std::string& s) { return UrlEncode(s); }

TEST(ParseCreateOpenTest, AcceptsBothReplyShapes) {
  ReplyArgs single({{"fid", "7"}, {"devid", "3"}, {"path", "http://h:1/dev3/x.fid"}});
  auto a = ParseCreateOpen(single);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->destinations.size(), 1u);
  EXPECT_EQ(a->destinations[0].devid, "3");

  ReplyArgs multi({{"fid", "8"}, {"dev_count", "2"}, {"devid_1", "1"},
                   {"path_1", "http://a:1/dev1/x.fid"}, {"devid_2", "2"},
                   {"path_2", "http://b:1/dev2/x.fid"}});
  auto b = ParseCreateOpen(multi);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->destinations.size(), 2u);
  EXPECT_EQ(b->destinations[1].path, "http://b:1/dev2/x.fid");
  EXPECT_EQ(b->fid, "8");

  EXPECT_FALSE(ParseCreateOpen(ReplyArgs(std::map<std::string, std::string>{{"fid", "9"}})));
}

// A tracker that hands out two destinations and records create_close.
struct UploadCluster {
  explicit UploadCluster(std::string first_url, std::string second_url)
      : tracker([this, first_url, second_url](const std::string& line, int) {
          if (line.starts_with("create_open ")) {
            return ScriptedReply{"OK fid=42&dev_count=2&devid_1=1&path_1=" + Encode(first_url) +
                                 "&devid_2=2&path_2=" + Encode(second_url) + "\r\n"};
          }
          if (line.starts_with("create_close ")) {
            close_line = line;
            return ScriptedReply{"OK \r\n"};
          }
          return ScriptedReply{"ERR unknown_command Unknown+server+command\r\n"};
        }) {}
  std::string close_line;
  FakeTracker tracker;
};

TEST(ClientStoreTest, DeadFirstDestinationFailsOverAndClosesWithTheOneUsed) {
  FakeStorage node;
  const std::string dead_url = "http://" + test::DeadAddress() + "/dev1/0/000/000/0000000042.fid";
  const std::string good_url = node.base_url() + "/dev2/0/000/000/0000000042.fid";
  UploadCluster cluster(dead_url, good_url);
  TrackerConnection conn({cluster.tracker.address()});
  Client client(conn, "img");
  std::istringstream data("hello world");
  auto stored = client.StoreFile(std::string("k1"), std::nullopt, data, 11);
  ASSERT_TRUE(stored) << stored.error().errstr();
  EXPECT_EQ(*stored, 11u);
  EXPECT_EQ(node.Get("/dev2/0/000/000/0000000042.fid"), "hello world");
  EXPECT_NE(cluster.close_line.find("devid=2&"), std::string::npos) << cluster.close_line;
  EXPECT_NE(cluster.close_line.find("size=11&"), std::string::npos);
  EXPECT_NE(cluster.close_line.find("path=" + Encode(good_url)), std::string::npos);
}

TEST(ClientStoreTest, NodeRefusingThePutFailsOverToTheNextReplica) {
  FakeStorage refusing;
  refusing.set_put_status(507);
  FakeStorage node;
  UploadCluster cluster(refusing.base_url() + "/dev1/f.fid", node.base_url() + "/dev2/f.fid");
  TrackerConnection conn({cluster.tracker.address()});
  Client client(conn, "img");
  std::string payload(3 * 1024 * 1024 + 17, 'x');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7);
  std::istringstream data(payload);
  HttpOptions http;
  http.chunk_size = 64 * 1024;  // many chunks: the body is streamed, not sent in one piece
  client.set_http_options(http);
  uint64_t last_progress = 0;
  StoreOptions options;
  options.progress = [&](uint64_t done, uint64_t) { last_progress = done; };
  auto stored = client.StoreFile(std::string("big"), std::string("c"), data, payload.size(),
                                 options);
  ASSERT_TRUE(stored) << stored.error().errstr();
  EXPECT_FALSE(refusing.Get("/dev1/f.fid"));
  EXPECT_EQ(node.Get("/dev2/f.fid"), payload);
  EXPECT_EQ(last_progress, payload.size());
  ASSERT_FALSE(node.request_lines().empty());
  EXPECT_EQ(node.request_lines()[0], "PUT /dev2/f.fid HTTP/1.0");
}

TEST(ClientStoreTest, AllDestinationsFailingIsAStorageErrorAndNoClose) {
  FakeStorage refusing;
  refusing.set_put_status(500);
  UploadCluster cluster(refusing.base_url() + "/dev1/f.fid", refusing.base_url() + "/dev2/f.fid");
  TrackerConnection conn({cluster.tracker.address()});
  Client client(conn, "img");
  std::istringstream data("abc");
  auto stored = client.StoreFile(std::string("k"), std::nullopt, data, 3);
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().kind, ClientError::Kind::kStorage);
  EXPECT_NE(stored.error().text.find("HTTP response 500"), std::string::npos);
  EXPECT_TRUE(cluster.close_line.empty());
}

TEST(ClientStoreTest, CreateOpenErrorIsTheTrackersError) {
  FakeTracker tracker([](const std::string&, int) {
    return ScriptedReply{"ERR no_devices No+devices+found+to+store+file\r\n"};
  });
  TrackerConnection conn({tracker.address()});
  Client client(conn, "img");
  std::istringstream data("abc");
  auto stored = client.StoreFile(std::string("k"), std::nullopt, data, 3);
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().errstr(), "no_devices No devices found to store file");
  EXPECT_EQ(tracker.requests()[0].find("create_open domain=img&key=k&fid=0&multi_dest=1"), 0u)
      << tracker.requests()[0];
}

TEST(ClientFetchTest, MissingReplicaFailsOverToTheNextAndReportsTheFailure) {
  FakeStorage node;
  node.Put("/dev2/f.fid", "replica two");
  TrackerConnection no_trackers({});
  Client client(no_trackers, "d");
  std::string received;
  int restarts = 0;
  auto outcome = client.FetchPaths(
      {node.base_url() + "/dev1/f.fid", node.base_url() + "/dev2/f.fid"},
      [&](const char* p, size_t n) {
        received.append(p, n);
        return true;
      },
      [&] {
        received.clear();
        ++restarts;
        return true;
      });
  EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(received, "replica two");
  EXPECT_EQ(restarts, 2);
  ASSERT_EQ(outcome.failures.size(), 1u);
  EXPECT_EQ(outcome.failures[0], "404 Not Found");
}

TEST(ClientFetchTest, UnreachableNodeGivesAnLwpLikeStatusLine) {
  const std::string dead = test::DeadAddress();
  auto got = HttpGet("http://" + dead + "/dev1/f.fid", [](const char*, size_t) { return true; });
  EXPECT_EQ(got.status, 500);
  EXPECT_EQ(got.status_line.find("500 Can't connect to " + dead), 0u) << got.status_line;
}

TEST(ClientCallsTest, GetPathsListKeysAndDeleteSpeakTheProtocol) {
  FakeTracker tracker([](const std::string& line, int) {
    if (line.starts_with("get_paths ")) {
      return ScriptedReply{"OK paths=2&path1=http://a/1.fid&path2=http://b/1.fid\r\n"};
    }
    if (line.starts_with("list_keys ")) {
      return ScriptedReply{"OK key_count=2&key_1=a&key_2=b&next_after=b\r\n"};
    }
    return ScriptedReply{"ERR unknown_key unknown_key\r\n"};
  });
  TrackerConnection conn({tracker.address()});
  Client client(conn, "dom");
  GetPathsOptions options;
  options.noverify = true;
  options.pathcount = 99;
  auto paths = client.GetPaths("k", options);
  ASSERT_TRUE(paths);
  EXPECT_EQ(*paths, (std::vector<std::string>{"http://a/1.fid", "http://b/1.fid"}));
  EXPECT_EQ(tracker.requests()[0], "get_paths domain=dom&key=k&noverify=1&pathcount=99");
  auto page = client.ListKeys("", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(page->next_after, "b");
  auto deleted = client.Delete("k");
  ASSERT_FALSE(deleted);
  EXPECT_TRUE(deleted.error().IsTracker("unknown_key"));
}

}  // namespace
}  // namespace mog::client
