#include "storaged/http/get_handler.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace mog::storage::http {
namespace {

using mog::test::TempDir;
using mog::test::WriteFile;

constexpr std::time_t kNow = 1795607920;

class GetHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::mkdir(dir_.Sub("dev1").c_str(), 0755);
    WriteFile(dir_.Sub("dev1/hello.fid"), "hello world");
    WriteFile(dir_.Sub("secret"), "outside");
  }
  RequestHead Get(const std::string& target, const std::string& method = "GET") {
    RequestHead head;
    head.method = method;
    head.target = target;
    head.version = 11;
    return head;
  }
  std::string LastModified(const std::string& rel) {
    struct stat st {};
    ::stat(dir_.Sub(rel).c_str(), &st);
    return HttpDate(st.st_mtime);
  }
  std::string StatusLine(const Response& r) { return r.head.substr(0, r.head.find("\r\n")); }

  TempDir dir_;
  Docroot docroot_{dir_.path()};
};

TEST_F(GetHandlerTest, FileHeadersInPerlbalOrderWithETag) {
  Response r = HandleGet(docroot_, Get("/dev1/hello.fid"), kNow);
  ASSERT_EQ(r.status, 200);
  const std::string lm = LastModified("dev1/hello.fid");
  const size_t etag_start = r.head.find("ETag: \"");
  ASSERT_NE(etag_start, std::string::npos);
  const std::string etag_line =
      r.head.substr(etag_start, r.head.find("\r\n", etag_start) - etag_start + 2);
  EXPECT_EQ(r.head, "HTTP/1.0 200 OK\r\n"
                    "Date: " + HttpDate(kNow) + "\r\n"
                    "Server: Perlbal\r\n"
                    "Last-Modified: " + lm + "\r\n" +
                    etag_line +
                    "Accept-Ranges: bytes\r\n"
                    "Content-Type: text/plain\r\n"
                    "Content-Length: 11\r\n"
                    "Connection: keep-alive\r\n"
                    "Keep-Alive: timeout=30, max=100\r\n\r\n");
  // Small bodies are read inline; only large ones are left for sendfile.
  EXPECT_FALSE(r.file);
  EXPECT_EQ(r.body, "hello world");
}

TEST_F(GetHandlerTest, LargeFileIsLeftForSendfile) {
  const std::string big(kInlineBodyLimit + 100, 'b');
  WriteFile(dir_.Sub("dev1/big.fid"), big);
  Response r = HandleGet(docroot_, Get("/dev1/big.fid"), kNow);
  EXPECT_TRUE(r.file);
  EXPECT_EQ(r.file_offset, 0u);
  EXPECT_EQ(r.file_length, big.size());
  EXPECT_TRUE(r.body.empty());
  RequestHead ranged = Get("/dev1/big.fid");
  ranged.range = "bytes=1-";
  Response tail = HandleGet(docroot_, ranged, kNow);
  EXPECT_TRUE(tail.file);
  EXPECT_EQ(tail.file_offset, 1u);
  EXPECT_EQ(tail.file_length, big.size() - 1);
  ranged.range = "bytes=1-10";
  Response piece = HandleGet(docroot_, ranged, kNow);
  EXPECT_FALSE(piece.file);
  EXPECT_EQ(piece.body, "bbbbbbbbbb");
}

TEST_F(GetHandlerTest, HeadHasLengthButNoFile) {
  Response r = HandleGet(docroot_, Get("/dev1/hello.fid", "HEAD"), kNow);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.head.find("Content-Length: 11\r\n"), std::string::npos);
  EXPECT_FALSE(r.file);
}

TEST_F(GetHandlerTest, RangeGives206WithContentRange) {
  RequestHead head = Get("/dev1/hello.fid");
  head.range = "bytes=6-";
  Response r = HandleGet(docroot_, head, kNow);
  EXPECT_EQ(StatusLine(r), "HTTP/1.0 206 Partial Content");
  EXPECT_NE(r.head.find("Content-Type: text/plain\r\nContent-Range: bytes 6-10/11\r\n"
                        "Content-Length: 5\r\n"),
            std::string::npos);
  EXPECT_EQ(r.body, "world");
}

TEST_F(GetHandlerTest, UnsatisfiableRangeHeadersComeFirst) {
  RequestHead head = Get("/dev1/hello.fid");
  head.range = "bytes=11-";
  Response r = HandleGet(docroot_, head, kNow);
  EXPECT_EQ(r.head.rfind("HTTP/1.0 416 Request range not satisfiable\r\n"
                         "Content-Range: bytes */11\r\n"
                         "Content-Length: 0\r\n"
                         "Date: ",
                         0),
            0u);
  EXPECT_EQ(r.head.find("Content-Type"), std::string::npos);
  EXPECT_FALSE(r.file);
}

TEST_F(GetHandlerTest, IfModifiedSinceEqualGives304) {
  RequestHead head = Get("/dev1/hello.fid");
  head.if_modified_since = LastModified("dev1/hello.fid");
  Response r = HandleGet(docroot_, head, kNow);
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.head.find("Content-Length"), std::string::npos);
  EXPECT_NE(r.head.find("Connection: keep-alive"), std::string::npos);
  EXPECT_FALSE(r.file);

  head.if_modified_since += "; length=11";
  EXPECT_EQ(HandleGet(docroot_, head, kNow).status, 304);
  head.if_modified_since = LastModified("dev1/hello.fid") + "; length=12";
  EXPECT_EQ(HandleGet(docroot_, head, kNow).status, 200);
  head.if_modified_since = "Thu, 01 Jan 1970 00:00:00 GMT";
  EXPECT_EQ(HandleGet(docroot_, head, kNow).status, 200);
}

TEST_F(GetHandlerTest, IfNoneMatchWithCurrentETagGives304) {
  Response first = HandleGet(docroot_, Get("/dev1/hello.fid"), kNow);
  size_t start = first.head.find("ETag: ") + 6;
  std::string etag = first.head.substr(start, first.head.find("\r\n", start) - start);
  RequestHead head = Get("/dev1/hello.fid");
  head.if_none_match = "\"other\", " + etag;
  EXPECT_EQ(HandleGet(docroot_, head, kNow).status, 304);
  head.if_none_match = "\"other\"";
  EXPECT_EQ(HandleGet(docroot_, head, kNow).status, 200);
}

TEST_F(GetHandlerTest, DirectoriesAndRoot) {
  for (const char* target : {"/", "/dev1", "/dev1/", "//dev1//"}) {
    Response r = HandleGet(docroot_, Get(target), kNow);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "<h1>200 - OK</h1>\nDirectory listing disabled") << target;
  }
  WriteFile(dir_.Sub("dev1/index.html"), "<p>i</p>");
  Response r = HandleGet(docroot_, Get("/dev1/"), kNow);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.head.find("Content-Type: text/html\r\n"), std::string::npos);
  EXPECT_EQ(r.body, "<p>i</p>");
}

TEST_F(GetHandlerTest, MissingAndOutsideDevices) {
  EXPECT_EQ(HandleGet(docroot_, Get("/dev1/nope.fid"), kNow).status, 404);
  EXPECT_EQ(HandleGet(docroot_, Get("/dev2/hello.fid"), kNow).status, 404);
  EXPECT_EQ(HandleGet(docroot_, Get("/secret"), kNow).status, 404);  // docroot itself: no
  EXPECT_EQ(HandleGet(docroot_, Get("/dev1/hello.fid/x"), kNow).status, 404);
  EXPECT_EQ(HandleGet(docroot_, Get("/dev1/%2e%2e/secret"), kNow).status, 403);
}

TEST_F(GetHandlerTest, SymlinkLeadingOutOfDeviceIsRefused) {
  ASSERT_EQ(::symlink(dir_.Sub("secret").c_str(), dir_.Sub("dev1/abs").c_str()), 0);
  ASSERT_EQ(::symlink("../secret", dir_.Sub("dev1/rel").c_str()), 0);
  ASSERT_EQ(::symlink("/etc", dir_.Sub("dev1/etc").c_str()), 0);
  for (const char* target : {"/dev1/abs", "/dev1/rel", "/dev1/etc/passwd"}) {
    Response r = HandleGet(docroot_, Get(target), kNow);
    EXPECT_EQ(r.status, 403) << target;
    EXPECT_FALSE(r.file) << target;
  }
  // A symlink that stays inside dev<N> is fine.
  ASSERT_EQ(::symlink("hello.fid", dir_.Sub("dev1/alias").c_str()), 0);
  EXPECT_EQ(HandleGet(docroot_, Get("/dev1/alias"), kNow).status, 200);
}

TEST_F(GetHandlerTest, DeviceDirectoryMayBeASymlink) {
  TempDir disk;
  WriteFile(disk.Sub("on-disk.fid"), "mounted");
  ASSERT_EQ(::symlink(disk.path().c_str(), dir_.Sub("dev7").c_str()), 0);
  Response r = HandleGet(docroot_, Get("/dev7/on-disk.fid"), kNow);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "mounted");
}

TEST_F(GetHandlerTest, FifoIsNotServedAndDoesNotBlock) {
  ASSERT_EQ(::mkfifo(dir_.Sub("dev1/pipe").c_str(), 0644), 0);
  EXPECT_EQ(HandleGet(docroot_, Get("/dev1/pipe"), kNow).status, 403);
}

TEST(ContentTypeTest, PerlbalTable) {
  EXPECT_EQ(ContentTypeFor("x.fid"), "text/plain");
  EXPECT_EQ(ContentTypeFor("usage"), "text/plain");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("a.tiff"), "image/tiff");
  EXPECT_EQ(ContentTypeFor("a.html"), "text/html");
  EXPECT_EQ(ContentTypeFor("a.HTML"), "text/plain");  // Perlbal's lookup is case-sensitive
}

}  // namespace
}  // namespace mog::storage::http

namespace mog::storage::http {
namespace {

TEST(GetHandlerCachedTest, CachedPathGivesTheSameAnswerWhenEverythingIsCached) {
  mog::test::TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  mog::test::WriteFile(dir.Sub("dev1/c.fid"), "cached body");
  Docroot docroot(dir.path());
  RequestHead head;
  head.method = "GET";
  head.target = "/dev1/c.fid";
  Response warm = HandleGet(docroot, head, kNow);  // just written and read: all in cache
  std::optional<Response> cached;
  for (int i = 0; i < 3 && !cached; ++i) cached = HandleGetCached(docroot, head, kNow);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->head, warm.head);
  EXPECT_EQ(cached->body, "cached body");
  head.target = "/dev1/missing.fid";
  auto missing = HandleGetCached(docroot, head, kNow);
  // A miss may be a cached negative entry (404) or need the disk (nullopt), never an error.
  if (missing) {
    EXPECT_EQ(missing->status, 404);
  }
}

}  // namespace
}  // namespace mog::storage::http
