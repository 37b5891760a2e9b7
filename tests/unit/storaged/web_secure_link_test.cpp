// Anti-leech links: the same hash as nginx's secure_link_md5 "$secure_link_expires$uri <secret>"
// (vectors from `printf '%s%s %s' "$expires" "$uri" "$secret" | openssl md5 -binary |
// openssl base64 | tr '+/' '-_' | tr -d '='`), and the path cache.
#include <gtest/gtest.h>

#include "storaged/web/path_cache.h"
#include "storaged/web/secure_link.h"
#include "storaged/web/web_config.h"

namespace mog::storage::web {
namespace {

TEST(SecureLinkTest, MatchesNginxSecureLinkMd5) {
  EXPECT_EQ(SecureLinkHash("2147483647", "/photos/a b/\xC3\xBC.jpg", "s3cret"),
            "dZ9Ylq3TU0ZGtlbr46w41A");
  EXPECT_EQ(SecureLinkHash("1700000000", "/d/k", "x"), "-1NeWfA_We-PNUiiyAmDNQ");
}

TEST(SecureLinkTest, GoodBadExpired) {
  const std::string uri = "/d/k";
  EXPECT_TRUE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ", "1700000000", uri, "x", 1700000000));
  EXPECT_TRUE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ==", "1700000000", uri, "x", 1600000000));
  EXPECT_FALSE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ", "1700000000", uri, "x", 1700000001));
  EXPECT_FALSE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNA", "1700000000", uri, "x", 0));
  EXPECT_FALSE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ", "1700000000", "/d/K", "x", 0));
  EXPECT_FALSE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ", "1700000000", uri, "y", 0));
  EXPECT_FALSE(SecureLinkValid("", "1700000000", uri, "x", 0));
  EXPECT_FALSE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ", "", uri, "x", 0));
  EXPECT_FALSE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ", "17e8", uri, "x", 0));
  EXPECT_FALSE(SecureLinkValid("-1NeWfA_We-PNUiiyAmDNQ", "-1", uri, "x", 0));
  EXPECT_FALSE(SecureLinkValid("x", "0", uri, "x", 0));  // FastDFS's ts=0 hole stays shut
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(WebConfigTest, SecuredDomainsAndCacheControl) {
  WebConfig c;
  EXPECT_FALSE(c.DomainSecured("a"));
  c.secret = "s";
  EXPECT_TRUE(c.DomainSecured("a"));  // a secret and no list: every domain
  c.secure_domains = SplitList(" a, ,b ");
  ASSERT_EQ(c.secure_domains.size(), 2u);
  EXPECT_TRUE(c.DomainSecured("b"));
  EXPECT_FALSE(c.DomainSecured("c"));
  c.domain_cache_control = ParseDomainCacheControl("a: public, max-age=9 | b:no-store");
  EXPECT_EQ(c.CacheControlFor("a"), "public, max-age=9");
  EXPECT_EQ(c.CacheControlFor("b"), "no-store");
  EXPECT_EQ(c.CacheControlFor("z"), c.cache_control);
  EXPECT_THROW(ParseDomainCacheControl("nodomain"), std::exception);
  EXPECT_TRUE(ParseDomainCacheControl("  ").empty());
}

TEST(PathCacheTest, TtlDropAndBound) {
  using namespace std::chrono_literals;
  PathCache cache(2, 5000ms);
  const auto t0 = PathCache::Clock::time_point{} + 1h;
  EXPECT_EQ(cache.Get("d", "k", t0), nullptr);
  cache.Put("d", "k", {"http://a/1.fid", "http://b/1.fid"}, t0);
  auto hit = cache.Get("d", "k", t0 + 4999ms);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->size(), 2u);
  EXPECT_EQ(cache.Get("d", "k", t0 + 5000ms), nullptr);  // expired, and gone
  EXPECT_EQ(cache.size(), 0u);
  cache.Put("d", "k", {"p"}, t0);
  cache.Drop("d", "k");
  EXPECT_EQ(cache.Get("d", "k", t0), nullptr);
  // Domains are apart: "d"+"k1" is not "dk"+"1".
  cache.Put("d", "k1", {"p1"}, t0);
  EXPECT_EQ(cache.Get("dk", "1", t0), nullptr);
  cache.Put("d", "k2", {"p2"}, t0);
  cache.Get("d", "k1", t0);          // k1 most recently used
  cache.Put("d", "k3", {"p3"}, t0);  // evicts k2
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.Get("d", "k1", t0), nullptr);
  EXPECT_EQ(cache.Get("d", "k2", t0), nullptr);
  EXPECT_NE(cache.Get("d", "k3", t0), nullptr);
  PathCache off(0, 5000ms);
  off.Put("d", "k", {"p"}, t0);
  EXPECT_EQ(off.Get("d", "k", t0), nullptr);
}

}  // namespace
}  // namespace mog::storage::web

namespace mog::storage::web {
namespace {

TEST(PathCacheTest, ShardedCacheStaysBounded) {
  using namespace std::chrono_literals;
  PathCache cache(2048, 5000ms);
  const auto t0 = PathCache::Clock::time_point{} + 1h;
  for (int i = 0; i < 5000; ++i) cache.Put("d", "k" + std::to_string(i), {"p"}, t0);
  EXPECT_LE(cache.size(), 2048u);
  EXPECT_GE(cache.size(), 1500u);
  EXPECT_NE(cache.Get("d", "k4999", t0), nullptr);  // the newest survive
  cache.Drop("d", "k4999");
  EXPECT_EQ(cache.Get("d", "k4999", t0), nullptr);
}

}  // namespace
}  // namespace mog::storage::web
