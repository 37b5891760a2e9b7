// mogstored's by-key web listener against a real cluster: two storage nodes that also run
// weblisten, a private MariaDB and mogilefsd, plus a pure web node (no docroot). Everything is
// spoken as raw HTTP bytes.
#include <csignal>
#include <ctime>
#include <memory>

#include <gtest/gtest.h>

#include "storaged/web/secure_link.h"
#include "tests/integration/web/web_test_util.h"
#include "tests/support/process.h"
#include <dirent.h>
#include <sys/stat.h>

namespace mog::test::web {
namespace {

constexpr char kToken[] = "tok-123";
constexpr char kSecret[] = "s3cret";
const std::string kAuth = std::string("Authorization: Bearer ") + kToken + "\r\n";

// Counts the *.fid files below a docroot (and the hidden upload temps).
size_t CountFiles(const std::string& dir, const std::string& suffix) {
  size_t n = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  while (auto* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = dir + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      n += CountFiles(path, suffix);
    } else if (name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      ++n;
    }
  }
  ::closedir(d);
  return n;
}

class WebByKeyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LocalClusterOptions options;
    options.web_listener = true;
    options.storage_args = {std::string("--web_upload_token=") + kToken,
                            std::string("--web_secret=") + kSecret, "--web_secure_domains=secret",
                            "--web_path_cache_ttl=60",
                            "--web_domain_cache_control=secret: private, max-age=10"};
    cluster_ = new LocalCluster(options);
    for (const char* domain : {"photos", "secret"}) {
      ASSERT_TRUE(cluster_->Call("create_domain", {{"domain", domain}}).ok);
      ASSERT_TRUE(
          cluster_
              ->Call("create_class", {{"domain", domain}, {"class", "one"}, {"mindevcount", "1"}})
              .ok);
      ASSERT_TRUE(
          cluster_
              ->Call("create_class", {{"domain", domain}, {"class", "two"}, {"mindevcount", "2"}})
              .ok);
    }
    // A pure web node: no docroot, only weblisten + trackers, writes off (no token).
    pure_ = Listener{"127.0.0.5", FreePort("127.0.0.5")};
    pure_process_ = new ChildProcess(
        {BinPath("mogstored"), "--skipconfig", "--docroot=" + cluster_->dir() + "/nowhere",
         "--weblisten=" + pure_.ip + ":" + std::to_string(pure_.port),
         "--trackers=127.0.0.1:1," + cluster_->tracker_ip() + ":" +
             std::to_string(cluster_->tracker_port())},
        cluster_->dir() + "/pure-web.log");
    ASSERT_TRUE(WaitForPort(pure_.ip, pure_.port, std::chrono::seconds(15)))
        << pure_process_->Log();
  }
  static void TearDownTestSuite() {
    delete pure_process_;
    delete cluster_;
  }
  void TearDown() override {
    if (HasFailure())
      std::cerr << cluster_->Logs() << "\n=== pure web ===\n" << pure_process_->Log();
  }

  static Listener Web(size_t node) {
    return Listener{cluster_->nodes()[node].ip, cluster_->nodes()[node].web_port};
  }
  // PUTs through node 0's web listener; returns the status.
  static int Put(const std::string& domain, const std::string& key, const std::string& body,
                 const std::string& klass = "one") {
    return Request(Web(0), "PUT", "/" + domain + "/" + PercentEncodePath(key) + "?class=" + klass,
                   kAuth, body)
        .status;
  }
  static std::string PercentEncodePath(const std::string& key) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : key) {
      if (isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    return out;
  }
  static std::string Signed(const std::string& domain, const std::string& key, long long expires) {
    const std::string e = std::to_string(expires);
    const std::string md5 = mog::storage::web::SecureLinkHash(e, "/" + domain + "/" + key, kSecret);
    return "/" + domain + "/" + PercentEncodePath(key) + "?md5=" + md5 + "&expires=" + e;
  }

  static LocalCluster* cluster_;
  static Listener pure_;
  static ChildProcess* pure_process_;
};

LocalCluster* WebByKeyTest::cluster_ = nullptr;
Listener WebByKeyTest::pure_;
ChildProcess* WebByKeyTest::pure_process_ = nullptr;

TEST_F(WebByKeyTest, UploadThenDownloadByteExactWithBrowserHeaders) {
  const std::string key = "forum/2024 05/\xC3\xBC-pic.jpg";
  const std::string body = Pattern(300 * 1024 + 7, 1);
  ASSERT_EQ(Put("photos", key, body, "two"), 201);
  for (const Listener& web : {Web(0), Web(1), pure_}) {
    HttpResponse r = Request(web, "GET", "/photos/" + PercentEncodePath(key));
    ASSERT_EQ(r.status, 200) << r.headers;
    EXPECT_TRUE(r.body == body) << "body differs, " << r.body.size() << " bytes";
    EXPECT_EQ(r.Header("Content-Type"), "image/jpeg");
    EXPECT_EQ(r.Header("Content-Length"), std::to_string(body.size()));
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Accept-Ranges"), "bytes");
    EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=300");
    EXPECT_EQ(r.Header("Content-Disposition"), "");
    EXPECT_FALSE(r.Header("Last-Modified").empty());
    const std::string etag = r.Header("ETag");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(etag.front(), '"');  // strong
    HttpResponse head = Request(web, "HEAD", "/photos/" + PercentEncodePath(key));
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.Header("Content-Length"), std::to_string(body.size()));
    EXPECT_EQ(head.body, "");
  }
  // A key rewritten gets a new fid, hence a new ETag.
  const std::string first_etag =
      Request(Web(0), "HEAD", "/photos/" + PercentEncodePath(key)).Header("ETag");
  ASSERT_EQ(Put("photos", key, "new bytes", "one"), 201);
  HttpResponse again = Request(Web(0), "GET", "/photos/" + PercentEncodePath(key));
  EXPECT_EQ(again.body, "new bytes");
  EXPECT_NE(again.Header("ETag"), first_etag);
}

TEST_F(WebByKeyTest, ServesItsOwnCopyFromDiskAndOthersFromTheirNode) {
  const std::string key = "single copy.png";
  const std::string body = Pattern(70 * 1024, 2);
  ASSERT_EQ(Put("photos", key, body, "one"), 201);
  auto paths = TrackerPaths(*cluster_, "photos", key);
  ASSERT_EQ(paths.size(), 1u);
  const int holder = NodeOf(*cluster_, paths[0]);
  ASSERT_GE(holder, 0);
  HttpResponse local = Request(Web(holder), "GET", "/photos/single%20copy.png");
  EXPECT_EQ(local.status, 200);
  EXPECT_EQ(local.Header("X-MogileFS-Copy"), "local");
  EXPECT_TRUE(local.body == body);
  HttpResponse remote = Request(Web(1 - holder), "GET", "/photos/single%20copy.png");
  EXPECT_EQ(remote.status, 200);
  EXPECT_EQ(remote.Header("X-MogileFS-Copy"), "remote");
  EXPECT_TRUE(remote.body == body);
  EXPECT_EQ(remote.Header("ETag"), local.Header("ETag"));
  EXPECT_EQ(remote.Header("Last-Modified"), local.Header("Last-Modified"));
  EXPECT_EQ(remote.Header("Content-Type"), "image/png");
}

TEST_F(WebByKeyTest, ConditionalRequestsAndRangesLocalAndRemote) {
  const std::string key = "clips/v.mp4";
  const std::string body = Pattern(200 * 1024, 3);
  ASSERT_EQ(Put("photos", key, body, "one"), 201);
  for (const Listener& web : {Web(0), Web(1)}) {
    HttpResponse full = Request(web, "GET", "/photos/clips/v.mp4");
    ASSERT_EQ(full.status, 200);
    const std::string etag = full.Header("ETag");
    const std::string lm = full.Header("Last-Modified");
    HttpResponse inm =
        Request(web, "GET", "/photos/clips/v.mp4", "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(inm.status, 304);
    EXPECT_EQ(inm.body, "");
    EXPECT_EQ(inm.Header("ETag"), etag);
    HttpResponse other = Request(web, "GET", "/photos/clips/v.mp4", "If-None-Match: \"1\"\r\n");
    EXPECT_EQ(other.status, 200);
    HttpResponse ims =
        Request(web, "GET", "/photos/clips/v.mp4", "If-Modified-Since: " + lm + "\r\n");
    EXPECT_EQ(ims.status, 304) << ims.headers;
    HttpResponse old = Request(web, "GET", "/photos/clips/v.mp4",
                               "If-Modified-Since: Thu, 01 Jan 1998 00:00:00 GMT\r\n");
    EXPECT_EQ(old.status, 200);
    HttpResponse part = Request(web, "GET", "/photos/clips/v.mp4", "Range: bytes=1000-1999\r\n");
    EXPECT_EQ(part.status, 206);
    EXPECT_EQ(part.Header("Content-Range"), "bytes 1000-1999/" + std::to_string(body.size()));
    EXPECT_TRUE(part.body == body.substr(1000, 1000));
    HttpResponse tail = Request(web, "GET", "/photos/clips/v.mp4", "Range: bytes=-100\r\n");
    EXPECT_EQ(tail.status, 206);
    EXPECT_TRUE(tail.body == body.substr(body.size() - 100));
    HttpResponse open = Request(web, "GET", "/photos/clips/v.mp4", "Range: bytes=204000-\r\n");
    EXPECT_EQ(open.status, 206);
    EXPECT_TRUE(open.body == body.substr(204000));
    HttpResponse bad = Request(web, "GET", "/photos/clips/v.mp4", "Range: bytes=999999-\r\n");
    EXPECT_EQ(bad.status, 416);
    EXPECT_EQ(bad.Header("Content-Range"), "bytes */" + std::to_string(body.size()));
  }
}

TEST_F(WebByKeyTest, SignedLinksGoodBadExpired) {
  const std::string key = "paid/\xE2\x82\xAC cover.webp";
  ASSERT_EQ(Put("secret", key, "webp-bytes", "one"), 201);
  const long long future = std::time(nullptr) + 3600;
  for (const Listener& web : {Web(0), Web(1)}) {
    HttpResponse good = Request(web, "GET", Signed("secret", key, future));
    EXPECT_EQ(good.status, 200);
    EXPECT_EQ(good.body, "webp-bytes");
    EXPECT_EQ(good.Header("Cache-Control"), "private, max-age=10");  // per-domain setting
    HttpResponse none = Request(web, "GET", "/secret/" + PercentEncodePath(key));
    EXPECT_EQ(none.status, 403);
    EXPECT_EQ(none.body, "403 Forbidden\n");  // no word on why
    std::string tampered = Signed("secret", key, future);
    tampered.replace(tampered.find("md5=") + 4, 1,
                     tampered[tampered.find("md5=") + 4] == 'A' ? "B" : "A");
    HttpResponse bad = Request(web, "GET", tampered);
    EXPECT_EQ(bad.status, 403);
    EXPECT_EQ(bad.body, none.body);
    HttpResponse expired = Request(web, "GET", Signed("secret", key, std::time(nullptr) - 10));
    EXPECT_EQ(expired.status, 403);
    EXPECT_EQ(expired.body, none.body);
    // The signature of one key does not open another.
    HttpResponse moved = Request(
        web, "GET", Signed("secret", "other", future).replace(8, 5, PercentEncodePath(key)));
    EXPECT_EQ(moved.status, 403);
  }
  // The same link made by mogurl.
  CommandResult url =
      RunCommand({BinPath("mogurl"), "--base=http://127.0.0.2:1", "--domain=secret", "--key=" + key,
                  "--secret=" + std::string(kSecret), "--expires=600"});
  ASSERT_EQ(url.exit_code, 0) << url.output;
  const std::string target =
      url.output.substr(std::string("http://127.0.0.2:1").size(),
                        url.output.size() - 1 - std::string("http://127.0.0.2:1").size());
  EXPECT_EQ(Request(Web(0), "GET", target).status, 200) << url.output;
  // Domains not in web_secure_domains need no link.
  ASSERT_EQ(Put("photos", "open.gif", "gif", "one"), 201);
  EXPECT_EQ(Request(Web(0), "GET", "/photos/open.gif").status, 200);
}

TEST_F(WebByKeyTest, RefusalsAndUnknownNames) {
  for (const char* target : {"/photos/a%zzb", "/photos/a%00b", "/photos/../etc/passwd",
                             "/photos/a/%2E%2E/b", "/photos", "/photos/", "//k"}) {
    HttpResponse r = Request(Web(0), "GET", target);
    EXPECT_EQ(r.status, 400) << target;
  }
  EXPECT_EQ(Request(Web(0), "GET", "/photos/" + std::string(5000, 'k')).status, 400);
  EXPECT_EQ(Request(Web(0), "GET", "/photos/no-such-key.jpg").status, 404);
  EXPECT_EQ(Request(Web(0), "GET", "/nodomain/k.jpg").status, 404);
  EXPECT_EQ(Request(pure_, "GET", "/nodomain/k.jpg").status, 404);
  HttpResponse post = Request(Web(0), "POST", "/photos/k.jpg", "", "x");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET, HEAD, PUT, DELETE");
  // Script-capable types are attachments, never rendered on this origin.
  ASSERT_EQ(Put("photos", "evil/page.html", "<script>alert(1)</script>"), 201);
  ASSERT_EQ(Put("photos", "evil/img.svg", "<svg onload=alert(1)/>"), 201);
  for (const char* target : {"/photos/evil/page.html", "/photos/evil/img.svg"}) {
    HttpResponse r = Request(Web(1), "GET", target);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("Content-Disposition").rfind("attachment", 0), 0u) << target;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(WebByKeyTest, WritesNeedTheTokenAndAreOffWithoutOne) {
  EXPECT_EQ(Request(Web(0), "PUT", "/photos/w.txt", "", "x").status, 401);
  HttpResponse wrong =
      Request(Web(0), "PUT", "/photos/w.txt", "Authorization: Bearer nope\r\n", "x");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(Request(Web(0), "DELETE", "/photos/w.txt").status, 401);
  EXPECT_EQ(TrackerPaths(*cluster_, "photos", "w.txt").size(), 0u);
  HttpResponse off = Request(pure_, "PUT", "/photos/w.txt", kAuth, "x");
  EXPECT_EQ(off.status, 405);
  EXPECT_EQ(off.Header("Allow"), "GET, HEAD");
  EXPECT_EQ(Request(pure_, "DELETE", "/photos/w.txt", kAuth).status, 405);
  EXPECT_EQ(Request(Web(0), "PUT", "/nodomain/w.txt", kAuth, "x").status, 404);
  EXPECT_EQ(Request(Web(0), "PUT", "/photos/w.txt?class=nope", kAuth, "x").status, 400);

  ASSERT_EQ(Put("photos", "w.txt", "hello"), 201);
  EXPECT_EQ(Request(Web(0), "GET", "/photos/w.txt").body, "hello");
  EXPECT_EQ(Request(Web(0), "DELETE", "/photos/w.txt", kAuth).status, 204);
  EXPECT_EQ(Request(Web(0), "GET", "/photos/w.txt").status, 404);  // cache dropped
  EXPECT_EQ(Request(Web(0), "DELETE", "/photos/w.txt", kAuth).status, 404);
}

TEST_F(WebByKeyTest, ChunkedAndContinueUploads) {
  const std::string body = Pattern(600 * 1024, 9);
  std::string chunked = "PUT /photos/chunked.bin?class=one HTTP/1.1\r\nHost: t\r\n" + kAuth +
                        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  for (size_t at = 0; at < body.size(); at += 100000) {
    const std::string part = body.substr(at, 100000);
    char size[16];
    std::snprintf(size, sizeof(size), "%zx\r\n", part.size());
    chunked += size + part + "\r\n";
  }
  chunked += "0\r\n\r\n";
  EXPECT_EQ(HttpExchange(Web(1).ip, Web(1).port, chunked).status, 201);
  EXPECT_TRUE(Request(Web(0), "GET", "/photos/chunked.bin").body == body);

  TcpClient c(Web(0).ip, Web(0).port);
  ASSERT_TRUE(c.Send("PUT /photos/continue.bin HTTP/1.1\r\nHost: t\r\n" + kAuth +
                     "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(c.ReadUntil("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.Send("12345"));
  EXPECT_EQ(ReadHttpResponse(c).status, 201);
  EXPECT_EQ(Request(Web(1), "GET", "/photos/continue.bin").body, "12345");
}

TEST_F(WebByKeyTest, UploadCutMidBodyLeavesNoKeyAndNoFile) {
  size_t fids_before = 0;
  for (auto& n : cluster_->nodes()) fids_before += CountFiles(n.docroot, ".fid");
  {
    TcpClient c(Web(0).ip, Web(0).port);
    ASSERT_TRUE(c.Send("PUT /photos/cut.bin?class=two HTTP/1.1\r\nHost: t\r\n" + kAuth +
                       "Content-Length: 10485760\r\n\r\n"));
    ASSERT_TRUE(c.Send(Pattern(1 << 20, 4)));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }  // closed mid-body
  // The node sees the cut, drops its temp; nothing was closed at the tracker.
  EXPECT_TRUE(WaitUntil(
      [&] {
        size_t temps = 0;
        for (auto& n : cluster_->nodes()) temps += CountFiles(n.docroot, ".tmp");
        return temps == 0;
      },
      std::chrono::seconds(10)));
  size_t fids_after = 0;
  for (auto& n : cluster_->nodes()) fids_after += CountFiles(n.docroot, ".fid");
  EXPECT_EQ(fids_after, fids_before);
  EXPECT_EQ(TrackerPaths(*cluster_, "photos", "cut.bin").size(), 0u);
  EXPECT_EQ(Request(Web(1), "GET", "/photos/cut.bin").status, 404);
}

// Kills: a cluster of its own. Copies on both nodes are made to differ on disk (same size)
// so the body tells which node served.
TEST(WebFailoverTest, FailsOverDropsTheCacheAndSays503WhenNothingIsLeft) {
  LocalClusterOptions options;
  options.web_listener = true;
  options.storage_args = {std::string("--web_upload_token=") + kToken, "--web_path_cache_ttl=60"};
  LocalCluster cluster(options);
  auto logs = [&] { return cluster.Logs(); };
  ASSERT_TRUE(cluster.Call("create_domain", {{"domain", "d"}}).ok);
  ASSERT_TRUE(
      cluster.Call("create_class", {{"domain", "d"}, {"class", "two"}, {"mindevcount", "2"}}).ok);
  const Listener pure{"127.0.0.6", FreePort("127.0.0.6")};
  ChildProcess web(
      {BinPath("mogstored"), "--skipconfig", "--docroot=" + cluster.dir() + "/none",
       "--weblisten=" + pure.ip + ":" + std::to_string(pure.port), "--web_path_cache_ttl=60",
       "--trackers=" + cluster.tracker_ip() + ":" + std::to_string(cluster.tracker_port())},
      cluster.dir() + "/pure-web.log");
  ASSERT_TRUE(WaitForPort(pure.ip, pure.port, std::chrono::seconds(15)));

  const Listener node0{cluster.nodes()[0].ip, cluster.nodes()[0].web_port};
  ASSERT_EQ(Request(node0, "PUT", "/d/f.jpg?class=two", kAuth, std::string(4096, 'x')).status, 201)
      << logs();
  ASSERT_TRUE(WaitCopies(cluster, "d", "f.jpg", 2)) << logs();
  for (const auto& path : TrackerPaths(cluster, "d", "f.jpg")) {
    const int node = NodeOf(cluster, path);
    OverwriteFile(FileOf(cluster, path), std::string(4096, static_cast<char>('A' + node)));
  }
  HttpResponse first = Request(pure, "GET", "/d/f.jpg");
  ASSERT_EQ(first.status, 200) << logs() << web.Log();
  const int served_by = first.body[0] - 'A';
  ASSERT_TRUE(served_by == 0 || served_by == 1);

  cluster.StopTracker();
  HttpResponse cached = Request(pure, "GET", "/d/f.jpg");  // no tracker needed: cached paths
  EXPECT_EQ(cached.status, 200);
  EXPECT_EQ(cached.body[0], first.body[0]);
  EXPECT_EQ(Request(pure, "GET", "/d/uncached.jpg").status, 503);  // trackers unreachable
  EXPECT_FALSE(Request(pure, "GET", "/d/uncached.jpg").Header("Retry-After").empty());

  cluster.KillNode(served_by);
  HttpResponse failover = Request(pure, "GET", "/d/f.jpg");
  EXPECT_EQ(failover.status, 200);
  EXPECT_EQ(failover.body, std::string(4096, static_cast<char>('A' + (1 - served_by))));
  // The failure dropped the entry: with the tracker gone the key can no longer be resolved.
  HttpResponse dropped = Request(pure, "GET", "/d/f.jpg");
  EXPECT_EQ(dropped.status, 503);

  cluster.StartTracker();
  // A tracker just started may not know yet that the node is gone; bounded.
  HttpResponse back;
  WaitUntil(
      [&] {
        back = Request(pure, "GET", "/d/f.jpg");
        if (back.status == 200) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return false;
      },
      std::chrono::seconds(20));
  EXPECT_EQ(back.status, 200) << web.Log();
  EXPECT_EQ(back.body[0], static_cast<char>('A' + (1 - served_by)));
  cluster.KillNode(1 - served_by);
  HttpResponse none = Request(pure, "GET", "/d/f.jpg");
  EXPECT_EQ(none.status, 503);
  EXPECT_EQ(none.Header("Retry-After"), "5");
  if (HasFailure()) std::cerr << logs() << "\n=== pure web ===\n" << web.Log();
}

}  // namespace
}  // namespace mog::test::web
