// Domain, class, host and device administration over the raw tracker protocol: reply keys,
// error codes and their check order (tracker.md §2.3).
#include <unistd.h>

#include "tests/integration/trackerd/tracker_fixture.h"

namespace mog::test {

LocalCluster* TrackerTest::cluster_ = nullptr;

namespace {
// Stops the shared cluster's processes when the test binary finishes.
class ClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    delete TrackerTest::cluster_;
    TrackerTest::cluster_ = nullptr;
  }
};
[[maybe_unused]] ::testing::Environment* const kClusterEnvironment =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);
}  // namespace

namespace {

using DomainAdminTest = TrackerTest;

TEST_F(DomainAdminTest, CreateListAndDeleteDomain) {
  const std::string d = Unique("dom");
  EXPECT_EQ(Raw("create_domain domain=" + d), "OK domain=" + d + "\r\n");
  EXPECT_EQ(Raw("create_domain domain=" + d), "ERR domain_exists That+domain+already+exists\r\n");
  EXPECT_EQ(Raw("create_domain"), "ERR no_domain No+domain+provided\r\n");

  Reply all = Call("get_domains");
  ASSERT_TRUE(all.ok);
  const int n = std::atoi(all.args.Get("domains").c_str());
  int found = 0;
  for (int i = 1; i <= n; ++i) {
    const std::string p = "domain" + std::to_string(i);
    if (all.args.Get(p) != d) continue;
    found = i;
    EXPECT_EQ(all.args.Get(p + "classes"), "1");
    EXPECT_EQ(all.args.Get(p + "class1name"), "default");
    EXPECT_EQ(all.args.Get(p + "class1mindevcount"), "2");
    EXPECT_EQ(all.args.Get(p + "class1replpolicy"), "MultipleHosts()");
    EXPECT_EQ(all.args.Get(p + "class1hashtype"), "NONE");
  }
  EXPECT_GT(found, 0);

  EXPECT_EQ(Raw("delete_domain domain=" + d), "OK domain=" + d + "\r\n");
  EXPECT_EQ(Raw("delete_domain domain=" + d), "ERR domain_not_found Domain+not+found\r\n");
}

TEST_F(DomainAdminTest, ClassLifecycleAndErrorsInCheckOrder) {
  const std::string d = Unique("cls");
  ASSERT_TRUE(Call("create_domain", {{"domain", d}}).ok);
  EXPECT_EQ(Raw("create_class class=x&mindevcount=2"), "ERR no_domain No+domain+provided\r\n");
  EXPECT_EQ(Raw("create_class domain=" + d + "&mindevcount=2"), "ERR no_class No+class+provided\r\n");
  EXPECT_EQ(Raw("create_class domain=" + d + "&class=x&mindevcount=0"),
            "ERR invalid_mindevcount The+mindevcount+must+be+at+least+1\r\n");
  EXPECT_EQ(Raw("create_class domain=" + d + "&class=x&mindevcount=2&hashtype=CRC"),
            "ERR invalid_hashtype invalid_hashtype\r\n");
  EXPECT_TRUE(Raw("create_class domain=" + d + "&class=x&mindevcount=2&replpolicy=Bogus()")
                  .starts_with("ERR invalid_replpolicy "));
  EXPECT_EQ(Raw("create_class domain=nosuch_" + d + "&class=x&mindevcount=2"),
            "ERR domain_not_found Domain+not+found\r\n");

  EXPECT_EQ(Raw("create_class domain=" + d + "&class=photos&mindevcount=3&hashtype=MD5"),
            "OK class=photos&mindevcount=3&domain=" + d + "\r\n");
  EXPECT_EQ(Raw("create_class domain=" + d + "&class=photos&mindevcount=3"),
            "ERR class_exists That+class+already+exists+in+that+domain\r\n");
  EXPECT_EQ(Raw("update_class domain=" + d + "&class=nope&mindevcount=3"),
            "ERR class_not_found Class+not+found\r\n");
  EXPECT_EQ(Raw("update_class domain=" + d +
                "&class=photos&mindevcount=1&replpolicy=MultipleDevices()"),
            "OK class=photos&mindevcount=1&domain=" + d + "\r\n");
  // update_class of a `default` class without a row creates it.
  EXPECT_EQ(Raw("update_class domain=" + d + "&class=default&mindevcount=4"),
            "OK class=default&mindevcount=4&domain=" + d + "\r\n");

  Reply all = Call("get_domains");
  ASSERT_TRUE(all.ok);
  bool saw_photos = false;
  for (int i = 1; i <= std::atoi(all.args.Get("domains").c_str()); ++i) {
    const std::string p = "domain" + std::to_string(i);
    if (all.args.Get(p) != d) continue;
    EXPECT_EQ(all.args.Get(p + "classes"), "2");
    for (int c = 1; c <= 2; ++c) {
      const std::string q = p + "class" + std::to_string(c);
      if (all.args.Get(q + "name") == "default") {
        EXPECT_EQ(all.args.Get(q + "mindevcount"), "4");
      } else {
        saw_photos = true;
        EXPECT_EQ(all.args.Get(q + "name"), "photos");
        EXPECT_EQ(all.args.Get(q + "mindevcount"), "1");
        EXPECT_EQ(all.args.Get(q + "replpolicy"), "MultipleDevices()");
        EXPECT_EQ(all.args.Get(q + "hashtype"), "MD5");
      }
    }
  }
  EXPECT_TRUE(saw_photos);

  EXPECT_EQ(Raw("delete_domain domain=" + d), "ERR domain_has_classes domain_has_classes\r\n");
  EXPECT_EQ(Raw("delete_class domain=" + d + "&class=default"),
            "ERR nodel_default_class Cannot+delete+the+default+class\r\n");
  EXPECT_EQ(Raw("delete_class domain=" + d), "ERR class_not_found Class+not+found\r\n");
  EXPECT_EQ(Raw("delete_class domain=" + d + "&class=photos"),
            "OK domain=" + d + "&class=photos\r\n");
  EXPECT_EQ(Raw("delete_domain domain=" + d), "OK domain=" + d + "\r\n");
}

using HostAdminTest = TrackerTest;

TEST_F(HostAdminTest, CreateUpdateDeleteHostWithErrors) {
  const std::string h = Unique("h");
  EXPECT_EQ(Raw("create_host ip=10.9.9.9&port=7500"), "ERR no_host No+host+provided\r\n");
  EXPECT_EQ(Raw("create_host host=" + h + "&port=7500"),
            "ERR no_ip IP+required+to+create+host\r\n");
  EXPECT_EQ(Raw("create_host host=" + h + "&ip=10.9.9.9"),
            "ERR no_port Port+required+to+create+host\r\n");
  EXPECT_EQ(Raw("create_host host=" + h + "&ip=10.9.9.9&port=7500&status=sleepy"),
            "ERR unknown_state Invalid/unknown+state\r\n");
  Reply created = Call("create_host", {{"host", h}, {"ip", "10.9.9.9"}, {"port", "7500"}});
  ASSERT_TRUE(created.ok) << created.errcode;
  const std::string hostid = created.args.Get("hostid");
  EXPECT_EQ(created.args.Get("hostname"), h);
  EXPECT_EQ(Raw("create_host host=" + h + "&ip=10.9.9.8&port=7500"),
            "ERR host_exists That+host+already+exists\r\n");
  // Another host on the same IP violates UNIQUE(hostip).
  EXPECT_EQ(Raw("create_host host=" + h + "b&ip=10.9.9.9&port=7500"),
            "ERR dup Duplicate+name/number+used.\r\n");
  EXPECT_EQ(Raw("update_host host=nosuch" + h + "&status=alive"),
            "ERR host_not_found Host+not+found\r\n");
  EXPECT_EQ(Raw("update_host host=" + h + "&getport=7600&altip=10.1.1.1&altmask=10.1.0.0/16"),
            "OK hostid=" + hostid + "&hostname=" + h + "\r\n");

  Reply hosts = Call("get_hosts", {{"hostid", hostid}});
  ASSERT_TRUE(hosts.ok);
  EXPECT_EQ(hosts.args.Get("hosts"), "1");
  EXPECT_EQ(hosts.args.Get("host1_hostname"), h);
  EXPECT_EQ(hosts.args.Get("host1_status"), "down");  // new hosts default to down
  EXPECT_EQ(hosts.args.Get("host1_hostip"), "10.9.9.9");
  EXPECT_EQ(hosts.args.Get("host1_http_port"), "7500");
  EXPECT_EQ(hosts.args.Get("host1_http_get_port"), "7600");
  EXPECT_EQ(hosts.args.Get("host1_altip"), "10.1.1.1");
  EXPECT_EQ(hosts.args.Get("host1_altmask"), "10.1.0.0/16");

  EXPECT_EQ(Raw("delete_host host=nosuch" + h), "ERR unknown_host Host+not+found\r\n");
  EXPECT_EQ(Raw("delete_host host=" + h), "OK \r\n");
}

TEST_F(HostAdminTest, DeviceCreationAndStateRules) {
  const std::string h = Unique("dh");
  ASSERT_TRUE(Call("create_host", {{"host", h}, {"ip", "10.8.8." + std::to_string(getpid() % 200 + 1)}, {"port", "7500"}}).ok);
  const std::string devid = std::to_string(100 + getpid() % 1000);
  EXPECT_EQ(Raw("create_device hostname=" + h + "&devid=" + devid + "&state=weird"),
            "ERR invalid_state invalid_state\r\n");
  EXPECT_EQ(Raw("create_device hostname=" + h + "&devid=abc"),
            "ERR invalid_devid invalid_devid\r\n");
  EXPECT_EQ(Raw("create_device hostname=nosuch" + h + "&devid=" + devid),
            "ERR unknown_host Host+not+found\r\n");
  EXPECT_EQ(Raw("create_device hostid=99999&devid=" + devid),
            "ERR unknown_hostid unknown_hostid\r\n");
  EXPECT_EQ(Raw("create_device devid=" + devid),
            "ERR bad_args No+hostid/hostname+parameter\r\n");
  EXPECT_EQ(Raw("create_device hostname=" + h + "&devid=" + devid + "&state=dead"), "OK \r\n");
  EXPECT_EQ(Raw("create_device hostname=" + h + "&devid=" + devid),
            "ERR existing_devid existing_devid\r\n");

  EXPECT_EQ(Raw("set_state host=" + h + "&device=" + devid + "&state=bogus"),
            "ERR bad_params Invalid+parameters+to+command%3B+please+see+documentation\r\n");
  EXPECT_EQ(Raw("set_state host=" + h + "&device=999999&state=down"),
            "ERR no_device Device+not+found\r\n");
  EXPECT_EQ(Raw("set_state host=node1&device=" + devid + "&state=down"),
            "ERR host_mismatch The+device+specified+doesn%27t+belong+to+the+host+specified\r\n");
  EXPECT_EQ(Raw("set_state host=" + h + "&device=" + devid + "&state=alive"),
            "ERR state_too_high Status+cannot+go+from+dead+to+alive%3B+must+use+down\r\n");
  EXPECT_EQ(Raw("set_state host=" + h + "&device=" + devid + "&state=down"), "OK \r\n");
  EXPECT_EQ(Raw("set_weight host=" + h + "&device=" + devid + "&weight=-1"),
            "ERR bad_params Invalid+parameters+to+command%3B+please+see+documentation\r\n");
  EXPECT_EQ(Raw("set_weight host=" + h + "&device=" + devid + "&weight=42"), "OK \r\n");

  Reply devs = Call("get_devices", {{"devid", devid}});
  ASSERT_TRUE(devs.ok);
  EXPECT_EQ(devs.args.Get("devices"), "1");
  EXPECT_EQ(devs.args.Get("dev1_devid"), devid);
  EXPECT_EQ(devs.args.Get("dev1_status"), "down");
  EXPECT_EQ(devs.args.Get("dev1_weight"), "42");
  EXPECT_TRUE(devs.args.Has("dev1_mb_asof"));
  EXPECT_EQ(Raw("delete_host host=" + h),
            "ERR host_not_empty Unable+to+delete+host%3B+it+contains+devices+still\r\n");
}

TEST_F(HostAdminTest, ClusterDevicesAreObservedWriteable) {
  Reply devs = Call("get_devices");
  ASSERT_TRUE(devs.ok);
  int writeable = 0;
  for (int i = 1; i <= std::atoi(devs.args.Get("devices").c_str()); ++i) {
    const std::string p = "dev" + std::to_string(i) + "_";
    if (devs.args.Get(p + "observed_state") != "writeable") continue;
    ++writeable;
    EXPECT_FALSE(devs.args.Get(p + "mb_total").empty());
    EXPECT_FALSE(devs.args.Get(p + "mb_free").empty());
  }
  EXPECT_GE(writeable, 2);
}

using SettingsTest = TrackerTest;

TEST_F(SettingsTest, ServerSettingsWhitelistAndCanonicalValues) {
  EXPECT_EQ(Raw("set_server_setting value=1"),
            "ERR bad_params Invalid+parameters+to+command%3B+please+see+documentation\r\n");
  EXPECT_EQ(Raw("set_server_setting key=schema_version&value=1"),
            "ERR not_writable not_writable\r\n");
  EXPECT_EQ(Raw("set_server_setting key=skip_mkcol&value=maybe"),
            "ERR invalid_format Unknown+format\r\n");
  EXPECT_EQ(Raw("set_server_setting key=memcache_ttl&value=1h"),
            "ERR invalid_format Must+be+numeric\r\n");
  EXPECT_EQ(Raw("set_server_setting key=skip_devcount&value=Yes"), "OK \r\n");
  EXPECT_EQ(Raw("server_setting key=skip_devcount"), "OK key=skip_devcount&value=1\r\n");
  EXPECT_EQ(Raw("server_setting key=never_set_key"), "OK key=never_set_key&value=\r\n");
  EXPECT_EQ(Raw("server_setting"),
            "ERR bad_params Invalid+parameters+to+command%3B+please+see+documentation\r\n");
  EXPECT_EQ(Raw("set_server_setting key=slave_keys&value=a"), "OK \r\n");
  EXPECT_EQ(Raw("server_setting key=slave_version"), "OK key=slave_version&value=1\r\n");
  EXPECT_EQ(Raw("set_server_setting key=slave_keys&value="), "OK \r\n");  // deletes
  Reply all = Call("server_settings");
  ASSERT_TRUE(all.ok);
  bool saw_schema = false;
  for (int i = 1; i <= std::atoi(all.args.Get("key_count").c_str()); ++i) {
    const std::string k = all.args.Get("key_" + std::to_string(i));
    EXPECT_NE(k, "slave_keys");
    EXPECT_FALSE(k.starts_with("fsck_") && k != "fsck_checksum");
    if (k == "schema_version") {
      saw_schema = true;
      EXPECT_EQ(all.args.Get("value_" + std::to_string(i)), "17");
    }
  }
  EXPECT_TRUE(saw_schema);
  EXPECT_EQ(Raw("set_server_setting key=skip_devcount&value=off"), "OK \r\n");
}

TEST_F(SettingsTest, FsckAndRebalanceControl) {
  EXPECT_EQ(Raw("fsck_reset"), "OK \r\n");
  Reply st = Call("fsck_status");
  ASSERT_TRUE(st.ok);
  EXPECT_EQ(st.args.Get("running"), "0");
  EXPECT_FALSE(st.args.Get("current_time").empty());
  EXPECT_EQ(Raw("fsck_start"), "OK \r\n");
  EXPECT_EQ(Raw("fsck_start"), "ERR fsck_running fsck+is+already+running\r\n");
  EXPECT_EQ(Raw("rebalance_start"),
            "ERR fsck_running fsck+running%3B+cannot+run+rebalance+at+same+time\r\n");
  EXPECT_EQ(Call("fsck_status").args.Get("running"), "1");
  EXPECT_EQ(Raw("fsck_stop"), "OK \r\n");
  EXPECT_EQ(Raw("fsck_getlog"), "OK row_count=0\r\n");
  EXPECT_EQ(Raw("fsck_clearlog"), "OK \r\n");

  EXPECT_EQ(Raw("rebalance_set_policy policy=bogus_key=1"),
            "ERR bad_rebal_pol Invalid+setting+bogus_key\r\n");
  EXPECT_EQ(Raw("rebalance_status"), "ERR no_rebal_state No+available+rebalance+status\r\n");
  EXPECT_EQ(Raw("rebalance_stop"), "ERR rebal_not_started Rebalance+not+running\r\n");
  EXPECT_EQ(Raw("rebalance_set_policy policy=" + UrlEncode("from_devices=1 to_devices=2")),
            "OK \r\n");
  Reply test = Call("rebalance_test");
  ASSERT_TRUE(test.ok) << test.errcode;
  EXPECT_EQ(test.args.Get("sdevs"), "1");
  EXPECT_EQ(test.args.Get("ddevs"), "2");
}

}  // namespace
}  // namespace mog::test
