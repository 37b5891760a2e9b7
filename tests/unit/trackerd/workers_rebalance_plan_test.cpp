// The pure rules of a rebalance run: rebal_state text both ways (ours and upstream's leftovers),
// limits (count, size, global), source device order, destination picking and what a source
// device returns to.
#include <gtest/gtest.h>

#include "trackerd/query/rebalance_policy.h"
#include "trackerd/workers/rebalance_planner.h"
#include "trackerd/workers/rebalance_state.h"

namespace mog::tracker {
namespace {

class FixedRandom : public RandomSource {
 public:
  explicit FixedRandom(double v) : v_(v) {}
  double NextUnit() override { return v_; }

 private:
  double v_;
};

RebalancePolicy Policy(const std::string& text) {
  auto p = ParseRebalancePolicy(text);
  EXPECT_TRUE(p) << text << ": " << (p ? "" : p.error().message());
  return p ? *p : RebalancePolicy{};
}

TEST(RebalanceStateTest, WritesTheFourteenUpstreamKeysInOrder) {
  RebalanceState s;
  s.completed_devs = {4};
  s.source_devs = {5, 6};
  s.sdev_current = 3;
  s.sdev_lastfid = 77;
  s.sdev_limit = 2;
  s.fids_queued = 9;
  s.bytes_queued = 9000;
  s.time_started = 1700000000;
  EXPECT_EQ(FormatRebalanceState(s),
            "completed_devs=4 source_devs=5,6 sdev_current=3 sdev_lastfid=77 sdev_limit=2 "
            "limit=0 fids_queued=9 bytes_queued=9000 time_started=1700000000 time_finished=0 "
            "time_stopped=0 time_latest_run=0 time_latest_empty_run=0 empty_runs=0");
  const RebalanceState back = ParseRebalanceState(FormatRebalanceState(s));
  EXPECT_EQ(FormatRebalanceState(back), FormatRebalanceState(s));
}

TEST(RebalanceStateTest, ReadsUpstreamsPerlLeftovers) {
  // Upstream writes hash order, an empty list as "key=", a list that had an undef member as
  // ",3", sdev_limit "none" (or empty for a global limit), and drops the sdev_* keys of a
  // finished device.
  const RebalanceState s = ParseRebalanceState(
      "time_stopped=0 completed_devs=,3 sdev_limit=none source_devs= fids_queued=12 "
      "bytes_queued=345 time_started=1700000001 empty_runs=2 limit=");
  EXPECT_EQ(s.completed_devs, (std::vector<DevId>{3}));
  EXPECT_TRUE(s.source_devs.empty());
  EXPECT_EQ(s.sdev_current, 0u);
  EXPECT_EQ(s.sdev_limit, 0);
  EXPECT_EQ(s.limit, 0);
  EXPECT_EQ(s.fids_queued, 12u);
  EXPECT_EQ(s.bytes_queued, 345u);
  EXPECT_EQ(s.time_started, 1700000001);
  EXPECT_EQ(s.empty_runs, 2);
  // Unknown keys and odd spacing do not break reading.
  const RebalanceState t = ParseRebalanceState("  sdev_current=7   colour=red source_devs=8 ");
  EXPECT_EQ(t.sdev_current, 7u);
  EXPECT_EQ(t.source_devs, (std::vector<DevId>{8}));
}

TEST(RebalancePolicyValuesTest, HumanSizesAreBytes) {
  EXPECT_EQ(HumanToBytes("100"), 100);
  EXPECT_EQ(HumanToBytes("100b"), 100);
  EXPECT_EQ(HumanToBytes("2k"), 2048);
  EXPECT_EQ(HumanToBytes("3M"), 3 * 1024 * 1024);
  EXPECT_EQ(HumanToBytes("1g"), int64_t{1} << 30);
  EXPECT_EQ(HumanToBytes("1p"), int64_t{1} << 50);
  EXPECT_FALSE(HumanToBytes(""));
  EXPECT_FALSE(HumanToBytes("k"));
  EXPECT_FALSE(HumanToBytes("10kb"));
  EXPECT_FALSE(HumanToBytes("10x"));
  EXPECT_FALSE(HumanToBytes("1.5g"));
}

TEST(RebalancePolicyValuesTest, ValuesUpstreamOnlyChokesOnLaterAreRefusedUpFront) {
  EXPECT_FALSE(ParseRebalancePolicy("limit_by=size limit=lots"));
  EXPECT_FALSE(ParseRebalancePolicy("limit_by=bananas"));
  EXPECT_FALSE(ParseRebalancePolicy("limit_type=cluster"));
  EXPECT_FALSE(ParseRebalancePolicy("fid_age=middle"));
  EXPECT_FALSE(ParseRebalancePolicy("use_dest_devs=some"));
  EXPECT_TRUE(ParseRebalancePolicy("limit_by=size limit=10g use_dest_devs=2 fid_age=new"));
  // A list key without a value is upstream's [undef]: it matches no device id.
  const RebalancePolicy p = Policy("from_devices=");
  EXPECT_EQ(p.Ids("from_devices"), (std::vector<int64_t>{0}));
}

TEST(RebalancePlannerTest, SourcesAreTakenInOrderAndCompleted) {
  const RebalancePolicy p = Policy("from_devices=3,5");
  RebalanceState s;
  s.source_devs = {3, 5};
  RebalancePlanner planner(p, s);
  bool started = false;
  EXPECT_EQ(planner.CurrentSource(&started), 3u);
  EXPECT_TRUE(started);
  EXPECT_EQ(s.source_devs, (std::vector<DevId>{5}));
  s.sdev_lastfid = 40;
  EXPECT_EQ(planner.CurrentSource(&started), 3u);
  EXPECT_FALSE(started);  // resumed, not restarted
  EXPECT_EQ(s.sdev_lastfid, 40u);
  // Sources, completed and current devices never receive files.
  EXPECT_EQ(planner.DestinationExclusions(), (std::vector<DevId>{5, 3}));
  EXPECT_EQ(planner.FinishSource(), 3u);
  EXPECT_EQ(s.completed_devs, (std::vector<DevId>{3}));
  EXPECT_EQ(s.sdev_current, 0u);
  EXPECT_EQ(s.sdev_lastfid, 0u);
  EXPECT_EQ(planner.CurrentSource(&started), 5u);
  EXPECT_TRUE(started);
  planner.FinishSource();
  EXPECT_FALSE(planner.CurrentSource(&started));
  EXPECT_EQ(s.completed_devs, (std::vector<DevId>{3, 5}));
}

TEST(RebalancePlannerTest, CountLimitPerDeviceLetsExactlyThatManyThrough) {
  const RebalancePolicy p = Policy("limit_by=count limit=2");
  RebalanceState s;
  s.source_devs = {1, 2};
  RebalancePlanner planner(p, s);
  bool started = false;
  planner.CurrentSource(&started);
  EXPECT_EQ(s.sdev_limit, 2);
  EXPECT_TRUE(planner.HasBudget());
  EXPECT_TRUE(planner.Charge(10));
  EXPECT_TRUE(planner.Charge(10));
  // Upstream's post-decrement would say 0 here, then -1 (true) for the next fid.
  EXPECT_FALSE(planner.Charge(10));
  EXPECT_FALSE(planner.Charge(10));
  EXPECT_FALSE(planner.HasBudget());
  planner.FinishSource();
  planner.CurrentSource(&started);  // the next device has its own budget
  EXPECT_TRUE(planner.HasBudget());
  EXPECT_TRUE(planner.Charge(10));
}

TEST(RebalancePlannerTest, GlobalLimitStartsFromThePolicyAndSpansDevices) {
  const RebalancePolicy p = Policy("limit_type=global limit_by=count limit=3");
  RebalanceState s;  // as upstream's rebalance_start writes it: limit=0
  s.source_devs = {1, 2};
  RebalancePlanner planner(p, s);
  EXPECT_EQ(s.limit, 3);
  bool started = false;
  planner.CurrentSource(&started);
  EXPECT_TRUE(planner.Charge(1));
  planner.NoteQueued(1);
  EXPECT_TRUE(planner.Charge(1));
  planner.NoteQueued(1);
  planner.FinishSource();
  planner.CurrentSource(&started);
  EXPECT_TRUE(planner.Charge(1));
  planner.NoteQueued(1);
  EXPECT_FALSE(planner.Charge(1));
  EXPECT_FALSE(planner.HasBudget());
  // A later round (new planner on the saved state) does not refill a spent global budget.
  RebalancePlanner again(p, s);
  EXPECT_EQ(s.limit, 0);
  EXPECT_FALSE(again.HasBudget());
}

TEST(RebalancePlannerTest, SizeLimitSkipsWhatDoesNotFitAndStopsUnderOneKiB) {
  const RebalancePolicy p = Policy("limit_by=size limit=3k");
  RebalanceState s;
  s.source_devs = {1};
  RebalancePlanner planner(p, s);
  bool started = false;
  planner.CurrentSource(&started);
  EXPECT_EQ(s.sdev_limit, 3072);
  EXPECT_TRUE(planner.Charge(2000));
  EXPECT_FALSE(planner.Charge(2000));  // does not fit: skipped, budget unchanged
  EXPECT_EQ(s.sdev_limit, 1072);
  EXPECT_TRUE(planner.HasBudget());
  EXPECT_TRUE(planner.Charge(100));
  EXPECT_FALSE(planner.HasBudget());  // 972 bytes left: under 1 KiB
}

TEST(RebalancePlannerTest, NoLimitChargesNothing) {
  const RebalancePolicy p = Policy("from_devices=1");
  RebalanceState s;
  s.source_devs = {1};
  RebalancePlanner planner(p, s);
  bool started = false;
  planner.CurrentSource(&started);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(planner.Charge(1 << 30));
  EXPECT_TRUE(planner.HasBudget());
}

TEST(RebalancePlannerTest, DestinationsAreShuffledAndCutToUseDestDevs) {
  RebalanceState s;
  FixedRandom zero(0.0);
  const RebalancePolicy all = Policy("");
  RebalancePlanner everyone(all, s);
  auto picked = everyone.PickDestinations({1, 2, 3, 4}, zero);
  std::sort(picked.begin(), picked.end());
  EXPECT_EQ(picked, (std::vector<DevId>{1, 2, 3, 4}));
  const RebalancePolicy two = Policy("use_dest_devs=2");
  RebalancePlanner some(two, s);
  EXPECT_EQ(some.PickDestinations({1, 2, 3, 4}, zero).size(), 2u);
  EXPECT_EQ(some.PickDestinations({7}, zero), (std::vector<DevId>{7}));
}

TEST(RebalancePlannerTest, RoundsCountEmptyRuns) {
  RebalanceState s;
  const RebalancePolicy p = Policy("fid_age=new");
  RebalancePlanner planner(p, s);
  EXPECT_TRUE(planner.descending());
  planner.NoteRound(100, 0);
  planner.NoteRound(101, 3);
  EXPECT_EQ(s.time_latest_run, 101);
  EXPECT_EQ(s.time_latest_empty_run, 100);
  EXPECT_EQ(s.empty_runs, 1);
}

TEST(RebalancePlannerTest, SourceGoesBackToAliveUnlessTheOperatorDrainedItOrAskedToLeaveIt) {
  EXPECT_EQ(StatusAfterRebalance(3, false, {}), "alive");
  EXPECT_EQ(StatusAfterRebalance(3, false, {5}), "alive");
  EXPECT_FALSE(StatusAfterRebalance(3, false, {5, 3}));
  EXPECT_FALSE(StatusAfterRebalance(3, true, {}));
}

TEST(RebalanceInitialStateTest, GlobalLimitIsInitialised) {
  const std::string state =
      InitialRebalanceState(Policy("limit_type=global limit_by=size limit=2k"), {1, 4}, 50);
  EXPECT_NE(state.find(" limit=2048 "), std::string::npos) << state;
  EXPECT_NE(state.find("source_devs=1,4 "), std::string::npos) << state;
  EXPECT_NE(state.find("time_started=50 "), std::string::npos) << state;
}

}  // namespace
}  // namespace mog::tracker
