// HttpNodeClient against storage nodes on loopback: an in-process fake node (always), and the
// real mogstored when build/bin/mogstored exists.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/integration/trackerd/nodes_fake_http_node.h"
#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "trackerd/nodes/digest_hasher.h"
#include "trackerd/nodes/http_node_client.h"
#include "trackerd/nodes/node_url.h"

namespace mog::tracker {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Every case runs with both exchange modes: background I/O threads (the Monitor's) and
// io_threads = 0, each caller on its own loop (the query and worker threads').
HttpNodeClientOptions FastOptions(int io_threads) {
  HttpNodeClientOptions o;
  o.timeout = milliseconds(500);
  o.io_threads = io_threads;
  return o;
}

class HttpNodeClientTest : public ::testing::TestWithParam<int> {};

TEST_P(HttpNodeClientTest, HeadDistinguishesPresentMissingAndUnreachable) {
  test::FakeHttpNode node;
  node.PutFile("/dev1/0/000/000/0000000001.fid", "hello");
  HttpNodeClient client(FastOptions(GetParam()));

  auto present = client.HeadSize(node.Url("/dev1/0/000/000/0000000001.fid"));
  ASSERT_TRUE(present) << present.error().message;
  EXPECT_EQ(present->status, 200);
  EXPECT_EQ(present->content_length, 5u);
  EXPECT_FALSE(present->missing());

  auto missing = client.HeadSize(node.Url("/dev1/0/000/000/0000000002.fid"));
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->missing());

  // Nothing listens on this port (closed): fails fast as a connect error.
  uint16_t closed = test::FreePort("127.0.0.1");
  auto refused = client.HeadSize("http://127.0.0.1:" + std::to_string(closed) + "/dev1/x.fid");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().failure, NodeFailure::kConnect);
  EXPECT_NE(refused.error().message.find("HEAD"), std::string::npos);

  auto bad = client.HeadSize("not a url");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().failure, NodeFailure::kBadUrl);
}

TEST_P(HttpNodeClientTest, BlackholedNodeTimesOutWithinTheNodeTimeout) {
  test::Blackhole hole;
  HttpNodeClient client(FastOptions(GetParam()));
  const auto start = Clock::now();
  auto r = client.HeadSize("http://127.0.0.1:" + std::to_string(hole.port()) + "/dev1/x.fid");
  const auto took = Clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, NodeFailure::kTimeout);
  // Bounded: one wait of 500 ms (+ scheduling slack), certainly not forever.
  EXPECT_GE(took, milliseconds(400));
  EXPECT_LT(took, milliseconds(3000));
}

TEST_P(HttpNodeClientTest, RequestsArePathOnlyWithUpstreamHeadersAndVersions) {
  test::FakeHttpNode node;
  node.PutFile("/dev1/usage", "used: 1\ntotal: 2\n");
  HttpNodeClient client(FastOptions(GetParam()));
  ASSERT_TRUE(client.Get(node.Url("/dev1/usage")));
  ASSERT_TRUE(client.Put(node.Url("/dev1/test-write/test-write-1"), "time=1 rand=1"));
  ASSERT_TRUE(client.Delete(node.Url("/dev1/test-write/test-write-1")));
  auto seen = node.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].version, 10u);  // GET as HTTP/1.0 like upstream
  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(seen[1].version, 11u);
  EXPECT_EQ(seen[2].version, 11u);
  for (const auto& s : seen) {
    EXPECT_EQ(s.target.front(), '/');
    EXPECT_EQ(s.host, node.ip() + ":" + std::to_string(node.http_port()));
    EXPECT_EQ(s.user_agent, "MogileFS::Connection::HTTP/2.73");
    EXPECT_EQ(s.connection, "keep-alive");
  }
  EXPECT_EQ(node.File("/dev1/test-write/test-write-1"), std::nullopt);
}

TEST_P(HttpNodeClientTest, KeepAliveConnectionsAreReused) {
  test::FakeHttpNode node;
  node.PutFile("/dev1/a", "a");
  HttpNodeClient client(FastOptions(GetParam()));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.HeadSize(node.Url("/dev1/a")));
  EXPECT_EQ(client.TEST_connections_opened(), 1u);
  EXPECT_EQ(node.http_connections(), 1);
  EXPECT_EQ(client.TEST_idle_connections(), 1u);
}

TEST_P(HttpNodeClientTest, StalePooledConnectionIsRetriedOnce) {
  auto node = std::make_unique<test::FakeHttpNode>();
  node->PutFile("/dev1/a", "abc");
  const std::string ip = node->ip();
  HttpNodeClient client(FastOptions(GetParam()));
  ASSERT_TRUE(client.HeadSize(node->Url("/dev1/a")));
  ASSERT_EQ(client.TEST_idle_connections(), 1u);
  const uint16_t port = node->http_port();
  node.reset();  // the pooled connection's peer is gone
  // A new node cannot be forced onto the same port, so check the retry against a closed
  // port: the stale connection fails, the retry's connect is refused → a clean kConnect.
  auto r = client.HeadSize("http://" + ip + ":" + std::to_string(port) + "/dev1/a");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, NodeFailure::kConnect);
}

TEST_P(HttpNodeClientTest, MkcolUnsupportedIsRememberedPerDevice) {
  test::FakeHttpNode node;  // answers MKCOL with 400 like mogstored
  HttpNodeClient client(FastOptions(GetParam()));
  EXPECT_EQ(client.Mkcol(node.Url("/dev1/0/")), MkcolOutcome::kUnsupported);
  EXPECT_EQ(client.Mkcol(node.Url("/dev1/0/000/")), MkcolOutcome::kUnsupported);
  EXPECT_EQ(node.Count("MKCOL"), 1);  // the second one was never sent
  // Another device on the same node is asked separately.
  EXPECT_EQ(client.Mkcol(node.Url("/dev2/0/")), MkcolOutcome::kUnsupported);
  EXPECT_EQ(node.Count("MKCOL"), 2);
}

TEST_P(HttpNodeClientTest, MkcolCreatedDirectoriesAreCachedAndSkipSettingHonoured) {
  test::FakeHttpNode node;
  node.set_mkcol_allowed(true);
  bool skip = false;
  auto options = FastOptions(GetParam());
  options.skip_mkcol = [&skip] { return skip; };
  HttpNodeClient client(options);
  EXPECT_EQ(client.Mkcol(node.Url("/dev1/0/")), MkcolOutcome::kCreated);
  EXPECT_EQ(client.Mkcol(node.Url("/dev1/0/")), MkcolOutcome::kSkipped);
  EXPECT_EQ(node.Count("MKCOL"), 1);
  skip = true;
  EXPECT_EQ(client.Mkcol(node.Url("/dev1/1/")), MkcolOutcome::kSkipped);
  EXPECT_EQ(node.Count("MKCOL"), 1);
  auto seen = node.requests();
  EXPECT_EQ(seen[0].version, 11u);
}

TEST_P(HttpNodeClientTest, GetBodyLimitAndPutContentMd5) {
  test::FakeHttpNode node;
  node.PutFile("/dev1/big", std::string(10000, 'b'));
  HttpNodeClient client(FastOptions(GetParam()));
  auto small = client.Get(node.Url("/dev1/big"), 100);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().failure, NodeFailure::kBadResponse);
  auto full = client.Get(node.Url("/dev1/big"));
  ASSERT_TRUE(full);
  EXPECT_EQ(full->body.size(), 10000u);

  auto bad_md5 = client.Put(node.Url("/dev1/test-write/test-md5"), ".",
                            {{"Content-MD5", DigestBase64(DigestAlg::kMd5, "!")}});
  ASSERT_TRUE(bad_md5);
  EXPECT_EQ(bad_md5->status, 400);
  auto good_md5 = client.Put(node.Url("/dev1/test-write/test-md5"), ".",
                             {{"Content-MD5", DigestBase64(DigestAlg::kMd5, ".")}});
  ASSERT_TRUE(good_md5);
  EXPECT_EQ(good_md5->status, 201);
}

TEST_P(HttpNodeClientTest, DigestViaSideChannelAndViaHttpFallback) {
  test::FakeHttpNode node;
  const std::string path = "/dev1/0/000/000/0000000007.fid";
  node.PutFile(path, "hello");
  HttpNodeClient client(FastOptions(GetParam()));
  DigestRequest req;
  req.host_ip = node.ip();
  req.side_port = node.side_port();
  req.get_url = node.Url(path);
  req.alg = DigestAlg::kMd5;
  req.size = 5;
  auto side = client.Digest(req);
  ASSERT_TRUE(side) << side.error().message;
  EXPECT_TRUE(side->via_side_channel);
  EXPECT_EQ(side->hex, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(node.Count("GET"), 0);

  node.set_side_channel_errors(true);
  req.alg = DigestAlg::kSha1;
  auto http = client.Digest(req);
  ASSERT_TRUE(http) << http.error().message;
  EXPECT_FALSE(http->via_side_channel);
  EXPECT_EQ(http->hex, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  EXPECT_EQ(node.Count("GET"), 1);

  // Side channel port closed: HTTP fallback still works; a missing file is reported missing.
  req.side_port = test::FreePort("127.0.0.1");
  req.get_url = node.Url("/dev1/0/000/000/0000000008.fid");
  auto missing = client.Digest(req);
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->missing);

  // Side channel says -1 → confirmed over HTTP → missing.
  node.set_side_channel_errors(false);
  req.side_port = node.side_port();
  missing = client.Digest(req);
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->missing);
}

TEST_P(HttpNodeClientTest, CopyStreamsSourceToDestinationWithDigest) {
  test::FakeHttpNode src("127.0.0.2");
  test::FakeHttpNode dst("127.0.0.3");
  std::string body;
  for (int i = 0; i < 300000; ++i) body += static_cast<char>('a' + i % 26);
  body += std::string(3 << 20, 'z');  // > 3 MiB: streamed in several 1 MiB pieces
  const std::string path = "/dev1/0/000/000/0000000009.fid";
  src.PutFile(path, body);
  HttpNodeClient client(FastOptions(GetParam()));
  CopyRequest req;
  req.src_url = src.Url(path);
  req.dst_url = dst.Url("/dev2/0/000/000/0000000009.fid");
  req.length = body.size();
  req.digest = DigestAlg::kMd5;
  req.content_md5_b64 = DigestBase64(DigestAlg::kMd5, body);
  auto r = client.Copy(req);
  ASSERT_TRUE(r) << r.error().error.message;
  EXPECT_EQ(r->bytes, body.size());
  EXPECT_EQ(r->digest_hex, DigestHex(DigestAlg::kMd5, body));
  EXPECT_EQ(r->dst_status, 201);  // Content-MD5 verified by the destination
  EXPECT_EQ(dst.File("/dev2/0/000/000/0000000009.fid"), body);

  // Wrong expected length → blamed on the source, nothing written.
  req.length = body.size() + 1;
  req.dst_url = dst.Url("/dev2/0/000/000/0000000010.fid");
  auto wrong = client.Copy(req);
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(wrong.error().source_side);
  EXPECT_EQ(dst.File("/dev2/0/000/000/0000000010.fid"), std::nullopt);

  // Destination refuses → blamed on the destination.
  req.length = body.size();
  dst.set_fail_puts(true);
  auto refused = client.Copy(req);
  ASSERT_FALSE(refused);
  EXPECT_FALSE(refused.error().source_side);
  EXPECT_EQ(refused.error().error.status, 500);
}

// ---- against the real mogstored, when it has been built ----

class RealMogstored : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test::BinPath("mogstored"))) {
      GTEST_SKIP() << "build/bin/mogstored not built";
    }
    std::filesystem::create_directories(dir_.path() + "/dev1");
    std::filesystem::create_directories(dir_.path() + "/dev2");
    http_port_ = test::FreePort("127.0.0.1");
    side_port_ = test::FreePort("127.0.0.1");
    proc_ = std::make_unique<test::ChildProcess>(
        std::vector<std::string>{test::BinPath("mogstored"), "--skipconfig",
                                 "--docroot=" + dir_.path(),
                                 "--httplisten=127.0.0.1:" + std::to_string(http_port_),
                                 "--mgmtlisten=127.0.0.1:" + std::to_string(side_port_)},
        dir_.path() + "/mogstored.log");
    if (!test::WaitForPort("127.0.0.1", http_port_, std::chrono::seconds(10))) {
      FAIL() << "mogstored did not start:\n" << proc_->Log();
    }
    test::WaitForPort("127.0.0.1", side_port_, std::chrono::seconds(5));
  }
  std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(http_port_) + path;
  }
  test::TempDir dir_;
  uint16_t http_port_ = 0;
  uint16_t side_port_ = 0;
  std::unique_ptr<test::ChildProcess> proc_;
};

TEST_P(RealMogstored, PutHeadDigestMkcolDelete) {
  HttpNodeClient client(FastOptions(GetParam()));
  const std::string path = "/dev1/0/000/000/0000000042.fid";
  EXPECT_EQ(client.Mkcol(Url("/dev1/0/")), MkcolOutcome::kUnsupported);  // mogstored: 400
  auto put = client.Put(Url(path), "hello");
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_TRUE(put->ok()) << put->status;
  auto head = client.HeadSize(Url(path));
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->content_length, 5u);
  auto missing = client.HeadSize(Url("/dev1/0/000/000/0000000043.fid"));
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->missing());

  DigestRequest req{"127.0.0.1", side_port_, Url(path), DigestAlg::kMd5, "fsck", 5};
  auto digest = client.Digest(req);
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_TRUE(digest->via_side_channel);
  EXPECT_EQ(digest->hex, "5d41402abc4b2a76b9719d911017c592");

  auto del = client.Delete(Url(path));
  ASSERT_TRUE(del);
  EXPECT_EQ(*del, 204);
}

TEST_P(RealMogstored, StreamedCopyWithContentMd5AndDigestFallback) {
  HttpNodeClient client(FastOptions(GetParam()));
  std::string body(2500000, 'q');
  body += "tail";
  const std::string src = "/dev1/0/000/000/0000000050.fid";
  const std::string dst = "/dev2/0/000/000/0000000050.fid";
  ASSERT_TRUE(client.Put(Url(src), body));
  CopyRequest req;
  req.src_url = Url(src);
  req.dst_url = Url(dst);
  req.length = body.size();
  req.digest = DigestAlg::kSha1;
  req.content_md5_b64 = DigestBase64(DigestAlg::kMd5, body);
  auto copied = client.Copy(req);
  ASSERT_TRUE(copied) << copied.error().error.message;
  EXPECT_EQ(copied->dst_status, 201);  // mogstored verified Content-MD5
  EXPECT_EQ(copied->digest_hex, DigestHex(DigestAlg::kSha1, body));
  auto head = client.HeadSize(Url(dst));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->content_length, body.size());

  // A wrong Content-MD5 is refused by the destination and blamed on it.
  req.dst_url = Url("/dev2/0/000/000/0000000051.fid");
  req.content_md5_b64 = DigestBase64(DigestAlg::kMd5, "other");
  auto refused = client.Copy(req);
  ASSERT_FALSE(refused);
  EXPECT_FALSE(refused.error().source_side);
  EXPECT_EQ(refused.error().error.status, 400);

  // Side channel unreachable (wrong port): digest computed from an HTTP GET instead.
  DigestRequest dreq{"127.0.0.1", test::FreePort("127.0.0.1"), Url(dst), DigestAlg::kMd5, "",
                     body.size()};
  auto digest = client.Digest(dreq);
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_FALSE(digest->via_side_channel);
  EXPECT_EQ(digest->hex, DigestHex(DigestAlg::kMd5, body));
}

INSTANTIATE_TEST_SUITE_P(IoModes, HttpNodeClientTest, ::testing::Values(1, 0));
INSTANTIATE_TEST_SUITE_P(IoModes, RealMogstored, ::testing::Values(1, 0));

}  // namespace
}  // namespace mog::tracker
