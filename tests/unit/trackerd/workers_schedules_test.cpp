#include <gtest/gtest.h>

#include "trackerd/workers/schedules.h"

namespace mog::tracker {
namespace {

TEST(WorkersSchedulesTest, ReplicateBackoffFollowsUpstreamTableThenOneDay) {
  const int64_t expected[] = {15, 60, 300, 1800, 3600, 7200, 14400, 28800, 86400, 86400};
  for (int fc = 0; fc < 10; ++fc) EXPECT_EQ(ReplicateBackoffSeconds(fc), expected[fc]) << fc;
  EXPECT_EQ(ReplicateBackoffSeconds(-3), 15);
  EXPECT_EQ(ReplicateBackoffSeconds(1000), 86400);
}

TEST(WorkersSchedulesTest, JitterStaysWithinTwentyPercentAndScales) {
  EXPECT_EQ(JitteredDelay(15, 0.8), 12);
  EXPECT_EQ(JitteredDelay(15, 1.2), 18);
  EXPECT_EQ(JitteredDelay(300, 1.0, 0.01), 3);
  EXPECT_EQ(JitteredDelay(15, 0.8, 0.001), 1);  // never 0: a due-now row would spin
}

TEST(WorkersSchedulesTest, DeleteRetryDelaysPerReason) {
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kNotWriteable, 0), 600);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kNotWriteable, 2), 720);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kNotDeletable, 0), 3600);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kNotDeletable, 1), 7200);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kHttpFailed, 0), 1800);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kHttpFailed, 3), 7200);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kUnknownDevice, 0), 3600);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kNotWriteable, 0, 0.005), 3);
  EXPECT_EQ(DeleteRetrySeconds(DeleteRetry::kHttpFailed, 0, 0.0001), 1);
}

TEST(WorkersSchedulesTest, BatchGrowsWhileQueueDrainsAndResetsWhenNothingFound) {
  BatchSizer b;
  EXPECT_EQ(b.WantFetch(0, 500), 100);
  b.Found(true);
  EXPECT_EQ(b.WantFetch(0, 500), 150);
  b.Found(true);
  EXPECT_EQ(b.WantFetch(140, 500), 0);    // 140 of 200: over 70 %
  EXPECT_EQ(b.WantFetch(139, 500), 200);  // under 70 %
  for (int i = 0; i < 20; ++i) b.WantFetch(0, 500);
  EXPECT_EQ(b.batch(), 500);  // capped at internal_queue_limit
  b.Found(false);
  EXPECT_EQ(b.batch(), 100);
  EXPECT_EQ(b.WantFetch(0, 30), 30);  // a small internal_queue_limit caps the claim
}

TEST(WorkersSchedulesTest, ReaperPacesFiveSecondsWhileFindingThenDoublesAndGivesUp) {
  ReaperBackoff r;
  EXPECT_EQ(r.Next(true), 5);
  EXPECT_EQ(r.Next(false), 60);
  EXPECT_EQ(r.Next(false), 120);
  EXPECT_EQ(r.Next(true), 5);  // found again: back to the fast pace
  EXPECT_EQ(r.Next(false), 60);
  EXPECT_EQ(r.Next(false), 120);
  EXPECT_EQ(r.Next(false), 240);
  EXPECT_EQ(r.Next(false), 480);
  EXPECT_EQ(r.Next(false), 960);
  EXPECT_EQ(r.Next(false), 1920);
  EXPECT_EQ(r.Next(false), 3840);
  EXPECT_EQ(r.Next(false), std::nullopt);  // 7680 s > 7200 s
}

}  // namespace
}  // namespace mog::tracker
