// Reads are weighted by device I/O utilisation, end to end: a real mogilefsd started with
// upstream's test hook (TESTING=1, T_FAKE_IO_DEV<devid>=<util>, as t/10-weighting.t does)
// lists the idle device's path first for most get_paths calls.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/cluster.h"
#include "tests/support/net.h"

namespace mog::test {
namespace {

using namespace std::chrono_literals;

// PUTs `body` to an http://ip:port/path URL the tracker handed out.
bool HttpPut(const std::string& url, const std::string& body) {
  std::smatch m;
  static const std::regex kUrl(R"(^http://([\d.]+):(\d+)(/.*)$)");
  if (!std::regex_match(url, m, kUrl)) return false;
  TcpClient c(m[1].str(), static_cast<uint16_t>(std::stoi(m[2].str())), 10s);
  if (!c.Send("PUT " + m[3].str() + " HTTP/1.0\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n" + body)) {
    return false;
  }
  const std::string status = c.ReadLine();
  return status.find(" 200") != std::string::npos || status.find(" 201") != std::string::npos ||
         status.find(" 204") != std::string::npos;
}

TEST(TrackerReadWeightingTest, BusyDeviceIsListedFirstRarely) {
  LocalClusterOptions o;
  o.storage_nodes = 2;
  // Devices are numbered in node order: dev1 on node1, dev2 on node2.
  o.tracker_env = {"TESTING=1", "T_FAKE_IO_DEV1=95", "T_FAKE_IO_DEV2=5"};
  LocalCluster cluster(o);
  ASSERT_EQ(cluster.nodes().at(0).devids, std::vector<uint32_t>{1});
  ASSERT_EQ(cluster.nodes().at(1).devids, std::vector<uint32_t>{2});
  ASSERT_TRUE(cluster.Call("create_domain", {{"domain", "w"}}).ok);
  ASSERT_TRUE(
      cluster.Call("create_class", {{"domain", "w"}, {"class", "two"}, {"mindevcount", "2"}}).ok);
  auto open = cluster.Call("create_open", {{"domain", "w"}, {"class", "two"}, {"key", "k"}});
  ASSERT_TRUE(open.ok) << open.errcode;
  ASSERT_TRUE(HttpPut(open.args.Get("path"), "hello"));
  auto close = cluster.Call("create_close", {{"domain", "w"},
                                             {"key", "k"},
                                             {"fid", open.args.Get("fid")},
                                             {"devid", open.args.Get("devid")},
                                             {"path", open.args.Get("path")},
                                             {"size", "5"}});
  ASSERT_TRUE(close.ok) << close.errcode << " " << close.errstr;
  ASSERT_TRUE(WaitUntil(
      [&] {
        return cluster.Call("get_paths", {{"domain", "w"}, {"key", "k"}}).args.Get("paths") == "2";
      },
      60s))
      << cluster.Logs();

  int dev2_first = 0;
  const int kCalls = 200;
  for (int i = 0; i < kCalls; ++i) {
    auto paths = cluster.Call("get_paths", {{"domain", "w"}, {"key", "k"}, {"noverify", "1"}});
    ASSERT_TRUE(paths.ok);
    if (paths.args.Get("path1").find("/dev2/") != std::string::npos) ++dev2_first;
  }
  // Weights 102-util: 97 vs 7, so dev2 comes first ~93% of the time (50% unweighted).
  EXPECT_GT(dev2_first, kCalls * 80 / 100) << dev2_first << " of " << kCalls;
}

}  // namespace
}  // namespace mog::test
