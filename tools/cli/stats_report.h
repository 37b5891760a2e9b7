// mogstats' report: statistics read from the metadata database, laid out as MogileFS-Utils
// 2.30 prints them. The queries live in mogstats.cpp; this is the pure part.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace mog::cli {

inline constexpr int64_t kEndOfTime = 2147483647;

struct DeviceStat {
  std::string host, status, files;
};
struct FileStat {
  std::string files;
  int64_t size = 0, fullsize = 0;  // bytes
};

struct StatsData {
  std::map<int64_t, DeviceStat> devices;
  std::optional<std::string> max_fid;
  std::map<std::string, std::map<std::string, FileStat>> files;          // domain, class
  std::map<std::string, std::map<std::string, std::string>> domains;     // domain, class -> n
  std::map<std::string, std::map<std::string, std::map<int64_t, std::string>>> replication;
  std::map<std::string, int64_t> to_replicate, to_delete;
  std::map<std::string, std::map<std::string, int64_t>> queues;          // queue, status
};

// The valid --stats names; `all` selects every section except `domains`.
const std::set<std::string>& ValidStats();

// Names a queue row by its nexttry: new/newfile (0), redo (1), unknown (<1000), manual
// (end of time), overdue (before `now`), deferred.
std::string QueueStatus(int64_t nexttry, int64_t now, const std::string& zero_name);

// Every selected section followed by "\ndone\n" (the "Fetching statistics..." line is printed
// before the database is read).
std::string FormatStats(const std::set<std::string>& wanted, const StatsData& data);

std::string MogstatsUsage(const std::string& error);

}  // namespace mog::cli
