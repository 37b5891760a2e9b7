#include "trackerd/workers/replication_nudger.h"

#include <gtest/gtest.h>

namespace mog::tracker {
namespace {

StoreTables ThreeDevices() {
  StoreTables t;
  t.hosts = {HostRow{1, "alive", 7500, std::nullopt, "h1", "127.0.0.2", "", ""}};
  t.devices = {DeviceRow{1, 1, "alive", 100, 1000, 100, std::nullopt},
               DeviceRow{2, 1, "alive", 100, 1000, 100, std::nullopt},
               DeviceRow{3, 1, "alive", 100, 1000, 100, std::nullopt}};
  return t;
}

TEST(ReplicationNudgerTest, OnlyDevicesThatComeBackWriteableCount) {
  ClusterState state;
  state.ReplaceFromStore(ThreeDevices());
  state.SetHostObserved(1, HostObserved::kReachable);
  state.SetDeviceObserved(1, {.state = DeviceObserved::kUnreachable});
  state.SetDeviceObserved(2, {.state = DeviceObserved::kReadable});
  state.SetDeviceObserved(3, {.state = DeviceObserved::kWriteable});
  const auto before = ObservedDevices(*state.Snapshot());

  // Nothing changed: nothing returned.
  EXPECT_TRUE(ReturnedDevices(before, *state.Snapshot()).empty());

  state.SetDeviceObserved(1, {.state = DeviceObserved::kWriteable});
  state.SetDeviceObserved(2, {.state = DeviceObserved::kWriteable});
  EXPECT_EQ(ReturnedDevices(before, *state.Snapshot()), (std::vector<uint32_t>{1, 2}));
}

TEST(ReplicationNudgerTest, DevicesNeverSeenBeforeDoNotCount) {
  ClusterState state;
  state.ReplaceFromStore(ThreeDevices());
  state.SetHostObserved(1, HostObserved::kReachable);
  for (uint32_t d : {1u, 2u, 3u}) state.SetDeviceObserved(d, {.state = DeviceObserved::kWriteable});
  // Start-up: no earlier observation at all.
  EXPECT_TRUE(ReturnedDevices({}, *state.Snapshot()).empty());
  // A writeable device that goes unreachable has not "returned".
  const auto before = ObservedDevices(*state.Snapshot());
  state.SetDeviceObserved(3, {.state = DeviceObserved::kUnreachable});
  EXPECT_TRUE(ReturnedDevices(before, *state.Snapshot()).empty());
}

}  // namespace
}  // namespace mog::tracker
