// mogadm's layouts fed with canned tracker replies, compared with the reference samples
// (storage-and-tools.md §7.3).
#include "tools/mogadm/formats.h"

#include <gtest/gtest.h>

#include "client/tracker_reply.h"
#include "tools/mogadm/command_table.h"

namespace mog::mogadm {
namespace {

client::ReplyArgs Reply(const std::string& line) {
  auto parsed = client::ParseTrackerReply(line);
  EXPECT_TRUE(parsed);
  return parsed ? *parsed : client::ReplyArgs();
}

std::vector<client::HostInfo> TwoHosts() {
  return client::ParseHosts(Reply(
      "OK hosts=2&host1_hostid=2&host1_status=down&host1_hostname=stor2&host1_hostip=10.0.0.12"
      "&host1_http_port=7500&host1_http_get_port=&host1_altip=192.168.0.12"
      "&host1_altmask=192.168.0.0/16"
      "&host2_hostid=1&host2_status=alive&host2_hostname=stor1&host2_hostip=10.0.0.11"
      "&host2_http_port=7500&host2_http_get_port=7600&host2_altip=&host2_altmask=\r\n"));
}

std::vector<client::DeviceInfo> Devices() {
  return client::ParseDevices(Reply(
      "OK devices=3&dev1_devid=1&dev1_hostid=1&dev1_status=alive&dev1_mb_total=937280"
      "&dev1_mb_used=102912&dev1_weight=100&dev1_observed_state=writeable&dev1_utilization="
      "&dev2_devid=12&dev2_hostid=1&dev2_status=drain&dev2_mb_total=&dev2_mb_used="
      "&dev2_weight=100&dev3_devid=13&dev3_hostid=1&dev3_status=dead&dev3_mb_total=10"
      "&dev3_mb_used=1&dev3_weight=100\r\n"));
}

TEST(MogadmFormatsTest, HostListSample) {
  EXPECT_EQ(FormatHostList(TwoHosts()),
            "stor1 [1]: alive\n"
            "  IP:       10.0.0.11:7500\n"
            "  GET Port: 7600\n"
            "\n"
            "stor2 [2]: down\n"
            "  IP:       10.0.0.12:7500\n"
            "  Alt IP:   192.168.0.12\n"
            "  Alt Mask: 192.168.0.0/16\n"
            "\n");
}

TEST(MogadmFormatsTest, DeviceListSampleHidesDeadUnlessAll) {
  const std::string expected_head =
      "stor1 [1]: alive\n"
      "                    used(G)    free(G)   total(G)  weight(%)\n"
      "   dev1:   alive    100.500    814.812    915.312        100\n"
      "  dev12:   drain      0.000      0.000      0.000        100\n";
  EXPECT_EQ(FormatDeviceList(TwoHosts(), Devices(), std::string("stor1"), false),
            expected_head + "\n");
  EXPECT_EQ(FormatDeviceList(TwoHosts(), Devices(), std::string("stor1"), true),
            expected_head + "  dev13:    dead      0.001      0.009      0.010        100\n\n");
}

TEST(MogadmFormatsTest, DeviceSummarySample) {
  EXPECT_EQ(FormatDeviceSummary(TwoHosts(), Devices(), std::nullopt, {"alive", "readonly"}),
            "Hostname        HostID  Status   used(G)  free(G) total(G)    %Used\n"
            "stor1           [   1]:  alive   100.500  814.812  915.312    10.98\n"
            "stor2           [   2]:   down     0.000    0.000    0.000 \n");
}

TEST(MogadmFormatsTest, DomainListSample) {
  auto domains = client::ParseDomains(Reply(
      "OK domains=1&domain1=testdom&domain1classes=2&domain1class1name=thumbs"
      "&domain1class1mindevcount=1&domain1class1replpolicy=&domain1class1hashtype=MD5"
      "&domain1class2name=default&domain1class2mindevcount=2"
      "&domain1class2replpolicy=MultipleHosts()&domain1class2hashtype=\r\n"));
  EXPECT_EQ(FormatDomainList(domains),
            " domain               class                mindevcount   replpolicy   hashtype\n"
            "-------------------- -------------------- ------------- ------------ -------\n"
            " testdom              default                   2        MultipleHosts()        \n"
            " testdom              thumbs                    1                      MD5    \n"
            "\n");
}

TEST(MogadmFormatsTest, FsckStatusSampleAndExtraKeys) {
  EXPECT_EQ(FormatFsckStatus(Reply(
                "OK running=1&host=tracker1&max_fid_checked=500&end_fid=1000&start_time=1000"
                "&current_time=1125&policy_only=0&max_logid=0\r\n")),
            "\n"
            "    Running: Yes (on tracker1)\n"
            "     Status: 500 / 1000 (50.00%)\n"
            "       Time: 2m (4 fids/s; 2m remain)\n"
            " Check Type: Normal (check policy + files)\n"
            "\n");
  EXPECT_EQ(FormatFsckStatus(Reply(
                "OK running=0&host=&max_fid_checked=0&end_fid=0&start_time=&stop_time="
                "&current_time=5&policy_only=1&max_logid=3&num_NOPA=2\r\n")),
            "\n"
            "    Running: No\n"
            "     Status: 0 / 0 (0.00%)\n"
            "       Time: 0s (0 fids/s; 0s remain)\n"
            " Check Type: Repl policy only (skip file checks)\n"
            "\n"
            " [num_NOPA]: 2\n"
            "[stop_time]: \n"
            "\n");
}

TEST(MogadmFormatsTest, CheckDeviceRowsAndTotals) {
  client::DeviceInfo dev;
  dev.devid = "1";
  dev.observed_state = "writeable";
  CheckTotals totals;
  const std::string usage =
      "available: 854392832\ndevice: /dev/sda1\ndisk: /var/mogdata/dev1\ntime: 1234\n"
      "total: 959774720\nused: 105381888\n";
  EXPECT_EQ(FormatCheckDeviceHeader(),
            "  host device         size(G)    used(G)    free(G)   use%   ob state   I/O%\n"
            "  ---- ------------ ---------- ---------- ---------- ------ ---------- -----\n");
  EXPECT_EQ(FormatCheckDeviceUsage(usage, "u", dev, &totals),
            "        915.312    100.500    814.812  10.98%  writeable   N/A\n");
  dev.utilization = "3.2";
  dev.observed_state = "readable";
  EXPECT_EQ(FormatCheckDeviceUsage(usage, "u", dev, &totals),
            "        915.312    100.500    814.812  10.98%  readable   3.2\n");
  EXPECT_EQ(FormatCheckTotals(totals),
            "  ---- ------------ ---------- ---------- ---------- ------\n"
            "             total:  1830.625    201.000   1629.625  10.98%\n");
  EXPECT_EQ(FormatCheckDeviceUsage("", "http://h:1/dev1/usage", dev, &totals),
            "USAGE FILE BROKEN OR EMPTY: http://h:1/dev1/usage\n");
  EXPECT_EQ(FormatCheckDeviceUsage("total: 5\n", "U", dev, &totals),
            "MISSING FIELD (available) FROM USAGE FILE: U\n");
}

TEST(MogadmFormatsTest, FsckLogAndSettings) {
  EXPECT_EQ(FormatFsckLogHeader(), "unixtime             event           fid      devid\n");
  EXPECT_EQ(FormatFsckLogRow({"1", "1300000000", "42", "NOPA", ""}),
            "1300000000            NOPA            42          -\n");
  std::map<std::string, std::string> settings = {
      {"enable_rebalance", "1"}, {"rebal_policy", "x"}, {"rebal_state", "s"}, {"rebal_host", "t"}};
  EXPECT_EQ(FormatSettings(settings, [](const std::string& k) { return !k.starts_with("rebal"); }),
            "         enable_rebalance = 1\n");
  EXPECT_EQ(FormatRebalanceStatus(true, "a=1 b=2"),
            "Rebalance is running\nRebalance status:\n"
            "                        a = 1\n                        b = 2\n");
}

TEST(MogadmHelpTest, UsageAndVerbHelpScreens) {
  const std::string usage = UsageText();
  EXPECT_EQ(usage.substr(0, usage.find("  mogadm host ...")),
            "Usage:  (enter any command prefix, leaving off options, for further help)\n\n"
            "  mogadm check                     Check the state of the MogileFS world.\n"
            "  mogadm stats                     Show MogileFS system statistics.  "
            "(DEPRECATED: use mogstats instead)\n");
  EXPECT_NE(usage.find("         host add ...              Add a host to MogileFS.\n"),
            std::string::npos);
  EXPECT_NE(usage.find("         host list                 List all hosts.\n"), std::string::npos);
  EXPECT_NE(usage.find("Config files (trackers = host:port, ...): /etc/mogilefs/mogilefs.conf,"),
            std::string::npos);
  EXPECT_EQ(TopCommandHelp("device", "mark", "Missing argument 'devid'"),
            "\nERROR: Missing argument 'devid'\n\n"
            "Help for 'device-mark' command:\n\n"
            "  mogadm device mark <hostname> <devid> <status>     "
            "Mark a device as {alive,dead,down,drain,readonly}\n\n"
            "      <devid>              Numeric devid to modify.\n"
            "      <hostname>           Hostname of device\n"
            "      <status>             One of {alive,dead,down,drain,readonly}\n\n");
  EXPECT_EQ(TopCommandHelp("settings", "", ""),
            "Help for 'settings' command:\n"
            " (enter any command prefix, leaving off options, for further help)\n\n"
            "  mogadm settings list                               List all server settings\n"
            "  mogadm settings set <key> <value>                  "
            "Set server setting 'key' to 'value'.\n\n");
}

}  // namespace
}  // namespace mog::mogadm
