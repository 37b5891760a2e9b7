// The request-line check: every shape hostile-input testing found unanswered (issue 8), the
// ones that must still pass, and the verdicts on a line that has only partly arrived.
#include "storaged/http/request_line.h"

#include <string>

#include <gtest/gtest.h>

namespace mog::storage::http {
namespace {

constexpr size_t kLimit = 100 * 1024;

RequestStart::Verdict VerdictOf(std::string_view buffered) {
  return CheckRequestStart(buffered, kLimit).verdict;
}

TEST(RequestLineTest, WellFormedLinesPass) {
  EXPECT_EQ(RequestLineError("GET /dev1/0/000/000/0000000001.fid HTTP/1.1"), "");
  EXPECT_EQ(RequestLineError("GET /dev1/0/000/000/0000000001.fid HTTP/1.0"), "");
  EXPECT_EQ(RequestLineError("PUT /dev1/x.fid HTTP/1.0"), "");
  // Unknown methods are a handler's business (MKCOL and BREW get their 400 there).
  EXPECT_EQ(RequestLineError("BREW /dev1/x HTTP/1.0"), "");
  EXPECT_EQ(RequestLineError("VERSION-CONTROL * HTTP/1.1"), "");
  EXPECT_EQ(RequestLineError("GET /a?b=%20&c=~d HTTP/1.1"), "");
  EXPECT_EQ(RequestLineError("GET /caf\xc3\xa9 HTTP/1.1"), "");  // obs-text, as Beast takes it
}

TEST(RequestLineTest, VersionThatIsNotHttp) {
  EXPECT_EQ(RequestLineError("GET /dev1/nope.fid FOO"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("UNLOCK / FOO"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("SEARCH /dev1/ FOO"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("GET / FOOBARBAZ"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("GET / HTTP/1"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("GET / HTTP/1.10"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("GET / HTTP/1.1 "), "bad HTTP version");
  EXPECT_EQ(RequestLineError("GET / HTTP/1.1 extra"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("GET / HTTP/x.1"), "bad HTTP version");
}

TEST(RequestLineTest, LowercaseVersionIsRefused) {
  // RFC 9112: HTTP-name is case-sensitive; Beast refuses it too.
  EXPECT_EQ(RequestLineError("GET /dev1/x http/1.0"), "bad HTTP version");
  EXPECT_EQ(RequestLineError("GET /dev1/x Http/1.1"), "bad HTTP version");
}

TEST(RequestLineTest, OnlyHttp10And11) {
  EXPECT_EQ(RequestLineError("GET / HTTP/9.9"), "unsupported HTTP version");
  EXPECT_EQ(RequestLineError("GET / HTTP/0.9"), "unsupported HTTP version");
  EXPECT_EQ(RequestLineError("GET / HTTP/2.0"), "unsupported HTTP version");
}

TEST(RequestLineTest, MissingVersion) {
  EXPECT_EQ(RequestLineError("GET /path"), "no HTTP version");
  EXPECT_EQ(RequestLineError("GET /path "), "no HTTP version") << "trailing space, no version";
  EXPECT_EQ(RequestLineError("GET"), "no request target");
  EXPECT_EQ(RequestLineError("GET  HTTP/1.0"), "no request target");  // two spaces
}

TEST(RequestLineTest, FiveKilobytesOfAs) {
  const std::string as(5 * 1024, 'A');
  EXPECT_EQ(RequestLineError(as), "method too long");
  // Refused before any line end arrives: no method is that long.
  EXPECT_EQ(CheckRequestStart(as, kLimit).verdict, RequestStart::kInvalid);
  EXPECT_EQ(CheckRequestStart(as, kLimit).reason, "method too long");
  EXPECT_EQ(VerdictOf(as + "\r\n\r\n"), RequestStart::kInvalid);
  EXPECT_EQ(VerdictOf(std::string(kMethodLimit + 1, 'A')), RequestStart::kInvalid);
  EXPECT_EQ(VerdictOf(std::string(kMethodLimit, 'A')), RequestStart::kNeedMore);
}

TEST(RequestLineTest, BadMethodCharacters) {
  EXPECT_EQ(RequestLineError("GE(T / HTTP/1.0"), "bad character after method");
  EXPECT_EQ(RequestLineError("G\x01T / HTTP/1.0"), "bad character after method");
  EXPECT_EQ(RequestLineError("\x01\x02\x03"), "bad character in method");
  EXPECT_EQ(RequestLineError("GET\t/ HTTP/1.0"), "bad character after method");
  EXPECT_EQ(RequestLineError(" GET / HTTP/1.0"), "no method");
  EXPECT_EQ(RequestLineError("{\"json\": 1}"), "bad character in method");
}

TEST(RequestLineTest, BadTargetCharacters) {
  EXPECT_EQ(RequestLineError("GET /a\x7f HTTP/1.0"), "bad character in request target");
  EXPECT_EQ(RequestLineError("GET /a\tb HTTP/1.0"), "bad character in request target");
  EXPECT_EQ(RequestLineError("GET /a\rb HTTP/1.0"), "bad character in request target");
}

TEST(RequestLineTest, EmptyLines) {
  EXPECT_EQ(RequestLineError(""), "empty request line");
  // One empty line before the request line is ignored (RFC 9112 section 2.2)...
  RequestStart crlf = CheckRequestStart("\r\nGET / HTTP/1.0\r\n\r\n", kLimit);
  EXPECT_EQ(crlf.verdict, RequestStart::kValid);
  EXPECT_EQ(crlf.skip, 2u);
  RequestStart lf = CheckRequestStart("\nGET / HTTP/1.0\n\n", kLimit);
  EXPECT_EQ(lf.verdict, RequestStart::kValid);
  EXPECT_EQ(lf.skip, 1u);
  EXPECT_EQ(VerdictOf("\r\n"), RequestStart::kNeedMore);
  EXPECT_EQ(VerdictOf("\r"), RequestStart::kNeedMore);
  EXPECT_EQ(VerdictOf("\r\n\r"), RequestStart::kNeedMore);
  // ...a second one is an empty request line.
  EXPECT_EQ(VerdictOf("\r\n\r\n"), RequestStart::kInvalid);
  EXPECT_EQ(CheckRequestStart("\r\n\r\n", kLimit).reason, "empty request line");
  EXPECT_EQ(VerdictOf("\n\n"), RequestStart::kInvalid);
  EXPECT_EQ(VerdictOf("\r\n\r\nGET / HTTP/1.0\r\n\r\n"), RequestStart::kInvalid);
}

TEST(RequestLineTest, JudgedOnceTheLineEnds) {
  EXPECT_EQ(VerdictOf("GET /dev1/x HTTP/1.0\r\n"), RequestStart::kValid);
  EXPECT_EQ(VerdictOf("GET /dev1/x HTTP/1.0\n"), RequestStart::kValid);  // bare LF, as Perlbal
  EXPECT_EQ(CheckRequestStart("GET /dev1/x HTTP/1.1\r\nHost: x\r\n\r\n", kLimit).skip, 0u);
  // The headers that follow are Beast's to judge.
  EXPECT_EQ(VerdictOf("GET /dev1/x HTTP/1.1\r\n\x01\x02\r\n\r\n"), RequestStart::kValid);
  // No blank line needed to refuse: each of these gets its 400 at its first LF.
  for (const char* line : {"GET /dev1/nope.fid FOO\r\n", "UNLOCK / FOO\r\n", "SEARCH /dev1/ FOO\n",
                           "GET /path\r\n", "GET /dev1/x http/1.0\r\n", "GET / HTTP/1.0\r\r\n"}) {
    EXPECT_EQ(VerdictOf(line), RequestStart::kInvalid) << ::testing::PrintToString(line);
  }
}

TEST(RequestLineTest, PartialLinesWaitOnlyWhileTheyCanStillBeValid) {
  for (const char* partial :
       {"", "G", "GET", "GET ", "GET /dev1", "GET /dev1 ", "GET /dev1 H", "GET /dev1 HTTP/",
        "GET /dev1 HTTP/1.", "GET /dev1 HTTP/1.1", "GET /dev1 HTTP/1.1\r", "GET /dev1\r"}) {
    EXPECT_EQ(VerdictOf(partial), RequestStart::kNeedMore) << ::testing::PrintToString(partial);
  }
  for (const char* partial :
       {"GET /dev1 F", "GET /dev1 h", "GET /dev1 HTTP/1.1x", "GET /dev1 HTTP/1.1 ",
        "GET /dev1 HTTP/1.1\r\r", "GET  ", " ", "\x16\x03\x01"}) {  // the last: a TLS ClientHello
    EXPECT_EQ(VerdictOf(partial), RequestStart::kInvalid) << ::testing::PrintToString(partial);
  }
}

TEST(RequestLineTest, OverlongLineIsRefused) {
  const std::string target(200, 'x');
  const std::string line = "GET /" + target;
  EXPECT_EQ(CheckRequestStart(line, 100).verdict, RequestStart::kInvalid);
  EXPECT_EQ(CheckRequestStart(line, 100).reason, "request line too long");
  EXPECT_EQ(CheckRequestStart(line + " HTTP/1.0\r\n", 100).verdict, RequestStart::kInvalid);
  EXPECT_EQ(CheckRequestStart(line, 1000).verdict, RequestStart::kNeedMore);
  EXPECT_EQ(CheckRequestStart(line + " HTTP/1.0\r\n", 1000).verdict, RequestStart::kValid);
}

}  // namespace
}  // namespace mog::storage::http
