// The web listener's headers and decisions: content types, inline vs attachment, validators,
// 304s, ranges.
#include "storaged/web/web_response.h"

#include <gtest/gtest.h>

#include "storaged/web/content_type.h"

namespace mog::storage::web {
namespace {

using http::RequestHead;

TEST(WebContentTypeTest, ByExtensionCaseInsensitive) {
  EXPECT_EQ(WebContentType("a/b.JPG"), "image/jpeg");
  EXPECT_EQ(WebContentType("x.jpeg"), "image/jpeg");
  EXPECT_EQ(WebContentType("x.webp"), "image/webp");
  EXPECT_EQ(WebContentType("x.avif"), "image/avif");
  EXPECT_EQ(WebContentType("x.svg"), "image/svg+xml");
  EXPECT_EQ(WebContentType("v/clip.mp4"), "video/mp4");
  EXPECT_EQ(WebContentType("v.webm"), "video/webm");
  EXPECT_EQ(WebContentType("v.mov"), "video/quicktime");
  EXPECT_EQ(WebContentType("v.m4v"), "video/x-m4v");
  EXPECT_EQ(WebContentType("s.mp3"), "audio/mpeg");
  EXPECT_EQ(WebContentType("d.json"), "application/json");
  EXPECT_EQ(WebContentType("p.pdf"), "application/pdf");
  EXPECT_EQ(WebContentType("no-extension"), "application/octet-stream");
  EXPECT_EQ(WebContentType("dir.jpg/file"), "application/octet-stream");
  EXPECT_EQ(WebContentType("x."), "application/octet-stream");
  EXPECT_EQ(WebContentType("x.unknownext"), "application/octet-stream");
}

TEST(WebContentTypeTest, InlineListKeepsScriptOut) {
  const auto& defaults = DefaultInlineTypes();
  EXPECT_TRUE(IsInlineType("image/jpeg", defaults));
  EXPECT_TRUE(IsInlineType("video/mp4", defaults));
  EXPECT_TRUE(IsInlineType("audio/mpeg", defaults));
  EXPECT_FALSE(IsInlineType("image/svg+xml", defaults));
  EXPECT_FALSE(IsInlineType("text/html; charset=utf-8", defaults));
  EXPECT_FALSE(IsInlineType("text/javascript", defaults));
  EXPECT_FALSE(IsInlineType("application/octet-stream", defaults));
  EXPECT_TRUE(IsInlineType("text/plain; charset=utf-8", {"text/plain"}));
  EXPECT_TRUE(IsInlineType("text/css", {"text/*"}));
}

TEST(WebContentTypeTest, AttachmentNamesTheLastSegment) {
  EXPECT_EQ(AttachmentDisposition("a/b/page.html"),
            "attachment; filename=\"page.html\"; filename*=UTF-8''page.html");
  EXPECT_EQ(AttachmentDisposition("x/\xC3\xBC \"q\".svg"),
            "attachment; filename=\"____q_.svg\"; filename*=UTF-8''%C3%BC%20%22q%22.svg");
  EXPECT_EQ(AttachmentDisposition("dir/"), "attachment");
}

TEST(WebResponseTest, FidAndETag) {
  EXPECT_EQ(FidFromPath("http://h:1/dev3/0/000/000/0000000042.fid"), "42");
  EXPECT_EQ(FidFromPath("http://h:1/dev3/0/000/000/0000000000.fid"), "0");
  EXPECT_EQ(FidFromPath("http://h:1/dev3/x.txt"), "");
  EXPECT_EQ(ETagForFid("42"), "\"42\"");
}

TEST(WebResponseTest, Conditionals) {
  RequestHead r;
  r.if_none_match = "\"41\", W/\"42\"";
  EXPECT_TRUE(NotModified(r, "\"42\"", 100));
  r.if_none_match = "\"41\"";
  r.if_modified_since = "Thu, 01 Jan 1970 00:10:00 GMT";  // ignored: If-None-Match decides
  EXPECT_FALSE(NotModified(r, "\"42\"", 100));
  r.if_none_match = "*";
  EXPECT_TRUE(NotModified(r, "\"42\"", std::nullopt));
  r.if_none_match.clear();
  EXPECT_TRUE(NotModified(r, "\"42\"", 600));
  EXPECT_FALSE(NotModified(r, "\"42\"", 601));
  EXPECT_FALSE(NotModified(r, "\"42\"", std::nullopt));
  r.if_modified_since = "garbage";
  EXPECT_FALSE(NotModified(r, "\"42\"", 1));
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT").value(), 784111777);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT").value(), 784111777);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994").value(), 784111777);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT; length=5").value(), 784111777);
}

EntityInfo Info(const std::vector<std::string>* inline_types, std::string_view key) {
  return EntityInfo{key, "\"7\"", 784111777, "public, max-age=60", inline_types, ""};
}

TEST(WebResponseTest, FullResponseHead) {
  const auto& types = DefaultInlineTypes();
  RequestHead r;
  FilePlan plan = PlanFileResponse(Info(&types, "a.jpg"), 1000, r, 784111777);
  EXPECT_EQ(plan.status, 200);
  EXPECT_EQ(plan.offset, 0u);
  EXPECT_EQ(plan.length, 1000u);
  EXPECT_TRUE(plan.keep_alive);
  EXPECT_TRUE(plan.head.starts_with("HTTP/1.1 200 OK\r\n")) << plan.head;
  for (const char* line : {"Content-Type: image/jpeg\r\n", "Content-Length: 1000\r\n",
                           "ETag: \"7\"\r\n", "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n",
                           "Cache-Control: public, max-age=60\r\n", "Accept-Ranges: bytes\r\n",
                           "X-Content-Type-Options: nosniff\r\n", "Connection: keep-alive\r\n"}) {
    EXPECT_NE(plan.head.find(line), std::string::npos) << line << " in " << plan.head;
  }
  EXPECT_EQ(plan.head.find("Content-Disposition"), std::string::npos);
  FilePlan html = PlanFileResponse(Info(&types, "x/p.html"), 10, r, 0);
  EXPECT_NE(html.head.find("Content-Disposition: attachment; filename=\"p.html\""),
            std::string::npos);
}

TEST(WebResponseTest, RangesAndHeadAndNotModified) {
  const auto& types = DefaultInlineTypes();
  RequestHead r;
  r.range = "bytes=10-19";
  FilePlan part = PlanFileResponse(Info(&types, "v.mp4"), 100, r, 0);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.offset, 10u);
  EXPECT_EQ(part.length, 10u);
  EXPECT_NE(part.head.find("Content-Range: bytes 10-19/100\r\n"), std::string::npos);
  r.range = "bytes=-5";
  part = PlanFileResponse(Info(&types, "v.mp4"), 100, r, 0);
  EXPECT_EQ(part.offset, 95u);
  EXPECT_EQ(part.length, 5u);
  r.range = "bytes=100-";
  FilePlan bad = PlanFileResponse(Info(&types, "v.mp4"), 100, r, 0);
  EXPECT_EQ(bad.status, 416);
  EXPECT_EQ(bad.length, 0u);
  EXPECT_NE(bad.head.find("Content-Range: bytes */100\r\n"), std::string::npos);
  r.range.clear();
  r.method = "HEAD";
  FilePlan head = PlanFileResponse(Info(&types, "v.mp4"), 100, r, 0);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.length, 0u);
  EXPECT_NE(head.head.find("Content-Length: 100\r\n"), std::string::npos);
  r.method = "GET";
  r.if_none_match = "\"7\"";
  FilePlan same = PlanFileResponse(Info(&types, "v.mp4"), 100, r, 0);
  EXPECT_EQ(same.status, 304);
  EXPECT_EQ(same.length, 0u);
  EXPECT_NE(same.head.find("ETag: \"7\"\r\n"), std::string::npos);
  EXPECT_EQ(same.head.find("Content-Length"), std::string::npos);
}

TEST(WebResponseTest, ErrorsSayNothingMore) {
  RequestHead r;
  http::Response e = WebError(403, r);
  EXPECT_TRUE(e.head.starts_with("HTTP/1.1 403 Forbidden\r\n"));
  EXPECT_EQ(e.body, "403 Forbidden\n");
  EXPECT_NE(e.head.find("X-Content-Type-Options: nosniff"), std::string::npos);
  http::Response busy = WebError(503, r, {{"Retry-After", "5"}}, /*body_unread=*/true);
  EXPECT_NE(busy.head.find("Retry-After: 5\r\n"), std::string::npos);
  EXPECT_NE(busy.head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_FALSE(busy.keep_alive);
}

}  // namespace
}  // namespace mog::storage::web
