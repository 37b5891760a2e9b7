// conf/nginx/mogilefs-web.conf, unchanged, in Debian's nginx in front of two web listeners:
// cache, ranges from the cache, 304s, and the same signed links accepted at the edge.
#include <ctime>

#include <gtest/gtest.h>

#include "storaged/web/secure_link.h"
#include "tests/integration/web/web_test_util.h"

namespace mog::test::web {
namespace {

constexpr char kSecret[] = "edge-secret";
const std::string kAuth = "Authorization: Bearer tok\r\n";

TEST(WebNginxTest, SampleSiteCachesRangesRevalidatesAndChecksLinks) {
  if (!HaveProgram(NginxFront::kBinary)) GTEST_SKIP() << "no " << NginxFront::kBinary;
  LocalClusterOptions options;
  options.web_listener = true;
  options.storage_args = {"--web_upload_token=tok", std::string("--web_secret=") + kSecret,
                          "--web_secure_domains=paid"};
  LocalCluster cluster(options);
  ASSERT_TRUE(cluster.Call("create_domain", {{"domain", "img"}}).ok);
  ASSERT_TRUE(cluster.Call("create_domain", {{"domain", "paid"}}).ok);
  std::vector<Listener> webs;
  for (auto& n : cluster.nodes()) webs.push_back({n.ip, n.web_port});
  NginxFront nginx(cluster.dir() + "/nginx", Listener{"127.0.0.1", FreePort("127.0.0.1")}, webs,
                   kSecret, "^/paid/");
  ASSERT_TRUE(nginx.up()) << nginx.Log();
  const Listener& edge = nginx.listener();

  const std::string body = Pattern(200 * 1024 + 3, 11);
  ASSERT_EQ(Request(webs[0], "PUT", "/img/a%20b/%C3%BC.jpg", kAuth, body).status, 201);
  HttpResponse miss = Request(edge, "GET", "/img/a%20b/%C3%BC.jpg");
  ASSERT_EQ(miss.status, 200) << nginx.Log();
  EXPECT_TRUE(miss.body == body);
  EXPECT_EQ(miss.Header("X-Cache-Status"), "MISS");
  EXPECT_EQ(miss.Header("Content-Type"), "image/jpeg");
  HttpResponse hit = Request(edge, "GET", "/img/a%20b/%C3%BC.jpg");
  EXPECT_EQ(hit.Header("X-Cache-Status"), "HIT");
  EXPECT_TRUE(hit.body == body);
  EXPECT_EQ(hit.Header("ETag"), Request(webs[1], "HEAD", "/img/a%20b/%C3%BC.jpg").Header("ETag"));

  HttpResponse part = Request(edge, "GET", "/img/a%20b/%C3%BC.jpg", "Range: bytes=1000-1999\r\n");
  EXPECT_EQ(part.status, 206);
  EXPECT_TRUE(part.body == body.substr(1000, 1000));
  HttpResponse tail = Request(edge, "GET", "/img/a%20b/%C3%BC.jpg", "Range: bytes=-10\r\n");
  EXPECT_EQ(tail.status, 206);
  EXPECT_TRUE(tail.body == body.substr(body.size() - 10));
  HttpResponse same = Request(edge, "GET", "/img/a%20b/%C3%BC.jpg",
                              "If-None-Match: " + hit.Header("ETag") + "\r\n");
  EXPECT_EQ(same.status, 304);
  EXPECT_EQ(Request(edge, "GET", "/img/missing.jpg").status, 404);
  EXPECT_EQ(Request(edge, "PUT", "/img/x.jpg", kAuth, "x").status, 403);  // writes bypass nginx

  ASSERT_EQ(Request(webs[1], "PUT", "/paid/p.png", kAuth, "png-bytes").status, 201);
  const long long later = std::time(nullptr) + 600;
  const std::string good = mog::storage::web::ByKeyTarget("paid", "p.png", kSecret, later);
  HttpResponse ok = Request(edge, "GET", good);
  EXPECT_EQ(ok.status, 200) << nginx.Log();
  EXPECT_EQ(ok.body, "png-bytes");
  EXPECT_EQ(Request(webs[0], "GET", good).status, 200);  // the same link, without nginx
  EXPECT_EQ(Request(edge, "GET", "/paid/p.png").status, 403);
  std::string bad = good;
  bad[bad.find("md5=") + 5] ^= 1;
  EXPECT_EQ(Request(edge, "GET", bad).status, 403);
  const std::string expired =
      mog::storage::web::ByKeyTarget("paid", "p.png", kSecret, std::time(nullptr) - 5);
  EXPECT_EQ(Request(edge, "GET", expired).status, 403);
  EXPECT_EQ(Request(webs[0], "GET", expired).status, 403);
  if (HasFailure()) std::cerr << cluster.Logs() << "\n=== nginx ===\n" << nginx.Log();
}

}  // namespace
}  // namespace mog::test::web
