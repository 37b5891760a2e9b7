#include "trackerd/state/cluster_state.h"

#include <gtest/gtest.h>

namespace mog::tracker {
namespace {

StoreTables TwoHostTables() {
  StoreTables t;
  t.domains = {{1, "photos"}, {2, "Docs"}};
  t.classes = {{1, 1, "thumbs", 3, kHashMd5, "MultipleHosts(2)"}};
  t.hosts = {HostRow{1, "alive", 7500, std::nullopt, "h1", "127.0.0.2", "", ""},
             HostRow{2, "readonly", 7500, 7600, "h2", "127.0.0.3", "", ""}};
  t.devices = {DeviceRow{1, 1, "alive", 100, 1000, 100, std::nullopt},
               DeviceRow{2, 1, "drain", 100, std::nullopt, std::nullopt, std::nullopt},
               DeviceRow{3, 2, "alive", 100, 1000, 950, std::nullopt},
               DeviceRow{4, 1, "bogus", 100, std::nullopt, std::nullopt, std::nullopt}};
  t.settings = {{"skip_mkcol", "1"}, {"memcache_servers", ""}};
  return t;
}

TEST(ClusterStateTest, EveryDomainHasImplicitDefaultClass) {
  ClusterState state(
      ClusterLimits{.default_mindevcount = 4, .min_free_space_mb = 100, .fake_utilization = {}});
  state.ReplaceFromStore(TwoHostTables());
  SnapshotPtr s = state.Snapshot();
  const DomainInfo* d = s->FindDomain("Docs");
  ASSERT_NE(d, nullptr);
  const ClassInfo* def = s->FindClass(d->row.dmid, "default");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->row.classid, 0u);
  EXPECT_EQ(def->row.mindevcount, 4);
  EXPECT_TRUE(def->implicit_default);
  EXPECT_EQ(s->FindDomain("docs"), nullptr);  // cache lookups are case-sensitive
  const ClassInfo* thumbs = s->FindClass(1, "thumbs");
  ASSERT_NE(thumbs, nullptr);
  EXPECT_EQ(thumbs->row.hashtype, kHashMd5);
  EXPECT_EQ(s->FindClass(1, 1u), thumbs);
}

TEST(ClusterStateTest, DbRowForClassZeroOverridesDefaultMindevcount) {
  StoreTables t = TwoHostTables();
  t.classes.push_back({1, 0, "whatever", 1, kHashNone, ""});
  ClusterState state;
  state.ReplaceFromStore(t);
  const ClassInfo* def = state.Snapshot()->FindClass(1, 0u);
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->row.mindevcount, 1);
  EXPECT_EQ(def->row.name, "default");
  EXPECT_FALSE(def->implicit_default);
}

TEST(ClusterStateTest, NothingIsReadableBeforeTheMonitorObserves) {
  ClusterState state;
  state.ReplaceFromStore(TwoHostTables());
  SnapshotPtr s = state.Snapshot();
  EXPECT_FALSE(s->IsReadable(*s->FindDevice(1)));
  EXPECT_FALSE(s->ShouldGetNewFiles(*s->FindDevice(1)));
  EXPECT_TRUE(s->IsDeletable(*s->FindDevice(1)));
  EXPECT_TRUE(s->IsMonitored(*s->FindDevice(1)));
}

TEST(ClusterStateTest, ObservationsSurviveStoreRefresh) {
  ClusterState state;
  state.ReplaceFromStore(TwoHostTables());
  state.SetHostObserved(1, HostObserved::kReachable);
  state.SetDeviceObserved(1, {.state = DeviceObserved::kWriteable, .utilization = "7"});
  state.ReplaceFromStore(TwoHostTables());
  SnapshotPtr s = state.Snapshot();
  const Device* d1 = s->FindDevice(1);
  EXPECT_EQ(d1->observed, DeviceObserved::kWriteable);
  EXPECT_EQ(d1->utilization, "7");
  EXPECT_TRUE(s->IsReadable(*d1));
  EXPECT_TRUE(s->ShouldGetNewFiles(*d1));
}

TEST(ClusterStateTest, UnreachableHostMakesDevicesUnreadable) {
  ClusterState state;
  state.ReplaceFromStore(TwoHostTables());
  state.SetDeviceObserved(1, {.state = DeviceObserved::kWriteable});
  state.SetHostObserved(1, HostObserved::kUnreachable);
  SnapshotPtr s = state.Snapshot();
  EXPECT_FALSE(s->IsReadable(*s->FindDevice(1)));
  EXPECT_FALSE(s->ShouldGetNewFiles(*s->FindDevice(1)));
}

TEST(ClusterStateTest, StatePredicatesFollowTheStateTable) {
  ClusterState state(
      ClusterLimits{.default_mindevcount = 2, .min_free_space_mb = 100, .fake_utilization = {}});
  state.ReplaceFromStore(TwoHostTables());
  for (uint32_t h : {1u, 2u}) state.SetHostObserved(h, HostObserved::kReachable);
  for (uint32_t d : {1u, 2u, 3u, 4u}) {
    state.SetDeviceObserved(d, {.state = DeviceObserved::kWriteable});
  }
  SnapshotPtr s = state.Snapshot();
  // drain: readable and deletable, but no new files.
  EXPECT_TRUE(s->IsReadable(*s->FindDevice(2)));
  EXPECT_TRUE(s->IsDeletable(*s->FindDevice(2)));
  EXPECT_FALSE(s->ShouldGetNewFiles(*s->FindDevice(2)));
  // readonly host: readable, not deletable, no new files.
  EXPECT_TRUE(s->IsReadable(*s->FindDevice(3)));
  EXPECT_FALSE(s->IsDeletable(*s->FindDevice(3)));
  EXPECT_FALSE(s->ShouldGetNewFiles(*s->FindDevice(3)));
  // unknown status is treated as down.
  EXPECT_EQ(s->FindDevice(4)->status, DeviceStatus::kUnknown);
  EXPECT_FALSE(s->IsReadable(*s->FindDevice(4)));
  EXPECT_FALSE(s->IsMonitored(*s->FindDevice(4)));
  EXPECT_TRUE(s->HoldsFiles(*s->FindDevice(4)));
}

TEST(ClusterStateTest, MinFreeSpaceStopsNewFiles) {
  StoreTables t = TwoHostTables();
  t.hosts[1].status = "alive";
  ClusterState state(
      ClusterLimits{.default_mindevcount = 2, .min_free_space_mb = 100, .fake_utilization = {}});
  state.ReplaceFromStore(t);
  state.SetHostObserved(2, HostObserved::kReachable);
  state.SetDeviceObserved(3, {.state = DeviceObserved::kWriteable});
  SnapshotPtr s = state.Snapshot();
  EXPECT_FALSE(s->ShouldGetNewFiles(*s->FindDevice(3)));  // 50 MB free < 100
  state.SetDeviceObserved(3, {.mb_total = 1000, .mb_used = 800});
  s = state.Snapshot();
  EXPECT_EQ(s->FindDevice(3)->MbFree(), 200);
  EXPECT_TRUE(s->ShouldGetNewFiles(*s->FindDevice(3)));
  EXPECT_DOUBLE_EQ(*s->FindDevice(3)->PercentFree(), 0.2);
}

TEST(ClusterStateTest, SettingsAndSnapshotsAreImmutable) {
  ClusterState state;
  state.ReplaceFromStore(TwoHostTables());
  SnapshotPtr before = state.Snapshot();
  EXPECT_TRUE(before->SettingTrue("skip_mkcol"));
  EXPECT_FALSE(before->SettingTrue("memcache_servers"));
  EXPECT_EQ(before->Setting("nope"), std::nullopt);
  StoreTables t = TwoHostTables();
  t.settings.clear();
  state.ReplaceFromStore(t);
  EXPECT_TRUE(before->SettingTrue("skip_mkcol"));
  EXPECT_FALSE(state.Snapshot()->SettingTrue("skip_mkcol"));
  EXPECT_GT(state.Snapshot()->generation(), before->generation());
}

TEST(ClusterStateTest, MonitorRoundHandshake) {
  ClusterState state;
  // No monitor: waiting returns at once, unsatisfied.
  EXPECT_FALSE(state.WaitMonitorRound(state.RequestMonitorRound(), std::chrono::seconds(5)));
  state.SetMonitorRunning(true);
  uint64_t ticket = state.RequestMonitorRound();
  uint64_t round = state.WaitForRoundRequest(std::chrono::milliseconds(0));
  EXPECT_GE(round, ticket);
  state.MonitorRoundDone(round);
  EXPECT_TRUE(state.WaitMonitorRound(ticket, std::chrono::milliseconds(0)));
  // A round that started before the request does not satisfy it.
  uint64_t running = state.WaitForRoundRequest(std::chrono::milliseconds(0));
  uint64_t later = state.RequestMonitorRound();
  state.MonitorRoundDone(running);
  EXPECT_FALSE(state.WaitMonitorRound(later, std::chrono::milliseconds(0)));
}

}  // namespace
}  // namespace mog::tracker
