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

namespace mog::storage {
namespace {

using mog::test::TempDir;
using mog::test::WriteFile;

TEST(StorageConfigWebTest, WebListenerKeys) {
  TempDir dir("webconf");
  WriteFile(dir.Sub("m.conf"),
            "weblisten = 127.0.0.2:7580\n"
            "trackers = 127.0.0.1:7001, 127.0.0.9:7001\n"
            "web_secret = s3cret\n"
            "web_secure_domains = private, paid\n"
            "web_upload_token = tok\n"
            "web_cache_control = public, max-age=60\n"
            "web_domain_cache_control = private: private, no-cache | paid: no-store\n"
            "web_inline_types = image/*, text/plain\n"
            "web_path_cache_ttl = 2\n"
            "web_path_cache_size = 7\n");
  const std::string arg = "--config=" + dir.Sub("m.conf");
  const char* argv[] = {"mogstored", arg.c_str()};
  const web::WebConfig w = LoadStorageConfig(2, argv, "/nonexistent").config.web;
  EXPECT_TRUE(w.enabled);
  EXPECT_EQ(w.listen.ToString(), "127.0.0.2:7580");
  EXPECT_EQ(w.trackers, (std::vector<std::string>{"127.0.0.1:7001", "127.0.0.9:7001"}));
  EXPECT_TRUE(w.DomainSecured("paid"));
  EXPECT_FALSE(w.DomainSecured("public"));
  EXPECT_EQ(w.upload_token, "tok");
  EXPECT_EQ(w.CacheControlFor("private"), "private, no-cache");
  EXPECT_EQ(w.CacheControlFor("other"), "public, max-age=60");
  EXPECT_EQ(w.inline_types, (std::vector<std::string>{"image/*", "text/plain"}));
  EXPECT_EQ(w.path_cache_ttl, std::chrono::seconds(2));
  EXPECT_EQ(w.path_cache_size, 7u);
}

TEST(StorageConfigWebTest, OffByDefaultAndNeedsTrackers) {
  const char* plain[] = {"mogstored", "-s"};
  EXPECT_FALSE(LoadStorageConfig(2, plain, "/nonexistent").config.web.enabled);
  const char* no_trackers[] = {"mogstored", "-s", "--weblisten=127.0.0.1:7580"};
  EXPECT_THROW(LoadStorageConfig(3, no_trackers, "/nonexistent"), ConfigError);
  const char* bad_tracker[] = {"mogstored", "-s", "--weblisten=127.0.0.1:7580", "--trackers=x"};
  EXPECT_THROW(LoadStorageConfig(4, bad_tracker, "/nonexistent"), ConfigError);
}

}  // namespace
}  // namespace mog::storage
