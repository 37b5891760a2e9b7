// The web listener's pure pieces: target decoding, node URLs, query parameters.
#include "storaged/web/web_target.h"

#include <gtest/gtest.h>

#include "storaged/web/secure_link.h"

namespace mog::storage::web {
namespace {

WebTarget Ok(std::string_view raw) {
  auto parsed = ParseWebTarget(raw);
  EXPECT_TRUE(std::holds_alternative<WebTarget>(parsed)) << raw;
  return std::holds_alternative<WebTarget>(parsed) ? std::get<WebTarget>(parsed) : WebTarget{};
}

bool Refused(std::string_view raw) {
  return std::holds_alternative<TargetError>(ParseWebTarget(raw));
}

TEST(WebTargetTest, DomainIsFirstSegmentKeyTheRestDecoded) {
  WebTarget t = Ok("/photos/2024/05/a%20b%2Fc.jpg?md5=x&expires=1");
  EXPECT_EQ(t.domain, "photos");
  EXPECT_EQ(t.key, "2024/05/a b/c.jpg");
  EXPECT_EQ(t.path, "/photos/2024/05/a b/c.jpg");
  EXPECT_EQ(t.query, "md5=x&expires=1");
}

TEST(WebTargetTest, Utf8AndPlusStayBytes) {
  WebTarget t = Ok("/d/%C3%BC+%E2%82%AC.png");
  EXPECT_EQ(t.key, "\xC3\xBC+\xE2\x82\xAC.png");
  EXPECT_EQ(Ok("/d/raw\xC3\xBC").key, "raw\xC3\xBC");
}

TEST(WebTargetTest, RefusesMalformedTargets) {
  EXPECT_TRUE(Refused(""));
  EXPECT_TRUE(Refused("*"));
  EXPECT_TRUE(Refused("http://evil/d/k"));
  EXPECT_TRUE(Refused("/"));
  EXPECT_TRUE(Refused("/domain"));
  EXPECT_TRUE(Refused("/domain/"));
  EXPECT_TRUE(Refused("//key"));
  EXPECT_TRUE(Refused("/d/a%00b"));
  EXPECT_TRUE(Refused("/d/a%0Ab"));
  EXPECT_TRUE(Refused("/d/a%zz"));
  EXPECT_TRUE(Refused("/d/a%4"));
  EXPECT_TRUE(Refused("/d/a%"));
  EXPECT_TRUE(Refused("/d/../etc/passwd"));
  EXPECT_TRUE(Refused("/d/a/%2e%2e/b"));
  EXPECT_TRUE(Refused("/d/a/./b"));
  EXPECT_TRUE(Refused("/../d/k"));
  EXPECT_TRUE(Refused("/d/" + std::string(kMaxKeyBytes + 1, 'k')));
  EXPECT_TRUE(Refused("/" + std::string(kMaxDomainBytes + 1, 'd') + "/k"));
  EXPECT_TRUE(Refused("/d/" + std::string(kMaxTargetBytes, 'k')));
  EXPECT_FALSE(Refused("/d/..a/b..c"));  // dots inside names are fine
}

TEST(WebTargetTest, QueryParams) {
  EXPECT_EQ(QueryParam("a=1&class=big%20one&b", "class").value(), "big one");
  EXPECT_EQ(QueryParam("class=a+b", "class").value(), "a b");
  EXPECT_EQ(QueryParam("b", "b").value(), "");
  EXPECT_FALSE(QueryParam("a=1", "class").has_value());
  EXPECT_FALSE(QueryParam("class=%zz", "class").has_value());
  EXPECT_FALSE(QueryParam("", "md5").has_value());
}

TEST(WebTargetTest, NodeUrls) {
  auto url = ParseNodeUrl("http://127.0.0.2:7500/dev1/0/000/000/0000000042.fid");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "127.0.0.2");
  EXPECT_EQ(url->port, 7500);
  EXPECT_EQ(url->hostport, "127.0.0.2:7500");
  EXPECT_EQ(url->path, "/dev1/0/000/000/0000000042.fid");
  EXPECT_EQ(ParseNodeUrl("http://h/x")->port, 80);
  EXPECT_FALSE(ParseNodeUrl("https://h/x"));
  EXPECT_FALSE(ParseNodeUrl("http://h:0/x"));
  EXPECT_FALSE(ParseNodeUrl("http://h:99999/x"));
  EXPECT_FALSE(ParseNodeUrl("http://h"));
  EXPECT_FALSE(ParseNodeUrl("http:///x"));
}

TEST(WebTargetTest, PercentEncodeRoundTrips) {
  const std::string key = "a b/\xC3\xBC?#%&+.jpg";
  const std::string encoded = PercentEncodePath(key);
  EXPECT_EQ(encoded, "a%20b/%C3%BC%3F%23%25%26%2B.jpg");
  EXPECT_EQ(StrictPercentDecode(encoded).value(), key);
  EXPECT_EQ(ByKeyTarget("d", "a b", "", 0), "/d/a%20b");
  EXPECT_EQ(ByKeyTarget("d", "k", "x", 1700000000),
            "/d/k?md5=-1NeWfA_We-PNUiiyAmDNQ&expires=1700000000");
}

}  // namespace
}  // namespace mog::storage::web
