#include "trackerd/tracker_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/config/config_file.h"
#include "tests/support/setup_guide.h"
#include "trackerd/state/cluster_state.h"

namespace mog::tracker {
namespace {

TrackerConfig Load(std::vector<const char*> args, const std::string& text) {
  args.insert(args.begin(), "mogilefsd");
  return LoadTrackerConfigFromText(static_cast<int>(args.size()), args.data(), text, "test.conf");
}

TEST(TrackerConfigTest, DefaultsMatchUpstream) {
  TrackerConfig c = Load({}, "");
  EXPECT_EQ(c.db_dsn, "DBI:mysql:mogilefs");
  EXPECT_EQ(c.db_user, "mogile");
  EXPECT_EQ(c.db_pass, "");
  ASSERT_EQ(c.listen.size(), 1u);
  EXPECT_EQ(c.listen[0].ToString(), "0.0.0.0:7001");
  EXPECT_EQ(c.query_jobs, 20);
  EXPECT_TRUE(c.job_master);
  EXPECT_EQ(c.min_free_space, 100);
  EXPECT_EQ(c.default_mindevcount, 2);
  EXPECT_EQ(c.node_timeout, 2);
  EXPECT_EQ(c.conn_timeout, 2);
  EXPECT_EQ(c.conn_pool_size, 20);
  EXPECT_EQ(c.mogstored_stream_port, 7501);
  EXPECT_FALSE(c.no_schema_check);
}

TEST(TrackerConfigTest, FileValuesAndCommandLineWins) {
  const std::string text =
      "db_dsn = DBI:mysql:other\n"
      "db_user   someone\n"
      "# comment\n"
      "listen = 127.0.0.1:7100, 10.0.0.1\n"
      "conf_port = 7200\n"
      "query_jobs = 3\n";
  TrackerConfig c = Load({"--dbuser=cli", "-w", "7"}, text);
  EXPECT_EQ(c.db_dsn, "DBI:mysql:other");
  EXPECT_EQ(c.db_user, "cli");
  EXPECT_EQ(c.query_jobs, 7);
  ASSERT_EQ(c.listen.size(), 2u);
  EXPECT_EQ(c.listen[0].ToString(), "127.0.0.1:7100");
  EXPECT_EQ(c.listen[1].ToString(), "10.0.0.1:7200");  // no port -> conf_port
}

TEST(TrackerConfigTest, RepeatedListenOptionAndPortAlias) {
  TrackerConfig c = Load({"-p", "7300", "-l", "127.0.0.2", "--listen=127.0.0.3:9"}, "");
  ASSERT_EQ(c.listen.size(), 2u);
  EXPECT_EQ(c.listen[0].ToString(), "127.0.0.2:7300");
  EXPECT_EQ(c.listen[1].ToString(), "127.0.0.3:9");
}

TEST(TrackerConfigTest, OldListenerJobsNameWins) {
  EXPECT_EQ(Load({}, "query_jobs = 3\nlistener_jobs = 9\n").query_jobs, 9);
}

TEST(TrackerConfigTest, DbpassValueIsOptional) {
  EXPECT_EQ(Load({"--dbpass"}, "db_pass = x\n").db_pass, "");
  EXPECT_EQ(Load({"--dbpass=s3cret"}, "").db_pass, "s3cret");
}

TEST(TrackerConfigTest, DebugFlagsIncrement) {
  EXPECT_EQ(Load({"-d", "-d"}, "").debug, 2);
  EXPECT_EQ(Load({"-ddd"}, "").debug, 3);
  EXPECT_EQ(Load({}, "debug = 1\n").debug, 1);
}

TEST(TrackerConfigTest, JobMasterNegation) {
  EXPECT_FALSE(Load({"--nojob_master"}, "").job_master);
  EXPECT_FALSE(Load({}, "job_master = 0\n").job_master);
  EXPECT_TRUE(Load({"--job_master"}, "job_master = 0\n").job_master);
}

TEST(TrackerConfigTest, IgnoredOldOptionsWarn) {
  TrackerConfig c = Load({"--no_http", "--workerport=7002"}, "");
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_NE(c.warnings.back().find("workerport"), std::string::npos);
}

TEST(TrackerConfigTest, UnknownFileKeysAreIgnoredWithAWarning) {
  TrackerConfig c = Load({}, "no_such_key = 1\n");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("test.conf:1"), std::string::npos);
}

TEST(TrackerConfigTest, MalformedLinesAndBadOptionsAreRefused) {
  EXPECT_THROW(Load({}, "db_user=x\n"), ConfigError);  // no space after the key
  EXPECT_THROW(Load({"--no-such-option"}, ""), ConfigError);
  EXPECT_THROW(Load({"-w", "many"}, ""), ConfigError);
  EXPECT_THROW(Load({"--listen=1.2.3.4:99999"}, ""), ConfigError);
}

// The set-up guide's mogilefsd.conf as operators copy it: trailing comments (UTF-8) after the
// values, the colon-separated DSN, and mogstored's keys, each warned about with file and line.
TEST(TrackerConfigTest, SetupGuidePart1ConfigLoads) {
  TrackerConfig c = Load({}, std::string(test::guide::kPart1TrackerConf));
  EXPECT_EQ(c.db_dsn, "DBI:mysql:mogilefs:host=127.0.0.1");
  EXPECT_EQ(c.db_user, "moguser");
  EXPECT_EQ(c.db_pass, "mogpass");
  ASSERT_EQ(c.listen.size(), 1u);
  EXPECT_EQ(c.listen[0].ToString(), "192.168.30.107:7001");
  EXPECT_EQ(c.query_jobs, 10);
  EXPECT_EQ(c.replicate_jobs, 5);
  EXPECT_TRUE(c.daemonize);
  EXPECT_EQ(c.pidfile, "/var/run/mogilefsd/mogilefsd.pid");
  const std::vector<std::string> expected = {
      "test.conf:22: unknown config key 'maxconns' ignored",
      "test.conf:23: unknown config key 'httplisten' ignored",
      "test.conf:24: unknown config key 'mgmtlisten' ignored",
      "test.conf:25: unknown config key 'docroot' ignored",
  };
  EXPECT_EQ(c.warnings, expected);
}

TEST(TrackerConfigTest, SetupGuidePart2ConfigLoads) {
  TrackerConfig c = Load({}, std::string(test::guide::kPart2TrackerConf));
  EXPECT_EQ(c.db_dsn, "DBI:mysql:mogilefs:host=192.168.30.100");
  EXPECT_EQ(c.listen[0].ToString(), "192.168.30.108:7001");
  EXPECT_EQ(c.query_jobs, 10);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(TrackerConfigTest, SkipconfigIgnoresTheFile) {
  EXPECT_EQ(Load({"-s"}, "db_user = fromfile\n").db_user, "mogile");
}

TEST(TrackerConfigTest, SampleConfigParses) {
  std::ifstream in(std::string(MOG_SOURCE_DIR) + "/conf/mogilefsd.conf");
  ASSERT_TRUE(in.good());
  std::stringstream buf;
  buf << in.rdbuf();
  TrackerConfig c = Load({}, buf.str());
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_EQ(c.query_jobs, 20);
  EXPECT_EQ(c.listen[0].ToString(), "0.0.0.0:7001");
}

}  // namespace
}  // namespace mog::tracker

namespace mog::tracker {
namespace {

TEST(FakeIoUtilizationTest, OnlyWithTestingAndOnlyWellFormedDeviceIds) {
  EXPECT_TRUE(FakeIoUtilization({"T_FAKE_IO_DEV1=95", "PATH=/bin"}).empty());
  EXPECT_TRUE(FakeIoUtilization({"TESTING=0", "T_FAKE_IO_DEV1=95"}).empty());
  auto fake = FakeIoUtilization(
      {"T_FAKE_IO_DEV1=95", "TESTING=1", "T_FAKE_IO_DEV2=5", "T_FAKE_IO_DEVx=7", "T_FAKE_IO_DEV="});
  EXPECT_EQ(fake, (std::map<uint32_t, std::string>{{1, "95"}, {2, "5"}}));
}

TEST(FakeIoUtilizationTest, ReplacesWhatWatchReportedInTheSnapshot) {
  StoreTables tables;
  tables.hosts.push_back(HostRow{.hostid = 1, .hostname = "h", .hostip = "127.0.0.2"});
  tables.devices.push_back(DeviceRow{.devid = 1, .hostid = 1, .status = "alive"});
  tables.devices.push_back(DeviceRow{.devid = 2, .hostid = 1, .status = "alive"});
  ClusterLimits limits;
  limits.fake_utilization = {{1, "95"}};
  std::map<uint32_t, DeviceObservation> obs;
  obs[1].utilization = "10.00";
  obs[2].utilization = "20.00";
  ClusterSnapshot snap(tables, limits, {}, obs);
  EXPECT_EQ(snap.FindDevice(1)->utilization, "95");
  EXPECT_EQ(snap.FindDevice(2)->utilization, "20.00");
}

}  // namespace
}  // namespace mog::tracker
