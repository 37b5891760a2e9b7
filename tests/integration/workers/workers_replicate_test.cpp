// Replication and the reaper with real mogstored nodes: uploads reach mindevcount byte-exact
// copies on distinct hosts; a node killed and marked dead has its files re-replicated.
#include <csignal>

#include <gtest/gtest.h>

#include "tests/integration/workers/worker_harness.h"
#include "trackerd/nodes/digest_hasher.h"
#include "trackerd/workers/job_master.h"

namespace mog::test {
namespace {

TEST(WorkersReplicateTest, UploadsReachMindevcountOnDistinctHostsByteExact) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "two", 2);
  h.MakeDomainAndClass("d2", "three", 3, "MD5");
  h.StartWorkers();
  struct Upload {
    Fid fid;
    std::string body;
    size_t copies;
  };
  std::vector<Upload> uploads;
  for (int i = 0; i < 8; ++i) {
    std::string body = RandomBytes(1000 + i * 777, i);
    uploads.push_back({h.Upload("d", "two", "k" + std::to_string(i), body), body, 2});
  }
  // Bigger than one copy chunk, so the streamed copy runs several read/write rounds.
  std::string big = RandomBytes(5 * 1024 * 1024 + 17, 99);
  uploads.push_back({h.Upload("d2", "three", "big", big), big, 3});

  for (const auto& u : uploads) {
    EXPECT_TRUE(
        WaitUntil([&] { return h.HasCopies(u.fid, u.body, u.copies); }, std::chrono::seconds(60)))
        << "fid " << u.fid << " on " << h.FileOn(u.fid).size() << " devices";
    // devcount follows file_on right after each copy.
    EXPECT_TRUE(WaitUntil(
        [&] {
          return h.Value("SELECT devcount FROM file WHERE fid=" + std::to_string(u.fid)) ==
                 std::to_string(u.copies);
        },
        std::chrono::seconds(10)));
  }
  EXPECT_TRUE(WaitUntil([&] { return h.Value("SELECT COUNT(*) FROM file_to_replicate") == "0"; },
                        std::chrono::seconds(20)));
  // The MD5 class had no checksum at upload; replication stored the streamed one.
  std::string md5 = tracker::DigestHex(tracker::DigestAlg::kMd5, big);
  for (auto& c : md5) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(
      h.Value("SELECT HEX(checksum) FROM checksum WHERE fid=" + std::to_string(uploads.back().fid)),
      md5);
  EXPECT_EQ(
      h.Value("SELECT hashtype FROM checksum WHERE fid=" + std::to_string(uploads.back().fid)),
      "1");
}

TEST(WorkersReplicateTest, KilledNodeMarkedDeadFilesRegainMindevcountFromSurvivors) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "two", 2);
  h.StartWorkers();
  std::vector<std::pair<Fid, std::string>> files;
  for (int i = 0; i < 24; ++i) {
    std::string body = RandomBytes(500 + i * 311, 1000 + i);
    files.emplace_back(h.Upload("d", "two", "f" + std::to_string(i), body), body);
  }
  for (const auto& [fid, body] : files) {
    ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 2); }, std::chrono::seconds(60)))
        << fid;
  }
  auto& victim = h.cluster().nodes()[0];
  const DevId dead_dev = victim.devids.at(0);
  size_t affected = 0;
  for (const auto& [fid, body] : files) {
    auto on = h.FileOn(fid);
    affected += std::count(on.begin(), on.end(), dead_dev);
  }
  ASSERT_GT(affected, 0u);
  victim.process->Signal(SIGKILL);
  auto r = h.cluster().Call(
      "set_state",
      {{"host", victim.hostname}, {"device", std::to_string(dead_dev)}, {"state", "dead"}});
  ASSERT_TRUE(r.ok) << r.errcode << " " << r.errstr;

  for (const auto& [fid, body] : files) {
    EXPECT_TRUE(WaitUntil(
        [&] {
          auto on = h.FileOn(fid);
          return std::count(on.begin(), on.end(), dead_dev) == 0 && h.HasCopies(fid, body, 2);
        },
        std::chrono::seconds(60)))
        << "fid " << fid;
  }
  EXPECT_EQ(h.Value("SELECT COUNT(*) FROM file_on WHERE devid=" + std::to_string(dead_dev)), "0");
}

// Over-replication: after mindevcount drops from 3 to 2, a queued fid loses one surplus copy
// (from disk and file_on) while the remaining two stay byte-exact on distinct hosts.
TEST(WorkersReplicateTest, OverReplicatedFidLosesSurplusCopy) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "c", 3);
  h.StartWorkers();
  const std::string body = RandomBytes(7000, 5);
  const Fid fid = h.Upload("d", "c", "k", body);
  ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 3); }, std::chrono::seconds(60)));
  std::vector<std::string> paths;
  for (DevId d : h.FileOn(fid)) paths.push_back(h.DiskPath(d, fid));

  auto r =
      h.cluster().Call("update_class", {{"domain", "d"}, {"class", "c"}, {"mindevcount", "2"}});
  ASSERT_TRUE(r.ok) << r.errcode << " " << r.errstr;
  ASSERT_TRUE(h.WaitState([&](const tracker::ClusterSnapshot& s) {
    const auto* dom = s.FindDomain("d");
    const auto* cls = dom ? s.FindClass(dom->row.dmid, "c") : nullptr;
    return cls && cls->row.mindevcount == 2;
  }));
  ASSERT_TRUE(h.store().EnqueueReplicate(fid, std::nullopt, tracker::NextTry::At(0)));
  // devcount is written after the surplus file_on row goes, so wait for both.
  const std::string devcount_sql = "SELECT devcount FROM file WHERE fid=" + std::to_string(fid);
  EXPECT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 2) && h.Value(devcount_sql) == "2"; },
                        std::chrono::seconds(30)));
  size_t on_disk = 0;
  for (const auto& p : paths) on_disk += FileExists(p) ? 1 : 0;
  EXPECT_EQ(on_disk, 2u);
  EXPECT_EQ(h.Value(devcount_sql), "2");
}

// The JobMaster's claim leaves rows due again within the lease, not ~1000 s later, so work
// claimed by a tracker that dies comes back quickly.
TEST(WorkersReplicateTest, ClaimedRowsComeBackWithinTheLease) {
  WorkerHarness h(1);
  for (Fid fid : {101u, 102u, 103u}) {
    ASSERT_TRUE(h.store().EnqueueReplicate(fid, std::nullopt, tracker::NextTry::At(0)));
  }
  tracker::WorkerOptions o = h.options();
  o.claim_lease = std::chrono::seconds(20);
  tracker::JobMaster jm(h.factory(), h.state(), o);
  ASSERT_TRUE(jm.RunRound(h.store()));
  EXPECT_EQ(jm.replicate_queue().size(), 3u);
  const int64_t ahead =
      std::stoll(h.Value("SELECT MAX(nexttry) - UNIX_TIMESTAMP() FROM file_to_replicate"));
  EXPECT_GE(ahead, 15);
  EXPECT_LE(ahead, 21);  // not the upstream 1000 s
  // Nothing else is due, so a second round claims nothing.
  EXPECT_FALSE(jm.RunRound(h.store()));
  EXPECT_EQ(jm.replicate_queue().size(), 3u);
}

}  // namespace
}  // namespace mog::test
