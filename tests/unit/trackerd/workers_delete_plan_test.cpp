#include <gtest/gtest.h>

#include "trackerd/workers/delete_plan.h"
#include "trackerd/workers/device_urls.h"

namespace mog::tracker {
namespace {

// h1 alive (devices 1 alive, 2 dead, 3 readonly, 4 drain, 5 down), h2 down (device 6 alive).
ClusterSnapshot Snapshot(DeviceObserved dev1_observed = DeviceObserved::kWriteable) {
  StoreTables t;
  t.hosts = {HostRow{1, "alive", 7500, 7600, "h1", "127.0.0.2", "", ""},
             HostRow{2, "down", 7500, std::nullopt, "h2", "127.0.0.3", "", ""}};
  t.devices = {
      DeviceRow{1, 1, "alive", 100, {}, {}, {}},    DeviceRow{2, 1, "dead", 100, {}, {}, {}},
      DeviceRow{3, 1, "readonly", 100, {}, {}, {}}, DeviceRow{4, 1, "drain", 100, {}, {}, {}},
      DeviceRow{5, 1, "down", 100, {}, {}, {}},     DeviceRow{6, 2, "alive", 100, {}, {}, {}}};
  std::map<uint32_t, HostObserved> hosts = {{1, HostObserved::kReachable},
                                            {2, HostObserved::kReachable}};
  std::map<uint32_t, DeviceObservation> devs;
  devs[1].state = dev1_observed;
  for (uint32_t d = 2; d <= 6; ++d) devs[d].state = DeviceObserved::kWriteable;
  return ClusterSnapshot(t, ClusterLimits{}, hosts, devs);
}

TEST(WorkersDeletePlanTest, AliveAndWriteableGetsHttpDelete) {
  auto s = Snapshot();
  EXPECT_EQ(PlanDeleteOnDevice(s, 1).kind, DeleteStep::Kind::kHttpDelete);
  EXPECT_EQ(PlanDeleteOnDevice(s, 4).kind, DeleteStep::Kind::kHttpDelete);  // drain is deletable
}

TEST(WorkersDeletePlanTest, DeadDeviceDropsTheRowWithoutHttp) {
  EXPECT_EQ(PlanDeleteOnDevice(Snapshot(), 2).kind, DeleteStep::Kind::kDropRow);
}

TEST(WorkersDeletePlanTest, NotWriteableIsRetriedTenMinutesLater) {
  for (auto obs :
       {DeviceObserved::kReadable, DeviceObserved::kUnreachable, DeviceObserved::kUnknown}) {
    const DeleteStep step = PlanDeleteOnDevice(Snapshot(obs), 1);
    EXPECT_EQ(step.kind, DeleteStep::Kind::kRetryLater);
    EXPECT_EQ(step.retry, DeleteRetry::kNotWriteable);
  }
}

TEST(WorkersDeletePlanTest, ReadonlyDownAndHostDownAreNotDeletable) {
  auto s = Snapshot();
  for (DevId d : {3u, 5u, 6u}) {
    const DeleteStep step = PlanDeleteOnDevice(s, d);
    EXPECT_EQ(step.kind, DeleteStep::Kind::kRetryLater) << d;
    EXPECT_EQ(step.retry, DeleteRetry::kNotDeletable) << d;
  }
}

TEST(WorkersDeletePlanTest, UnknownDeviceKeepsItsRow) {
  const DeleteStep step = PlanDeleteOnDevice(Snapshot(), 99);
  EXPECT_EQ(step.kind, DeleteStep::Kind::kRetryLater);
  EXPECT_EQ(step.retry, DeleteRetry::kUnknownDevice);
}

TEST(WorkersDeviceUrlsTest, PutUsesHttpPortGetUsesGetPort) {
  auto s = Snapshot();
  EXPECT_EQ(FidPutUrl(s, 1, 1234567), "http://127.0.0.2:7500/dev1/0/001/234/0001234567.fid");
  EXPECT_EQ(FidGetUrl(s, 1, 1234567), "http://127.0.0.2:7600/dev1/0/001/234/0001234567.fid");
  EXPECT_EQ(FidGetUrl(s, 6, 5), "http://127.0.0.3:7500/dev6/0/000/000/0000000005.fid");
  EXPECT_EQ(FidPutUrl(s, 42, 5), std::nullopt);
}

TEST(WorkersDeviceUrlsTest, HexAndBase64) {
  EXPECT_EQ(HexToBytes("00ff10Ab"), std::string("\x00\xff\x10\xab", 4));
  EXPECT_EQ(HexToBytes("abc"), std::nullopt);
  EXPECT_EQ(HexToBytes("zz"), std::nullopt);
  // MD5("") in Content-MD5 form.
  EXPECT_EQ(BytesToBase64(*HexToBytes("d41d8cd98f00b204e9800998ecf8427e")),
            "1B2M2Y8AsgTpgAmY7PhCfg==");
}

}  // namespace
}  // namespace mog::tracker
