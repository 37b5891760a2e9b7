// Byte-exact PUT/GET round trips, ranges, chunked uploads, Content-MD5, DELETE, methods,
// keep-alive and pipelining against the real mogstored.
#include <random>

#include "tests/integration/storaged/mogstored_fixture.h"

namespace mog::test {
namespace {

using HttpRoundTripTest = MogstoredTest;

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

TEST_F(HttpRoundTripTest, ZeroByteFile) {
  HttpResponse put = Put("/dev1/0/000/000/0000000001.fid", "");
  EXPECT_EQ(put.status_line, "HTTP/1.0 200 OK");
  EXPECT_EQ(put.body, "<h1>200 - OK</h1>\n");
  HttpResponse get = Get("/dev1/0/000/000/0000000001.fid");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.Header("Content-Length"), "0");
  EXPECT_EQ(get.body, "");
}

TEST_F(HttpRoundTripTest, MissingContentLengthMakesAnEmptyFile) {
  HttpResponse put = Exchange("PUT /dev1/empty.fid HTTP/1.0\r\n\r\n");
  EXPECT_EQ(put.status, 200);
  EXPECT_TRUE(FileExists(Path("dev1/empty.fid")));
  EXPECT_EQ(ReadFileOrEmpty(Path("dev1/empty.fid")), "");
}

TEST_F(HttpRoundTripTest, BinaryWithNulsIsByteExact) {
  std::string body = RandomBytes(70000, 1);
  body[0] = '\0';
  body[body.size() - 1] = '\0';
  ASSERT_EQ(Put("/dev1/0/000/000/0000000002.fid", body).status, 200);
  EXPECT_EQ(ReadFileOrEmpty(Path("dev1/0/000/000/0000000002.fid")), body);
  HttpResponse get = Get("/dev1/0/000/000/0000000002.fid");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.Header("Content-Type"), "text/plain");
  EXPECT_FALSE(get.Header("ETag").empty());
  EXPECT_FALSE(get.Header("Last-Modified").empty());
  EXPECT_EQ(get.body, body);
  HttpResponse head = Exchange("HEAD /dev1/0/000/000/0000000002.fid HTTP/1.0\r\n\r\n", true);
  EXPECT_EQ(head.Header("Content-Length"), "70000");
}

TEST_F(HttpRoundTripTest, FiftyMegabytes) {
  const std::string body = RandomBytes(50u << 20, 2);
  HttpResponse put = Put("/dev1/5/000/000/5000000000.fid", body);
  ASSERT_EQ(put.status, 200);
  HttpResponse get = Get("/dev1/5/000/000/5000000000.fid");
  EXPECT_EQ(get.Header("Content-Length"), std::to_string(body.size()));
  EXPECT_TRUE(get.body == body) << "body differs, got " << get.body.size() << " bytes";
}

TEST_F(HttpRoundTripTest, OverwriteReplacesWholeFile) {
  ASSERT_EQ(Put("/dev1/x.fid", "long original content").status, 200);
  ASSERT_EQ(Put("/dev1/x.fid", "short").status, 200);
  EXPECT_EQ(Get("/dev1/x.fid").body, "short");
}

TEST_F(HttpRoundTripTest, Ranges) {
  ASSERT_EQ(Put("/dev1/r.fid", "0123456789").status, 200);
  HttpResponse part = Get("/dev1/r.fid", "Range: bytes=2-5\r\n");
  EXPECT_EQ(part.status_line, "HTTP/1.0 206 Partial Content");
  EXPECT_EQ(part.Header("Content-Range"), "bytes 2-5/10");
  EXPECT_EQ(part.body, "2345");
  EXPECT_EQ(Get("/dev1/r.fid", "Range: bytes=7-\r\n").body, "789");
  EXPECT_EQ(Get("/dev1/r.fid", "Range: bytes=-3\r\n").body, "789");  // RFC suffix
  HttpResponse eof = Get("/dev1/r.fid", "Range: bytes=10-\r\n");
  EXPECT_EQ(eof.status_line, "HTTP/1.0 416 Request range not satisfiable");
  EXPECT_EQ(eof.Header("Content-Range"), "bytes */10");
  EXPECT_EQ(eof.Header("Content-Length"), "0");
  EXPECT_EQ(eof.body, "");
  HttpResponse multi = Get("/dev1/r.fid", "Range: bytes=0-1,4-5\r\n");
  EXPECT_EQ(multi.status, 200);
  EXPECT_EQ(multi.body, "0123456789");
}

TEST_F(HttpRoundTripTest, ChunkedPutWithExpectContinue) {
  auto client = Connect();
  ASSERT_TRUE(
      client->Send("PUT /dev1/c/hunk.fid HTTP/1.1\r\nHost: x\r\n"
                   "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(client->ReadUntil("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  std::string body = RandomBytes(300000, 3);
  std::string wire = "5;ext=1\r\n" + body.substr(0, 5) + "\r\n";
  wire += "1e000\r\n" + body.substr(5, 0x1e000) + "\r\n";
  size_t rest = body.size() - 5 - 0x1e000;
  char hex[16];
  std::snprintf(hex, sizeof hex, "%zx", rest);
  wire += std::string(hex) + "\r\n" + body.substr(5 + 0x1e000) + "\r\n0\r\n\r\n";
  ASSERT_TRUE(client->Send(wire));
  HttpResponse put = ReadHttpResponse(*client);
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.Header("Connection"), "keep-alive");
  EXPECT_EQ(ReadFileOrEmpty(Path("dev1/c/hunk.fid")), body);
}

TEST_F(HttpRoundTripTest, ContentMd5GoodGives201BadGives400AndNoFile) {
  // md5("hello") = XUFAKrxLKna5cZ2REBfFkg==
  HttpResponse good = Put("/dev1/m/good", "hello", "Content-MD5: XUFAKrxLKna5cZ2REBfFkg==\r\n");
  EXPECT_EQ(good.status_line, "HTTP/1.0 201 ");
  EXPECT_EQ(good.body, "<h1>201</h1>\n");
  EXPECT_EQ(ReadFileOrEmpty(Path("dev1/m/good")), "hello");
  // The tracker monitor's probe: body "." with the MD5 of "!".
  HttpResponse bad =
      Put("/dev1/test-write/test-md5", ".", "Content-MD5: kDPg4wXyR8DDyA0MeEjIsw==\r\n");
  EXPECT_EQ(bad.status_line, "HTTP/1.0 400 Bad request");
  EXPECT_EQ(bad.body,
            "<h1>400 - Bad request</h1>\nContent-MD5 mismatch, expected: kDPg4wXyR8DDyA0MeEjIsw "
            "actual: UFjxr4OIYz9gnK23WnXcnQ");
  EXPECT_FALSE(FileExists(Path("dev1/test-write/test-md5")));
}

TEST_F(HttpRoundTripTest, DeleteGives204Then404) {
  ASSERT_EQ(Put("/dev1/d.fid", "x").status, 200);
  HttpResponse del = Exchange("DELETE /dev1/d.fid HTTP/1.0\r\n\r\n");
  EXPECT_EQ(del.status_line, "HTTP/1.0 204 No Content");
  EXPECT_EQ(del.headers, "Server: Perlbal\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(FileExists(Path("dev1/d.fid")));
  EXPECT_EQ(Exchange("DELETE /dev1/d.fid HTTP/1.0\r\n\r\n").status, 404);
  HttpResponse bad = Exchange("DELETE /dev1/d.fid/ HTTP/1.0\r\n\r\n");
  EXPECT_EQ(bad.body, "<h1>400 - Bad request</h1>\nInvalid filename");
}

TEST_F(HttpRoundTripTest, MkcolAndOtherMethodsGet400) {
  for (const char* method : {"MKCOL", "OPTIONS", "POST", "MOVE", "PROPFIND"}) {
    HttpResponse r = Exchange(std::string(method) + " /dev1/test-write/ HTTP/1.0\r\n\r\n");
    EXPECT_EQ(r.status_line, "HTTP/1.0 400 Bad request") << method;
    EXPECT_EQ(r.body, "<h1>400 - Bad request</h1>\n") << method;
  }
}

TEST_F(HttpRoundTripTest, RootAndDoubleSlashUsage) {
  HttpResponse root = Get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.body, "<h1>200 - OK</h1>\nDirectory listing disabled");
  WriteFile(Path("dev1/usage"), "used: 1\n");
  EXPECT_TRUE(WaitUntil([&] { return Get("//dev1/usage").status == 200; }));
  EXPECT_EQ(Get("/dev1/nothing-here").status, 404);
}

TEST_F(HttpRoundTripTest, KeepAliveAndPipelining) {
  ASSERT_EQ(Put("/dev1/a.fid", "AAAA").status, 200);
  ASSERT_EQ(Put("/dev1/b.fid", "BB").status, 200);
  auto client = Connect();
  // Three requests in one segment, including a PUT whose body is followed by the next request.
  ASSERT_TRUE(
      client->Send("GET /dev1/a.fid HTTP/1.1\r\nHost: x\r\n\r\n"
                   "PUT /dev1/p.fid HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
                   "HEAD /dev1/b.fid HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /dev1/p.fid HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                   "GET /dev1/b.fid HTTP/1.0\r\n\r\n"));
  HttpResponse r1 = ReadHttpResponse(*client);
  EXPECT_EQ(r1.body, "AAAA");
  EXPECT_EQ(r1.Header("Connection"), "keep-alive");
  EXPECT_EQ(r1.Header("Keep-Alive"), "timeout=30, max=100");
  EXPECT_EQ(ReadHttpResponse(*client).status, 200);
  HttpResponse r3 = ReadHttpResponse(*client, /*head_request=*/true);
  EXPECT_EQ(r3.Header("Content-Length"), "2");
  HttpResponse r4 = ReadHttpResponse(*client);
  EXPECT_EQ(r4.body, "xyz");
  EXPECT_EQ(r4.Header("Connection"), "keep-alive");
  HttpResponse r5 = ReadHttpResponse(*client);
  EXPECT_EQ(r5.body, "BB");
  EXPECT_EQ(r5.Header("Connection"), "close");  // HTTP/1.0 without keep-alive
  EXPECT_TRUE(client->PeerClosed());
}

TEST_F(HttpRoundTripTest, UpstreamParsingQuirks) {
  ASSERT_EQ(Put("/dev1/q.fid", "quirk").status, 200);
  // Bare LF line ends are accepted, as by Perlbal.
  HttpResponse lf = Exchange("GET /dev1/q.fid HTTP/1.0\nX-A: b\n\n");
  EXPECT_EQ(lf.status, 200);
  EXPECT_EQ(lf.body, "quirk");
  // Negative Content-Length: upstream's message.
  HttpResponse negative = Exchange("PUT /dev1/n.fid HTTP/1.0\r\nContent-Length: -5\r\n\r\n");
  EXPECT_EQ(negative.body, "<h1>400 - Bad request</h1>\nContent-length of -5 is invalid.");
  // HTTP/0.9 request line: Perlbal closes without an answer; we say 400, then close.
  auto client = Connect();
  client->Send("GET /dev1/q.fid\r\n\r\n");
  EXPECT_EQ(ReadHttpResponse(*client).status_line, "HTTP/1.0 400 Bad request");
  EXPECT_TRUE(client->PeerClosed());
  // A GET carrying a body is answered, then the connection is closed.
  HttpResponse with_body =
      Exchange("GET /dev1/q.fid HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(with_body.body, "quirk");
  EXPECT_EQ(with_body.Header("Connection"), "close");
}

}  // namespace
}  // namespace mog::test
