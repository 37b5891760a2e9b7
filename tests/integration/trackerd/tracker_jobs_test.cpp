// Upstream's job control on a real mogilefsd (its own workers, a private MariaDB, two
// mogstored): `!jobs` lists every job class with count / desired / pids, `!want` makes the
// count follow, `!to <job> :shutdown` restarts that job's workers with upstream's watch line,
// `:wake_up` reaches them, and the JobMaster-fed workers stop and start with the JobMaster.
// Upstream's t/00-startup.t, t/60-fsck.t and t/80-job_master.t drive the same commands.
#include <iterator>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/cluster.h"
#include "tests/support/net.h"

namespace mog::test {
namespace {

using namespace std::chrono_literals;

class TrackerJobsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new LocalCluster(LocalClusterOptions{}); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    admin_ = Connect();
    // The workers start after the Monitor's first round: wait until every class runs.
    ASSERT_TRUE(WaitUntil(
        [&] {
          auto jobs = Jobs();
          for (const char* job : {"job_master", "replicate", "delete", "fsck", "reaper"}) {
            if (jobs[std::string(job) + " count"] != "1") return false;
          }
          return true;
        },
        30s));
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->Logs() << "\n";
  }

  static std::unique_ptr<TcpClient> Connect() {
    auto c = std::make_unique<TcpClient>(cluster_->tracker_ip(), cluster_->tracker_port(), 20s);
    EXPECT_TRUE(c->connected());
    return c;
  }
  std::string Admin(const std::string& line) {
    EXPECT_TRUE(admin_->Send(line + "\r\n"));
    return admin_->ReadUntil("\r\n.\r\n");
  }
  // "<job> count" -> "N" etc., as upstream's test helper parses `!jobs`; `order` gets the
  // job names in the order listed.
  std::map<std::string, std::string> Jobs(std::vector<std::string>* order = nullptr) {
    std::map<std::string, std::string> out;
    std::istringstream in(Admin("!jobs"));
    std::string line;
    static const std::regex kLine(R"(^(\w+) (count|desired|pids) ?(.*)\r?$)");
    while (std::getline(in, line)) {
      std::smatch m;
      if (line == ".\r" || line.empty()) continue;
      if (!std::regex_match(line, m, kLine)) {
        ADD_FAILURE() << "unparsable !jobs line: " << line;
        continue;
      }
      out[m[1].str() + " " + m[2].str()] = m[3].str();
      if (order && m[2] == "count") order->push_back(m[1]);
    }
    return out;
  }
  bool WaitCount(const std::string& job, int n) {
    return WaitUntil([&] { return Jobs()[job + " count"] == std::to_string(n); }, 30s);
  }
  void Want(int n, const std::string& job) {
    EXPECT_EQ(Admin("!want " + std::to_string(n) + " " + job),
              "Now desiring " + std::to_string(n) + " children doing '" + job + "'.\r\n.\r\n");
  }

  std::unique_ptr<TcpClient> admin_;
  static LocalCluster* cluster_;
};

LocalCluster* TrackerJobsTest::cluster_ = nullptr;

TEST_F(TrackerJobsTest, JobsListsEveryClassSortedWithCountDesiredAndThreadIds) {
  ASSERT_TRUE(WaitCount("job_master", 1));
  std::vector<std::string> order;
  auto jobs = Jobs(&order);
  EXPECT_EQ(order, (std::vector<std::string>{"delete", "fsck", "job_master", "monitor",
                                             "queryworker", "reaper", "replicate"}));
  for (const auto& job : order) {
    EXPECT_EQ(jobs[job + " count"], jobs[job + " desired"]) << job;
    EXPECT_FALSE(jobs[job + " pids"].empty()) << job;
  }
  // Each worker is a thread: its id is its "pid", and two workers never share one.
  std::set<std::string> ids;
  size_t listed = 0;
  for (const char* job : {"delete", "fsck", "job_master", "monitor", "reaper", "replicate"}) {
    std::istringstream pids(jobs[std::string(job) + " pids"]);
    for (std::string p; pids >> p; ++listed) ids.insert(p);
  }
  EXPECT_EQ(ids.size(), listed);
}

TEST_F(TrackerJobsTest, WantMakesTheCountFollowForEveryClass) {
  for (const char* job : {"fsck", "delete", "replicate", "reaper", "monitor", "queryworker"}) {
    Want(0, job);
    EXPECT_TRUE(WaitCount(job, 0)) << job;
  }
  EXPECT_EQ(Admin("!version"), "2.73\r\n.\r\n");  // the parent answers with no query worker
  for (const char* job : {"queryworker", "monitor", "reaper", "replicate", "delete", "fsck"}) {
    Want(1, job);
    EXPECT_TRUE(WaitCount(job, 1)) << job;
  }
  Want(3, "replicate");
  ASSERT_TRUE(WaitCount("replicate", 3));
  // A thread's id is listed once it runs.
  std::set<std::string> distinct;
  EXPECT_TRUE(WaitUntil(
      [&] {
        std::istringstream pids(Jobs()["replicate pids"]);
        distinct = {std::istream_iterator<std::string>(pids), {}};
        return distinct.size() == 3;
      },
      10s))
      << distinct.size();
  Want(1, "replicate");
  EXPECT_TRUE(WaitCount("replicate", 1));
  // A query still works after the query threads were all gone and came back.
  auto c = Connect();
  ASSERT_TRUE(c->Send("noop\r\n"));
  EXPECT_EQ(c->ReadLine(), "OK \r\n");
}

TEST_F(TrackerJobsTest, WorkersFedByTheJobMasterStopAndStartWithIt) {
  Want(0, "job_master");
  for (const char* job : {"job_master", "replicate", "delete", "fsck"}) {
    EXPECT_TRUE(WaitCount(job, 0)) << job;
  }
  auto jobs = Jobs();
  EXPECT_EQ(jobs["replicate desired"], "1");  // still wanted, waiting for a JobMaster
  EXPECT_EQ(jobs["reaper count"], "1");       // the reaper needs none
  Want(1, "job_master");
  for (const char* job : {"job_master", "replicate", "delete", "fsck"}) {
    EXPECT_TRUE(WaitCount(job, 1)) << job;
  }
}

TEST_F(TrackerJobsTest, ToShutdownRestartsTheJobAndSaysSoToWatchers) {
  ASSERT_TRUE(WaitCount("fsck", 1));
  const std::string before = Jobs()["fsck pids"];
  auto watcher = Connect();
  ASSERT_TRUE(watcher->Send("!watch\r\n"));
  ASSERT_EQ(watcher->ReadUntil("\r\n.\r\n"), "Added you to watcher list.\r\n.\r\n");

  EXPECT_EQ(Admin("!to fsck :shutdown"), "Message sent to 1 children.\r\n.\r\n");
  // What upstream's t/60-fsck.t waits for; bounded by the client's read timeout.
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    const std::string line = watcher->ReadLine();
    if (line.empty()) break;
    seen = line.find("Job fsck has only 0, wants 1, making 1.") != std::string::npos;
  }
  EXPECT_TRUE(seen);
  ASSERT_TRUE(WaitCount("fsck", 1));
  EXPECT_NE(Jobs()["fsck pids"], before) << "a new thread took over";

  EXPECT_EQ(Admin("!to fsck :wake_up"), "Message sent to 1 children.\r\n.\r\n");
  EXPECT_EQ(Admin("!to nosuchjob :wake_up"), "Message sent to 0 children.\r\n.\r\n");
  EXPECT_EQ(Admin("!to fsck"), "ERROR: usage: !to <jobclass> <message>\r\n.\r\n");
}

TEST_F(TrackerJobsTest, WatchLinesNameTheComponentAndThreadAsUpstreamDoes) {
  auto watcher = Connect();
  ASSERT_TRUE(watcher->Send("!watch\r\n"));
  ASSERT_EQ(watcher->ReadUntil("\r\n.\r\n"), "Added you to watcher list.\r\n.\r\n");
  EXPECT_EQ(Admin("!to job_master :shutdown"), "Message sent to 1 children.\r\n.\r\n");
  std::string line = watcher->ReadLine();
  EXPECT_TRUE(std::regex_search(line, std::regex(R"(^:: \[\w+\(\d+\)\] )"))) << line;
  ASSERT_TRUE(WaitCount("job_master", 1));
  ASSERT_TRUE(WaitCount("replicate", 1));
}

}  // namespace
}  // namespace mog::test
