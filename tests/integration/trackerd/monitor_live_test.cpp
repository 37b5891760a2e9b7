// The Monitor's own loop against storage nodes on loopback: nodes that answer become
// writeable, a node that dies becomes unreachable within a bounded time, utilization arrives
// over `watch`, admin-style forced rounds complete, Stop() is prompt.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "tests/integration/trackerd/nodes_fake_http_node.h"
#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "trackerd/nodes/http_node_client.h"
#include "trackerd/workers/monitor.h"

namespace mog::tracker {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

HostRow MakeHost(uint32_t id, const std::string& ip, uint16_t port) {
  HostRow h;
  h.hostid = id;
  h.hostname = "h" + std::to_string(id);
  h.status = "alive";
  h.hostip = ip;
  h.http_port = port;
  return h;
}

DeviceRow MakeDev(uint32_t devid, uint32_t hostid) {
  DeviceRow d;
  d.devid = devid;
  d.hostid = hostid;
  d.status = "alive";
  return d;
}

DeviceObserved Observed(ClusterState& state, uint32_t devid) {
  auto snap = state.Snapshot();  // keeps the Device alive while we read it
  const Device* d = snap->FindDevice(devid);
  return d ? d->observed : DeviceObserved::kUnknown;
}

TEST(MonitorLiveTest, LiveNodesWriteableDeadNodeUnreachableWatchAndForcedRounds) {
  auto node_a = std::make_unique<test::FakeHttpNode>("127.0.0.2");
  test::FakeHttpNode node_b("127.0.0.3");
  node_a->SetUsage(1, 1000, 100000000);
  node_b.SetUsage(2, 2000, 100000);
  node_b.SetWatch({{2, "7"}});

  ClusterState state;
  StoreTables tables;
  tables.hosts = {MakeHost(1, node_a->ip(), node_a->http_port()),
                  MakeHost(2, node_b.ip(), node_b.http_port())};
  tables.devices = {MakeDev(1, 1), MakeDev(2, 2)};
  state.ReplaceFromStore(tables);

  HttpNodeClientOptions http;
  http.timeout = milliseconds(400);
  HttpNodeClient nodes(http);
  MonitorOptions options;
  options.interval = milliseconds(100);
  options.test_write_interval = milliseconds(200);
  // Both fake nodes use random side-channel ports; watch node_b's (node_a's watch just fails).
  options.side_channel_port = node_b.side_port();
  Monitor monitor(state, nodes, nullptr, options);
  monitor.Start();
  ASSERT_TRUE(monitor.WaitFirstRound(seconds(10)));

  ASSERT_TRUE(test::WaitUntil([&] {
    return Observed(state, 1) == DeviceObserved::kWriteable &&
           Observed(state, 2) == DeviceObserved::kWriteable;
  }, seconds(10)));
  auto snap = state.Snapshot();
  EXPECT_EQ(snap->FindDevice(1)->mb_used, 0u);   // 1000 KiB → 0 MiB (int division)
  EXPECT_EQ(snap->FindDevice(2)->mb_total, 97u);
  EXPECT_EQ(snap->FindDevice(1)->reject_bad_md5, true);
  EXPECT_TRUE(snap->ShouldGetNewFiles(*snap->FindDevice(1)));
  EXPECT_FALSE(snap->ShouldGetNewFiles(*snap->FindDevice(2)));  // 95 MiB free < 100 MiB
  EXPECT_GE(node_a->Count("PUT"), 2);  // test-write + bad-MD5 probe

  // Utilization from node_b's `watch` stream.
  ASSERT_TRUE(test::WaitUntil([&] {
    auto s = state.Snapshot();
    const Device* d = s->FindDevice(2);
    return d->utilization && *d->utilization == "7";
  }, seconds(10)));

  // A forced round (what admin commands wait for) completes.
  auto forced = monitor.RunRoundNow(seconds(10));
  EXPECT_TRUE(forced.get());

  // Kill node_a: its device must stop being readable within a bounded time.
  node_a.reset();
  ASSERT_TRUE(test::WaitUntil([&] {
    auto s = state.Snapshot();
    return !s->IsReadable(*s->FindDevice(1)) &&
           Observed(state, 1) == DeviceObserved::kUnreachable;
  }, seconds(10)));
  EXPECT_EQ(Observed(state, 2), DeviceObserved::kWriteable);

  const auto stop_start = std::chrono::steady_clock::now();
  monitor.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_start, seconds(5));
  // With the Monitor gone, waiting for a round returns instead of hanging.
  EXPECT_FALSE(state.WaitMonitorRound(state.RequestMonitorRound(), seconds(5)));
}

TEST(MonitorLiveTest, BlackholedHostDoesNotDelayOthersBeyondItsTimeout) {
  test::Blackhole hole("127.0.0.4");
  test::FakeHttpNode live("127.0.0.5");
  live.SetUsage(2, 1000, 100000000);
  ClusterState state;
  StoreTables tables;
  tables.hosts = {MakeHost(1, "127.0.0.4", hole.port()), MakeHost(2, live.ip(), live.http_port())};
  tables.devices = {MakeDev(1, 1), MakeDev(3, 1), MakeDev(2, 2)};
  state.ReplaceFromStore(tables);
  HttpNodeClientOptions http;
  http.timeout = milliseconds(600);
  HttpNodeClient nodes(http);
  MonitorOptions options;
  options.watch_utilization = false;
  Monitor monitor(state, nodes, nullptr, options);
  monitor.RunRound();  // on this thread: returns after ~one node timeout, not two or forever
  auto snap = state.Snapshot();
  EXPECT_EQ(snap->FindHost(1)->observed, HostObserved::kUnreachable);
  EXPECT_EQ(snap->FindDevice(2)->observed, DeviceObserved::kWriteable);
  EXPECT_TRUE(snap->ShouldGetNewFiles(*snap->FindDevice(2)));
  EXPECT_FALSE(snap->IsReadable(*snap->FindDevice(3)));
}

// Against the real mogstored when it has been built: a live node is writeable and its usage
// file parses; killing it makes the device unreachable.
TEST(MonitorLiveTest, RealMogstoredWriteableThenUnreachable) {
  if (!std::filesystem::exists(test::BinPath("mogstored"))) {
    GTEST_SKIP() << "build/bin/mogstored not built";
  }
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/dev1");
  const uint16_t http_port = test::FreePort("127.0.0.6");
  const uint16_t side_port = test::FreePort("127.0.0.6");
  auto proc = std::make_unique<test::ChildProcess>(
      std::vector<std::string>{test::BinPath("mogstored"), "--skipconfig",
                               "--docroot=" + dir.path(),
                               "--httplisten=127.0.0.6:" + std::to_string(http_port),
                               "--mgmtlisten=127.0.0.6:" + std::to_string(side_port)},
      dir.path() + "/mogstored.log");
  ASSERT_TRUE(test::WaitForPort("127.0.0.6", http_port, seconds(10))) << proc->Log();
  ClusterState state;
  StoreTables tables;
  tables.hosts = {MakeHost(1, "127.0.0.6", http_port)};
  tables.devices = {MakeDev(1, 1)};
  state.ReplaceFromStore(tables);
  HttpNodeClientOptions http;
  http.timeout = milliseconds(1000);
  HttpNodeClient nodes(http);
  MonitorOptions options;
  options.interval = milliseconds(200);
  options.side_channel_port = side_port;
  Monitor monitor(state, nodes, nullptr, options);
  monitor.Start();
  // mogstored writes the usage file at start; allow for its first df run.
  ASSERT_TRUE(test::WaitUntil([&] { return Observed(state, 1) == DeviceObserved::kWriteable; },
                              seconds(20)))
      << proc->Log();
  EXPECT_TRUE(state.Snapshot()->FindDevice(1)->mb_total.value_or(0) > 0);
  EXPECT_EQ(state.Snapshot()->FindDevice(1)->reject_bad_md5, true);
  proc->Stop();
  ASSERT_TRUE(test::WaitUntil([&] { return Observed(state, 1) == DeviceObserved::kUnreachable; },
                              seconds(10)));
  monitor.Stop();
}

}  // namespace
}  // namespace mog::tracker
