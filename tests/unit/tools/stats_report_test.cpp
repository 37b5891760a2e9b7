#include "tools/cli/stats_report.h"

#include <gtest/gtest.h>

namespace mog::cli {
namespace {

TEST(StatsReportTest, QueueStatusNames) {
  EXPECT_EQ(QueueStatus(0, 100, "newfile"), "newfile");
  EXPECT_EQ(QueueStatus(1, 100, "new"), "redo");
  EXPECT_EQ(QueueStatus(7, 100, "new"), "unknown");
  EXPECT_EQ(QueueStatus(kEndOfTime, 5000, "new"), "manual");
  EXPECT_EQ(QueueStatus(2000, 5000, "new"), "overdue");
  EXPECT_EQ(QueueStatus(9000, 5000, "new"), "deferred");
}

TEST(StatsReportTest, SectionsInUpstreamLayout) {
  StatsData data;
  data.devices[2] = {"stor1", "alive", "10"};
  data.max_fid = "42";
  data.files["testdom"]["default"] = {"3", 3 * 1048576 + 5, 6 * 1048576 + 10};
  data.replication["testdom"]["default"][2] = "3";
  data.to_replicate["newfile"] = 1;
  EXPECT_EQ(FormatStats({"devices", "fids", "files", "replication", "replication-queue"}, data),
            "\nStatistics for devices...\n"
            "  device     host                   files     status\n"
            "  ---------- ---------------- ------------ ----------\n"
            "  dev2       stor1              10      alive\n"
            "  ---------- ---------------- ------------ ----------\n"
            "\nStatistics for file ids...\n"
            "  Max file id: 42\n"
            "\nStatistics for files...\n"
            "  domain               class           files    size (m)  fullsize (m)\n"
            "  -------------------- ----------- ---------- ----------- -------------\n"
            "  testdom              default             3           3             6\n"
            "  -------------------- ----------- ---------- ----------- -------------\n"
            "\nStatistics for replication...\n"
            "  domain               class        devcount      files\n"
            "  -------------------- ----------- ---------- ----------\n"
            "  testdom              default             2          3\n"
            "  -------------------- ----------- ---------- ----------\n"
            "\nStatistics for replication queue...\n"
            "  status                      count\n"
            "  -------------------- ------------\n"
            "  newfile                         1\n"
            "  -------------------- ------------\n"
            "\ndone\n");
}

TEST(StatsReportTest, DomainsOnlyWithoutFilesAndEmptyFids) {
  StatsData data;
  data.domains["d"]["c"] = "4";
  EXPECT_EQ(FormatStats({"domains", "fids"}, data),
            "\nStatistics for file ids...\n"
            "  Max file id: none\n"
            "\nStatistics for domains...\n"
            "  domain               class           files\n"
            "  -------------------- ----------- ----------\n"
            "  d                    c                   4\n"
            "  -------------------- ----------- ----------\n"
            "\ndone\n");
  EXPECT_EQ(FormatStats({"domains", "all"}, data).find("Statistics for domains"),
            std::string::npos);
}

TEST(StatsReportTest, UsageListsValidStats) {
  const std::string usage = MogstatsUsage("Invalid stat x");
  EXPECT_EQ(usage.substr(0, 30), "ERROR: Invalid stat x\n\nUsage:\n");
  EXPECT_NE(usage.find("mogilefs.conf]\n\nvalid stats: all, delete-queue, devices, domains, fids, files, "
                       "general-queues, replication, replication-queue\n"),
            std::string::npos);
  EXPECT_NE(usage.find("/etc/mogilefs/mogilefs.conf, ~/.mogilefs.conf, --config=<file>"),
            std::string::npos);
}

}  // namespace
}  // namespace mog::cli
