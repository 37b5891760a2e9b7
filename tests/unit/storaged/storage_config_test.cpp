#include "storaged/storage_config.h"

#include <gtest/gtest.h>

#include "common/config/config_file.h"
#include "tests/support/temp_dir.h"

namespace mog::storage {
namespace {

using mog::test::TempDir;
using mog::test::WriteFile;

StorageConfigLoad Load(std::vector<const char*> args, const std::string& default_path) {
  args.insert(args.begin(), "mogstored");
  return LoadStorageConfig(static_cast<int>(args.size()), args.data(), default_path);
}

TEST(StorageConfigTest, SampleConfigParsesToTheDefaults) {
  // conf/mogstored.conf must stay loadable, and its values are the documented defaults.
  auto load = Load({"--config=" MOG_SOURCE_DIR "/conf/mogstored.conf"}, "/nonexistent");
  const StorageConfig& c = load.config;
  EXPECT_EQ(c.http_listen.ToString(), "0.0.0.0:7500");
  EXPECT_EQ(c.mgmt_listen.ToString(), "0.0.0.0:7501");
  EXPECT_EQ(c.docroot, "/var/mogdata");
  EXPECT_EQ(c.max_connections, 10000u);
  EXPECT_FALSE(c.daemonize);
  EXPECT_TRUE(c.iostat);
  EXPECT_EQ(c.server, "perlbal");
  EXPECT_EQ(c.config_file, MOG_SOURCE_DIR "/conf/mogstored.conf");
}

TEST(StorageConfigTest, CommandLineOptions) {
  auto load = Load({"--skipconfig", "--httplisten=127.0.0.2:8000", "--mgmtlisten", "127.0.0.2:8001",
                    "--docroot=/tmp/x/", "--maxconns=7", "-d", "--pidfile=/tmp/p"},
                   "/nonexistent");
  const StorageConfig& c = load.config;
  EXPECT_EQ(c.http_listen.ToString(), "127.0.0.2:8000");
  EXPECT_EQ(c.mgmt_listen.ToString(), "127.0.0.2:8001");
  EXPECT_EQ(c.docroot, "/tmp/x");
  EXPECT_EQ(c.max_connections, 7u);
  EXPECT_TRUE(c.daemonize);
  EXPECT_EQ(c.pidfile, "/tmp/p");
  EXPECT_TRUE(Load({"--help"}, "/nonexistent").show_help);
}

TEST(StorageConfigTest, FileOverridesCommandLineUnlessSkipped) {
  TempDir dir;
  WriteFile(dir.Sub("m.conf"), "httplisten = 127.0.0.1:7700  # comment\n\ndaemonize = 0\n");
  auto with_file = Load({"--httplisten=127.0.0.1:7800", "-d"}, dir.Sub("m.conf"));
  EXPECT_EQ(with_file.config.http_listen.port, 7700);  // upstream quirk: the file wins
  EXPECT_FALSE(with_file.config.daemonize);
  auto skipped = Load({"-s", "--httplisten=127.0.0.1:7800"}, dir.Sub("m.conf"));
  EXPECT_EQ(skipped.config.http_listen.port, 7800);
  EXPECT_TRUE(skipped.config.config_file.empty());
}

TEST(StorageConfigTest, IostatIsOnUnlessTheFileSaysZero) {
  Settings settings;
  ApplyStorageConfigText("iostat = 0\n", "m.conf", &settings);
  EXPECT_FALSE(StorageConfigFromSettings(settings).iostat);
  EXPECT_TRUE(Load({"-s"}, "/nonexistent").config.iostat);
}

TEST(StorageConfigTest, FileKeysMustBeWholeOptionNames) {
  auto message = [](const std::string& text) {
    Settings settings;
    try {
      ApplyStorageConfigText(text, "m.conf", &settings);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("# x\nbogus = 1\n"), "m.conf:2: Unknown config setting: bogus");
  EXPECT_EQ(message("d = 1\n"), "m.conf:1: Unknown config setting: d");
  EXPECT_EQ(message("skipconfig = 1\n"), "m.conf:1: Unknown config setting: skipconfig");
  EXPECT_EQ(message("http = 1.2.3.4:5\n"), "m.conf:1: Unknown config setting: http");
  EXPECT_EQ(message("s = 1\n"), "accepted");  // upstream: lands harmlessly on skipconfig
  EXPECT_EQ(message("docroot\n"), "m.conf:1: Unknown config syntax: docroot");
  EXPECT_NE(message("CREATE SERVICE mogstored\n").find("old Perlbal-style"), std::string::npos);
}

TEST(StorageConfigTest, ErrorsAreClear) {
  TempDir dir;
  try {
    Load({"--config=/nonexistent/m.conf"}, "/nonexistent");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "Config file /nonexistent/m.conf doesn't exist.");
  }
  // The default path is skipped silently when absent.
  EXPECT_NO_THROW(Load({}, dir.Sub("absent.conf")));
  EXPECT_THROW(Load({"-s", "--maxconns=lots"}, "/nonexistent"), ConfigError);
  EXPECT_THROW(Load({"-s", "--maxconns=0"}, "/nonexistent"), ConfigError);
  EXPECT_THROW(Load({"-s", "--httplisten=1.2.3.4:notaport"}, "/nonexistent"), ConfigError);
  EXPECT_THROW(Load({"-s", "--server=lighttpd"}, "/nonexistent"), ConfigError);
  EXPECT_THROW(Load({"--bogus"}, "/nonexistent"), ConfigError);
}

}  // namespace
}  // namespace mog::storage
