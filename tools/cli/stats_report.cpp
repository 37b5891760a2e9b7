#include "tools/cli/stats_report.h"

#include "tools/cli/sprintf.h"

namespace mog::cli {

const std::set<std::string>& ValidStats() {
  static const std::set<std::string> valid = {"all",   "delete-queue", "devices",
                                              "domains", "fids",       "files",
                                              "general-queues", "replication",
                                              "replication-queue"};
  return valid;
}

std::string QueueStatus(int64_t nexttry, int64_t now, const std::string& zero_name) {
  if (nexttry < 1000) {
    if (nexttry == 0) return zero_name;
    if (nexttry == 1) return "redo";
    return "unknown";
  }
  if (nexttry == kEndOfTime) return "manual";
  return nexttry < now ? "overdue" : "deferred";
}

std::string FormatStats(const std::set<std::string>& wanted, const StatsData& data) {
  auto want = [&](const char* name) { return wanted.count(name) || wanted.count("all"); };
  std::string out;
  if (want("devices")) {
    out += "\nStatistics for devices...\n";
    out += Sprintf("  %-10s %-15s %12s %10s\n", "device", "host", "files", "status");
    out += "  ---------- ---------------- ------------ ----------\n";
    for (const auto& [devid, d] : data.devices) {
      out += Sprintf("  %-10s %-10s %10s %10s\n", ("dev" + std::to_string(devid)).c_str(),
                     d.host.c_str(), d.files.c_str(), d.status.c_str());
    }
    out += "  ---------- ---------------- ------------ ----------\n";
  }
  if (want("fids")) {
    out += "\nStatistics for file ids...\n";
    const std::string max =
        data.max_fid && !data.max_fid->empty() && *data.max_fid != "0" ? *data.max_fid : "none";
    out += Sprintf("  Max file id: %s\n", max.c_str());
  }
  if (want("files")) {
    out += "\nStatistics for files...\n";
    out += Sprintf("  %-20s %-10s %10s %11s %13s\n", "domain", "class", "files", "size (m)",
                   "fullsize (m)");
    out += "  -------------------- ----------- ---------- ----------- -------------\n";
    for (const auto& [domain, classes] : data.files) {
      for (const auto& [klass, s] : classes) {
        out += Sprintf("  %-20s %-10s %10s %11s %13s\n", domain.c_str(), klass.c_str(),
                       s.files.c_str(), std::to_string(s.size / 1024 / 1024).c_str(),
                       std::to_string(s.fullsize / 1024 / 1024).c_str());
      }
    }
    out += "  -------------------- ----------- ---------- ----------- -------------\n";
  }
  if (wanted.count("domains") && !(wanted.count("files") || wanted.count("all"))) {
    out += "\nStatistics for domains...\n";
    out += Sprintf("  %-20s %-10s %10s\n", "domain", "class", "files");
    out += "  -------------------- ----------- ----------\n";
    for (const auto& [domain, classes] : data.domains) {
      for (const auto& [klass, files] : classes) {
        out += Sprintf("  %-20s %-10s %10s\n", domain.c_str(), klass.c_str(), files.c_str());
      }
    }
    out += "  -------------------- ----------- ----------\n";
  }
  if (want("replication")) {
    out += "\nStatistics for replication...\n";
    out += Sprintf("  %-20s %-10s %10s %10s\n", "domain", "class", "devcount", "files");
    out += "  -------------------- ----------- ---------- ----------\n";
    for (const auto& [domain, classes] : data.replication) {
      for (const auto& [klass, counts] : classes) {
        for (const auto& [devcount, files] : counts) {
          out += Sprintf("  %-20s %-10s %10s %10s\n", domain.c_str(), klass.c_str(),
                         std::to_string(devcount).c_str(), files.c_str());
        }
      }
    }
    out += "  -------------------- ----------- ---------- ----------\n";
  }
  auto queue_section = [&](const char* title, const std::map<std::string, int64_t>& rows) {
    out += std::string("\nStatistics for ") + title + "...\n";
    out += Sprintf("  %-20s %12s\n", "status", "count");
    out += "  -------------------- ------------\n";
    for (const auto& [status, count] : rows) {
      out += Sprintf("  %-20s %12s\n", status.c_str(), std::to_string(count).c_str());
    }
    out += "  -------------------- ------------\n";
  };
  if (want("replication-queue")) queue_section("replication queue", data.to_replicate);
  if (want("delete-queue")) queue_section("delete queue", data.to_delete);
  if (want("general-queues")) {
    out += "\nStatistics for general queues...\n";
    out += Sprintf("  %-15s %-20s %12s\n", "queue", "status", "count");
    out += "  --------------- -------------------- ------------\n";
    for (const auto& [queue, statuses] : data.queues) {
      for (const auto& [status, count] : statuses) {
        out += Sprintf("  %-15s %-20s %12s\n", queue.c_str(), status.c_str(),
                       std::to_string(count).c_str());
      }
    }
    out += "  --------------- -------------------- ------------\n";
  }
  return out + "\ndone\n";
}

std::string MogstatsUsage(const std::string& error) {
  std::string out;
  if (!error.empty()) out += "ERROR: " + error + "\n\n";
  out +=
      "Usage:\n"
      "    mogstats --db_dsn=\"DBI:mysql:mfs:host=mfshost\" --db_user=\"mfs\" \n"
      "             --db_pass=\"mfs\" --verbose --stats=\"devices,files\"\n"
      "    mogstats --stats=\"all\"\n"
      "    mogstats [all options in ~/.mogilefs.conf]\n"
      "\n";
  out += "valid stats: ";
  bool first = true;
  for (const auto& name : ValidStats()) {
    out += (first ? "" : ", ") + name;
    first = false;
  }
  return out +
         "\n"
         "Options may also come from config files (db_dsn = ..., db_user = ..., db_pass = ...,\n"
         "stats = ...): /etc/mogilefs/mogilefs.conf, ~/.mogilefs.conf, --config=<file> (the first\n"
         "file that sets a key wins; the command line wins over every file).\n";
}

}  // namespace mog::cli
