// dev<N>/usage as written by the real mogstored, checked against GNU df through the regex
// upstream used on df's output.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mog::storage {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHost = "127.0.0.2";

// "key: value" lines in file order.
std::vector<std::pair<std::string, std::string>> ParseUsage(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(": ");
    fields.emplace_back(line.substr(0, colon),
                        colon == std::string::npos ? "" : line.substr(colon + 2));
  }
  return fields;
}

struct DfLine {
  std::string device, use, disk;
  long long total = 0, used = 0, available = 0;
};

// What upstream extracted from `df -P -l -k <dir>`.
DfLine RunDf(const std::string& dir) {
  test::CommandResult r = test::RunCommand({"/bin/df", "-P", "-l", "-k", dir});
  std::istringstream in(r.output);
  std::string line;
  const std::regex upstream("^(.+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.+)\\s+(.+)$");
  DfLine df;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, upstream)) continue;
    df.device = m[1];
    df.total = std::stoll(m[2]);
    df.used = std::stoll(m[3]);
    df.available = std::stoll(m[4]);
    df.use = m[5];
    df.disk = m[6];
  }
  return df;
}

class UsageMogstoredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    docroot_ = dir_.Sub("docroot");
    ASSERT_EQ(mkdir(docroot_.c_str(), 0755), 0);
    ASSERT_EQ(mkdir((docroot_ + "/dev1").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((docroot_ + "/dev2").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((docroot_ + "/notadev").c_str(), 0755), 0);
    uint16_t mgmt_port = test::FreePort(kHost);
    uint16_t http_port = test::FreePort(kHost);
    node_ = std::make_unique<test::ChildProcess>(
        std::vector<std::string>{
            test::BinPath("mogstored"), "--skipconfig", "--docroot=" + docroot_,
            "--httplisten=" + std::string(kHost) + ":" + std::to_string(http_port),
            "--mgmtlisten=" + std::string(kHost) + ":" + std::to_string(mgmt_port)},
        dir_.Sub("mogstored.log"));
    ASSERT_TRUE(test::WaitForPort(kHost, mgmt_port)) << node_->Log();
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "mogstored log:\n" << node_->Log();
  }
  bool WaitForUsage(const std::string& dev, std::chrono::milliseconds timeout) {
    return test::WaitUntil([&] { return test::FileExists(docroot_ + "/" + dev + "/usage"); },
                           timeout);
  }

  test::TempDir dir_{"usage"};
  std::string docroot_;
  std::unique_ptr<test::ChildProcess> node_;
};

TEST_F(UsageMogstoredTest, WrittenAtStartForEveryDeviceWithAllKeysSorted) {
  ASSERT_TRUE(WaitForUsage("dev1", 5s));
  ASSERT_TRUE(WaitForUsage("dev2", 5s));
  EXPECT_FALSE(test::FileExists(docroot_ + "/notadev/usage"));

  for (const char* dev : {"dev1", "dev2"}) {
    const std::string dir = docroot_ + "/" + dev;
    auto fields = ParseUsage(test::ReadFileOrEmpty(dir + "/usage"));
    std::vector<std::string> keys;
    for (const auto& [key, value] : fields) keys.push_back(key);
    ASSERT_EQ(keys, (std::vector<std::string>{"available", "device", "disk", "time", "total", "use",
                                              "used"}));
    std::map<std::string, std::string> f(fields.begin(), fields.end());
    const long long available = std::stoll(f["available"]);
    const long long used = std::stoll(f["used"]);
    const long long total = std::stoll(f["total"]);
    EXPECT_EQ(total, used + available);
    EXPECT_GT(total, 0);
    EXPECT_EQ(f["disk"], dir);  // a plain directory, not a mount point ending in devN
    const long long now = std::time(nullptr);
    EXPECT_LE(std::stoll(f["time"]), now);
    EXPECT_GT(std::stoll(f["time"]), now - 60);
    EXPECT_TRUE(std::regex_match(f["use"], std::regex("\\d{1,3}%"))) << f["use"];

    // Same bytes df + upstream's regex give (numbers move as other processes write, so
    // those are compared loosely).
    DfLine df = RunDf(dir);
    ASSERT_FALSE(df.device.empty()) << "df printed no data line for " << dir;
    EXPECT_EQ(f["device"], df.device);
    EXPECT_LT(std::llabs(used - df.used), 2LL << 20);
    EXPECT_LT(std::llabs(available - df.available), 2LL << 20);
  }
}

TEST_F(UsageMogstoredTest, RewrittenEveryTenSecondsIncludingNewDevices) {
  ASSERT_TRUE(WaitForUsage("dev1", 5s));
  ASSERT_EQ(unlink((docroot_ + "/dev1/usage").c_str()), 0);
  ASSERT_EQ(mkdir((docroot_ + "/dev3").c_str(), 0755), 0);
  EXPECT_TRUE(WaitForUsage("dev1", 15s));
  EXPECT_TRUE(WaitForUsage("dev3", 15s));
  // Temp files are renamed into place, never left behind.
  for (const char* dev : {"dev1", "dev2", "dev3"}) {
    DIR* d = opendir((docroot_ + "/" + dev).c_str());
    ASSERT_NE(d, nullptr);
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(d);
    EXPECT_EQ(names, std::vector<std::string>{"usage"}) << dev;
  }
}

}  // namespace
}  // namespace mog::storage
