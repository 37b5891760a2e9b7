// The JobMaster's claim of replication work and the short lease on it: a tracker SIGKILLed
// while it works off a claimed backlog must not leave any of it parked for upstream's ~1000 s.
// Found by this test: the claim used to commit rows at DB now + 1000 s and only then re-date
// them to the lease one by one, so a kill in between parked them (2 of 7 early runs: 27 and
// 29 rows at exactly claim + 1000 s); the claim now writes the lease in its own transaction.
// The backlog (built while two of three nodes are down) comes due as the nodes return, and
// the tracker is killed as soon as replication is under way.
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/integration/chaos/chaos_cluster.h"
#include "tests/integration/chaos/upload_load.h"

namespace mog::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Rows dated like a fresh claim (DB now + 1000 s) rather than a lease (30 s) or a backoff.
// (A backoff after 1 or 2 failures is at most 72 s or 360 s; only a claim dates them further.)
constexpr const char* kClaimedFarAhead =
    "failcount BETWEEN 1 AND 2 AND nexttry > UNIX_TIMESTAMP() + 500 AND nexttry < 2147483647";

TEST(ChaosClaimWindowTest, TrackerKilledRightAfterAClaimLeavesNothingParkedForLong) {
  ChaosCluster chaos;
  LocalCluster& cluster = chaos.cluster();
  struct DumpLogsOnFailure {
    LocalCluster& c;
    ~DumpLogsOnFailure() {
      if (::testing::Test::HasFailure()) std::cerr << c.Logs();
    }
  } dump{cluster};

  // A backlog: uploads land on node1 only; their replication fails and backs off.
  cluster.KillNode(1);
  cluster.KillNode(2);
  Uploader uploader(chaos.TrackerAddress(), kChaosDomain, /*seed=*/7);
  std::map<std::string, AckedFile> acked;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "backlog-" + std::to_string(i);
    auto file = uploader.UploadUntilAcked(key, "two", seconds(10));
    ASSERT_TRUE(file.has_value()) << key << ": " << uploader.last_error();
    acked[key] = *file;
  }
  ASSERT_TRUE(WaitUntil(
      [&] {
        std::this_thread::sleep_for(milliseconds(100));
        return chaos.CountReplicationRows("failcount > 0") >= 200 &&
               chaos.CountReplicationRows("nexttry <= UNIX_TIMESTAMP()") == 0;
      },
      seconds(30)))
      << "the backlog never backed off";

  // The nodes return: the backlog comes due (at once if the Monitor saw them go, else as each
  // row's backoff ends) and is claimed in batches. Kill the tracker as soon as it is under way.
  const int64_t backlog = chaos.CountReplicationRows("1=1");
  cluster.RestartNode(1);
  cluster.RestartNode(2);
  const bool under_way = WaitUntil(
      [&] {
        const int64_t left = chaos.CountReplicationRows("1=1");
        return (left >= 0 && left < backlog) || chaos.CountReplicationRows(kClaimedFarAhead) > 0;
      },
      seconds(30));
  cluster.KillTracker();
  const int64_t parked = chaos.CountReplicationRows(kClaimedFarAhead);
  std::cout << "[chaos] tracker killed " << (under_way ? "while" : "before") << " replicating a "
            << backlog << "-row backlog; " << chaos.CountReplicationRows("1=1") << " rows left, "
            << parked << " dated ~1000 s ahead" << std::endl;
  cluster.RestartTracker();
  const Clock::time_point restarted = Clock::now();
  // Give the restarted tracker a moment: anything that would bring parked rows back (a lease
  // that replaced the claim date, a start-up sweep) shows here.
  std::this_thread::sleep_for(seconds(5));
  const int64_t still_parked = chaos.CountReplicationRows(kClaimedFarAhead);
  std::cout << "[chaos] 5 s after the restart " << still_parked << " rows are still parked"
            << std::endl;
  EXPECT_EQ(still_parked, 0) << "replication rows claimed by the killed tracker stay parked "
                                "~1000 s instead of the claim lease";

  std::set<std::string> pending;
  for (const auto& [key, file] : acked) pending.insert(key);
  std::map<std::string, std::string> problems;
  while (true) {
    problems = chaos.CheckFiles(acked, pending);
    pending.clear();
    for (const auto& [key, why] : problems) pending.insert(key);
    if (problems.empty() || Clock::now() - restarted > seconds(60)) break;
    std::this_thread::sleep_for(milliseconds(500));
  }
  std::cout << "[chaos] backlog at mindevcount "
            << std::chrono::duration<double>(Clock::now() - restarted).count()
            << " s after the tracker restart" << std::endl;
  ASSERT_TRUE(problems.empty()) << problems.size() << " files not at mindevcount 60 s after "
                                << "the restart, e.g. " << problems.begin()->first << ": "
                                << problems.begin()->second << " ["
                                << chaos.ReplicationRowOf(problems.begin()->second) << "]";
}

}  // namespace
}  // namespace mog::test
