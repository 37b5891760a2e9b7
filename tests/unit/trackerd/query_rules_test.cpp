// Pure rules used by the query commands: checksum wire form, replpolicy validation,
// server-setting canonicalisation, rebalance policy parsing and device filters.
#include <gtest/gtest.h>

#include "trackerd/query/checksum_text.h"
#include "trackerd/query/query_context.h"
#include "trackerd/query/rebalance_policy.h"
#include "trackerd/query/replpolicy_text.h"
#include "trackerd/query/server_setting_rules.h"

namespace mog::tracker {
namespace {

TEST(ChecksumTextTest, ParsesAndFormats) {
  auto md5 = ParseChecksumText(5, "MD5:D41D8CD98F00B204E9800998ECF8427E");
  ASSERT_TRUE(md5);
  EXPECT_EQ(md5->fid, 5u);
  EXPECT_EQ(md5->hashtype, kHashMd5);
  EXPECT_EQ(md5->checksum.size(), 16u);
  EXPECT_EQ(FormatChecksum(*md5), "MD5:d41d8cd98f00b204e9800998ecf8427e");
  auto sha = ParseChecksumText(1, "SHA-1:da39a3ee5e6b4b0d3255bfef95601890afd80709");
  ASSERT_TRUE(sha);
  EXPECT_EQ(sha->hashtype, kHashSha1);
}

TEST(ChecksumTextTest, RefusesBadForms) {
  for (const char* bad : {"", "MD5", "MD5:", ":d41d8cd98f00b204e9800998ecf8427e",
                          "md5:d41d8cd98f00b204e9800998ecf8427e",        // names are exact
                          "MD5:d41d8cd98f00b204e9800998ecf8427",         // 31 digits
                          "MD5:da39a3ee5e6b4b0d3255bfef95601890afd80709",  // SHA-1 length
                          "CRC32:d41d8cd98f00b204e9800998ecf8427e",
                          "MD5:g41d8cd98f00b204e9800998ecf8427e", "M D5:d41d8cd98f00b204e9800998ecf8427e"}) {
    EXPECT_FALSE(ParseChecksumText(1, bad)) << bad;
  }
}

TEST(ReplPolicyTextTest, AcceptsShippedPolicies) {
  for (const char* ok : {"MultipleHosts()", "MultipleHosts(3)", " MultipleDevices( 2 ) junk",
                         "MogileFS::ReplicationPolicy::MultipleHosts()",
                         "Union(MultipleHosts(1), MultipleDevices(2))"}) {
    EXPECT_EQ(ReplPolicyError(ok), std::nullopt) << ok;
  }
}

TEST(ReplPolicyTextTest, RefusesOthersWithAReason) {
  EXPECT_NE(ReplPolicyError("Bogus()"), std::nullopt);
  EXPECT_NE(ReplPolicyError("MultipleHosts"), std::nullopt);
  EXPECT_NE(ReplPolicyError("MultipleHosts(x)"), std::nullopt);
  EXPECT_NE(ReplPolicyError("(2)"), std::nullopt);
}

TEST(ServerSettingRulesTest, BooleansAndNumbersAreCanonical) {
  EXPECT_EQ(CheckServerSetting("skip_mkcol", "Yes").value, "1");
  EXPECT_EQ(CheckServerSetting("skip_mkcol", "off").value, "0");
  EXPECT_EQ(CheckServerSetting("skip_mkcol", std::nullopt).value, "0");
  EXPECT_EQ(CheckServerSetting("skip_mkcol", "maybe").error, "Unknown format");
  EXPECT_EQ(CheckServerSetting("memcache_ttl", "").value, "0");
  EXPECT_EQ(CheckServerSetting("memcache_ttl", "60").value, "60");
  EXPECT_EQ(CheckServerSetting("memcache_ttl", "6O").error, "Must be numeric");
}

TEST(ServerSettingRulesTest, WhitelistAndSpecialKeys) {
  EXPECT_FALSE(CheckServerSetting("schema_version", "1").writable);
  EXPECT_FALSE(CheckServerSetting("rebal_policy", "x").writable);
  EXPECT_TRUE(CheckServerSetting("queue_rate_for_fsck", "x").writable);
  EXPECT_EQ(CheckServerSetting("slave_keys", "").value, std::nullopt);  // delete
  EXPECT_EQ(CheckServerSetting("fsck_checksum", "class").value, std::nullopt);
  EXPECT_EQ(CheckServerSetting("fsck_checksum", "SHA-1").value, "SHA-1");
  EXPECT_FALSE(CheckServerSetting("fsck_checksum", "sha1").error.empty());
  EXPECT_EQ(CheckServerSetting("zone_a", "10.0.0.0/8, 192.168.1.1").value,
            "10.0.0.0/8, 192.168.1.1");
  EXPECT_FALSE(CheckServerSetting("zone_a", "10.0.0.0/99").error.empty());
  EXPECT_TRUE(ServerSettingIsReadable("fsck_checksum"));
  EXPECT_FALSE(ServerSettingIsReadable("fsck_host"));
  EXPECT_TRUE(ServerSettingIsReadable("skip_mkcol"));
}

TEST(PerlIntTest, LeadingDigitsOnly) {
  EXPECT_EQ(PerlInt("12abc"), 12);
  EXPECT_EQ(PerlInt("abc"), 0);
  EXPECT_EQ(PerlInt(" -5"), -5);
  EXPECT_EQ(PerlInt(""), 0);
  EXPECT_GT(PerlInt("99999999999999999999999"), 0);  // saturates, never overflows
}

StoreTables Cluster() {
  StoreTables t;
  t.hosts = {HostRow{1, "alive", 7500, std::nullopt, "h1", "10.0.0.1", "", ""},
             HostRow{2, "alive", 7500, std::nullopt, "h2", "10.0.0.2", "", ""}};
  t.devices = {DeviceRow{1, 1, "alive", 100, 1000, 900, std::nullopt},
               DeviceRow{2, 2, "alive", 100, 1000, 100, std::nullopt},
               DeviceRow{3, 2, "down", 100, 1000, 100, std::nullopt}};
  return t;
}

TEST(RebalancePolicyTest, ParsesKnownKeysAndRefusesOthers) {
  auto p = ParseRebalancePolicy("from_devices=1,3 to_hosts=2 limit_by=count limit=10");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->Ids("from_devices"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(p->Ids("to_hosts"), (std::vector<int64_t>{2}));
  EXPECT_EQ(p->values.at("fid_age"), "old");
  auto bad = ParseRebalancePolicy("from_devices=1 colour=red");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "Invalid setting colour");
  EXPECT_FALSE(ParseRebalancePolicy("limit_by=percent"));
}

TEST(RebalancePolicyTest, SourceAndDestinationFilters) {
  ClusterState state;
  state.ReplaceFromStore(Cluster());
  for (uint32_t h : {1u, 2u}) state.SetHostObserved(h, HostObserved::kReachable);
  for (uint32_t d : {1u, 2u, 3u}) state.SetDeviceObserved(d, {.state = DeviceObserved::kWriteable});
  SnapshotPtr snap = state.Snapshot();
  auto p = ParseRebalancePolicy("from_percent_used=50");
  ASSERT_TRUE(p);
  auto sources = RebalanceSourceDevices(*p, *snap);
  EXPECT_EQ(sources, (std::vector<uint32_t>{1}));  // 90 % used; dev 3 is down (not deletable)
  EXPECT_EQ(RebalanceDestDevices(*p, *snap, sources), (std::vector<uint32_t>{2}));
  auto q = ParseRebalancePolicy("not_to_hosts=2");
  ASSERT_TRUE(q);
  EXPECT_TRUE(RebalanceDestDevices(*q, *snap, {}).size() == 1);
  EXPECT_EQ(JoinIds({1, 2, 3}), "1,2,3");
  EXPECT_NE(InitialRebalanceState({1, 4}, 77).find("source_devs=1,4 "), std::string::npos);
}

}  // namespace
}  // namespace mog::tracker
