#include "tools/cli/file_formats.h"

#include <gtest/gtest.h>

#include "client/tracker_reply.h"

namespace mog::cli {
namespace {

TEST(FileFormatsTest, FileInfoMatchesTheReferenceSample) {
  auto info = client::ParseTrackerReply(
      "OK fid=12&domain=testdom&class=default&key=/hello.jpg&length=1234&devcount=2"
      "&checksum=MD5:d41d8cd98f00b204e9800998ecf8427e\r\n");
  ASSERT_TRUE(info);
  EXPECT_EQ(FormatFileInfo("/hello.jpg", *info,
                           {"http://10.0.0.11:7500/dev1/0/000/000/0000000012.fid"}),
            "- file: /hello.jpg\n"
            "  checksum: MD5:d41d8cd98f00b204e9800998ecf8427e\n"
            "     class:              default\n"
            "  devcount:                    2\n"
            "    domain:              testdom\n"
            "       fid:                   12\n"
            "       key:           /hello.jpg\n"
            "    length:                 1234\n"
            " - http://10.0.0.11:7500/dev1/0/000/000/0000000012.fid\n");
}

TEST(FileFormatsTest, FidBlockMatchesTheReferenceSample) {
  auto reply = client::ParseTrackerReply(
      "OK fid_count=1&fid_1_fid=12&fid_1_domain=testdom&fid_1_class=default"
      "&fid_1_key=/hello.jpg&fid_1_length=1234&fid_1_devcount=2\r\n");
  ASSERT_TRUE(reply);
  auto fids = client::ParseFids(*reply);
  ASSERT_EQ(fids.size(), 1u);
  EXPECT_EQ(FormatFid(fids[0]),
            "fid 12\nclass default\ndevcount 2\ndomain testdom\nkey /hello.jpg\nlength 1234\n\n");
}

TEST(ReplyParsingTest, OkErrAndGarbage) {
  auto ok = client::ParseTrackerReply("OK  key_count=1&key_1=a%20b+c\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->Get("key_1"), "a b c");
  auto empty = client::ParseTrackerReply("OK \r\n");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->values().empty());
  auto err = client::ParseTrackerReply("ERR unreg_domain Domain+name+invalid%2Fnot+found\r\n");
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().errstr(), "unreg_domain Domain name invalid/not found");
  auto bad = client::ParseTrackerReply("what\r\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, client::ClientError::Kind::kTransport);
}

TEST(AdminParsingTest, HostsDevicesDomainsAndSlaves) {
  auto reply = client::ParseTrackerReply(
      "OK hosts=1&host1_hostid=1&host1_status=alive&host1_hostname=stor1&host1_hostip=10.0.0.11"
      "&host1_http_port=7500&host1_http_get_port=&host1_altip=&host1_altmask=\r\n");
  ASSERT_TRUE(reply);
  auto hosts = client::ParseHosts(*reply);
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].hostname, "stor1");
  EXPECT_EQ(hosts[0].http_port, "7500");

  auto devs = client::ParseTrackerReply(
      "OK devices=1&dev1_devid=5&dev1_hostid=1&dev1_status=alive&dev1_mb_total=937280"
      "&dev1_mb_used=102912&dev1_weight=100&dev1_observed_state=writeable&dev1_utilization=3.2\r\n");
  ASSERT_TRUE(devs);
  auto devices = client::ParseDevices(*devs);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].mb_total, 937280);
  EXPECT_EQ(devices[0].observed_state, "writeable");

  auto doms = client::ParseTrackerReply(
      "OK domains=1&domain1=testdom&domain1classes=2&domain1class1name=default"
      "&domain1class1mindevcount=2&domain1class1replpolicy=MultipleHosts()&domain1class1hashtype=NONE"
      "&domain1class2name=thumbs&domain1class2mindevcount=1&domain1class2replpolicy="
      "&domain1class2hashtype=MD5\r\n");
  ASSERT_TRUE(doms);
  auto domains = client::ParseDomains(*doms);
  EXPECT_EQ(domains.at("testdom").at("thumbs").hashtype, "MD5");
  EXPECT_EQ(domains.at("testdom").at("default").replpolicy, "MultipleHosts()");

  auto slaves = client::ParseSlaveKeys("s1,s2=5");
  EXPECT_EQ(slaves.at("s1"), "1");
  EXPECT_EQ(slaves.at("s2"), "5");
}

}  // namespace
}  // namespace mog::cli
