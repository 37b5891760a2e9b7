// The Delete worker with real mogstored nodes: a deleted key's copies vanish from every disk;
// a node that is down while the delete is queued loses its copy once it is back.
#include <csignal>

#include <gtest/gtest.h>

#include "tests/integration/workers/worker_harness.h"

namespace mog::test {
namespace {

TEST(WorkersDeleteTest, DeletedKeyDisappearsFromEveryDisk) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "three", 3);
  h.StartWorkers();
  const std::string body = RandomBytes(4096, 7);
  const Fid fid = h.Upload("d", "three", "doomed", body);
  ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 3); }, std::chrono::seconds(60)));
  std::vector<std::string> paths;
  for (DevId d : h.FileOn(fid)) paths.push_back(h.DiskPath(d, fid));

  auto r = h.cluster().Call("delete", {{"domain", "d"}, {"key", "doomed"}});
  ASSERT_TRUE(r.ok) << r.errcode;
  EXPECT_TRUE(WaitUntil(
      [&] {
        for (const auto& p : paths) {
          if (FileExists(p)) return false;
        }
        return h.FileOn(fid).empty() && h.Value("SELECT COUNT(*) FROM file_to_delete2 WHERE fid=" +
                                                std::to_string(fid)) == "0";
      },
      std::chrono::seconds(30)));
}

TEST(WorkersDeleteTest, CopyOnANodeDownWhileQueuedIsDeletedOnceItIsBack) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "three", 3);
  h.StartWorkers();
  const std::string body = RandomBytes(2048, 8);
  const Fid fid = h.Upload("d", "three", "later", body);
  ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 3); }, std::chrono::seconds(60)));

  auto& node = h.cluster().nodes()[2];
  const DevId down_dev = node.devids.at(0);
  const std::string down_path = h.DiskPath(down_dev, fid);
  node.process->Signal(SIGKILL);
  ASSERT_TRUE(node.process->WaitExit(std::chrono::seconds(10)).has_value());
  ASSERT_TRUE(h.WaitState([&](const tracker::ClusterSnapshot& s) {
    const auto* dev = s.FindDevice(down_dev);
    return dev && dev->observed != tracker::DeviceObserved::kWriteable;
  }));

  auto r = h.cluster().Call("delete", {{"domain", "d"}, {"key", "later"}});
  ASSERT_TRUE(r.ok) << r.errcode;
  // The live copies go; the down node's row and the queue row stay.
  ASSERT_TRUE(WaitUntil([&] { return h.FileOn(fid) == std::vector<DevId>{down_dev}; },
                        std::chrono::seconds(30)));
  EXPECT_TRUE(FileExists(down_path));
  EXPECT_EQ(h.Value("SELECT COUNT(*) FROM file_to_delete2 WHERE fid=" + std::to_string(fid)), "1");

  h.RestartNode(2);
  EXPECT_TRUE(WaitUntil(
      [&] {
        return !FileExists(down_path) && h.FileOn(fid).empty() &&
               h.Value("SELECT COUNT(*) FROM file_to_delete2 WHERE fid=" + std::to_string(fid)) ==
                   "0";
      },
      std::chrono::seconds(60)));
}

TEST(WorkersDeleteTest, OldTempfileOfAnUnclosedUploadIsCollected) {
  WorkerHarness h(2);
  h.MakeDomainAndClass("d", "two", 2);
  h.options().tempfile_too_old = 1;
  auto open = h.cluster().Call("create_open", {{"domain", "d"}, {"class", "two"}, {"key", "t"}});
  ASSERT_TRUE(open.ok);
  const Fid fid = std::stoull(open.args.Get("fid"));
  const DevId devid = static_cast<DevId>(std::stoul(open.args.Get("devid")));
  auto put = h.nodes().Put(open.args.Get("path"), "abandoned upload");
  ASSERT_TRUE(put && put->ok());
  ASSERT_TRUE(FileExists(h.DiskPath(devid, fid)));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // older than 1 s in DB time
  h.StartWorkers();
  EXPECT_TRUE(WaitUntil(
      [&] {
        return h.Value("SELECT COUNT(*) FROM tempfile WHERE fid=" + std::to_string(fid)) == "0" &&
               !FileExists(h.DiskPath(devid, fid)) && h.FileOn(fid).empty();
      },
      std::chrono::seconds(30)));
}

}  // namespace
}  // namespace mog::test
