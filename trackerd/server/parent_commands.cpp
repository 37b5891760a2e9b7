#include "trackerd/server/parent_commands.h"

#include <map>
#include <regex>
#include <sstream>
#include <vector>

#include "common/log/logging.h"
#include "trackerd/query/query_pool.h"
#include "trackerd/server/watch_hub.h"
#include "trackerd/workers/worker_db_errors.h"
#include "trackerd/workers/worker_set.h"
#include <unistd.h>

namespace mog::tracker {
namespace {

const std::vector<std::string> kJobs = {"queryworker", "delete",  "replicate", "reaper",
                                        "fsck",        "monitor", "job_master"};

constexpr const char* kHelp =
    "Mogilefsd admin commands:\n"
    "\n"
    "    !version    Server version\n"
    "    !recent     Recently executed queries and how long they took.\n"
    "    !queue      Queries that are pending execution.\n"
    "    !stats      General stats on what we're up to.\n"
    "    !watch      Observe errors/messages from children.\n"
    "    !jobs       Outstanding job counts, desired level, and pids.\n"
    "    !shutdown   Immediately kill all of mogilefsd.\n"
    "\n"
    "    !to <job class> <message>\n"
    "                Send <message> to all workers of <job class>.\n"
    "                Mostly used for debugging.\n"
    "\n"
    "    !want <count> <job class>\n"
    "                Alter the level of workers of this class desired.\n"
    "                Example: !want 20 queryworker, !want 3 replicate.\n"
    "                See !jobs for what jobs are available.\n"
    "\n";

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\r\n";
  return out + ".\r\n";
}

}  // namespace

ParentCommands::ParentCommands(QueryPool* pool, WatchHub* watch, WorkerSet* workers,
                               std::function<void()> shutdown, std::function<bool()> monitor_ready)
    : pool_(pool),
      watch_(watch),
      workers_(workers),
      shutdown_(std::move(shutdown)),
      monitor_ready_(std::move(monitor_ready)),
      started_(std::chrono::steady_clock::now()) {}

std::string ParentCommands::Stats() const {
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count();
  return Lines({"uptime " + std::to_string(uptime),
                "pending_queries " + std::to_string(pool_->pending()),
                "processing_queries " + std::to_string(pool_->processing()),
                "bored_queryworkers " + std::to_string(pool_->bored()),
                "queries " + std::to_string(pool_->queries()),
                "times_out_of_qworkers " + std::to_string(pool_->times_out_of_workers()),
                "worker_db_errors " + std::to_string(WorkerDbErrors())});
}

std::string ParentCommands::Jobs() const {
  // Upstream lists its job classes sorted by name, three lines each. Query workers are threads
  // of this process: they share its pid; the other workers list their thread ids.
  std::map<std::string, JobStatus> jobs;
  JobStatus q;
  q.name = "queryworker";
  q.count = static_cast<int>(pool_->live_workers());
  q.desired = pool_->desired();
  q.pids = {getpid()};
  jobs[q.name] = q;
  if (workers_) {
    for (const auto& name : workers_->JobNames()) {
      if (auto s = workers_->Status(name)) jobs[name] = *s;
    }
  }
  std::vector<std::string> out;
  for (const auto& [name, s] : jobs) {
    std::string pids;
    for (pid_t p : s.pids) pids += (pids.empty() ? "" : " ") + std::to_string(p);
    out.push_back(name + " count " + std::to_string(s.count));
    out.push_back(name + " desired " + std::to_string(s.desired));
    out.push_back(name + " pids " + pids);
  }
  return Lines(out);
}

std::string ParentCommands::To(const std::string& args) {
  static const std::regex re(R"(^(\S+)\s+(.+))");
  std::smatch m;
  if (!std::regex_search(args, m, re)) return Lines({"ERROR: usage: !to <jobclass> <message>"});
  const std::string job = m[1].str();
  const std::string message = m[2].str();
  int sent = 0;
  if (job == "queryworker") {
    // Query threads hold no state of their own to reset: every live one takes the message.
    sent = static_cast<int>(pool_->live_workers());
  } else if (workers_) {
    sent = workers_->Send(job, message);
  }
  return Lines({"Message sent to " + std::to_string(sent) + " children."});
}

std::string ParentCommands::Want(const std::string& args) {
  static const std::regex re(R"(^(\d+)\s+(\S+))");
  std::smatch m;
  if (!std::regex_search(args, m, re)) return Lines({"ERROR: usage: !want <count> <jobclass>"});
  long count = 0;
  try {
    count = std::stol(m[1].str());
  } catch (const std::exception&) {
    count = 500;
  }
  if (count > 500) count = 500;
  const std::string job = m[2].str();
  if (monitor_ready_ && !monitor_ready_()) {
    return Lines({"ERROR: Monitor has not completed initial run yet\n"});
  }
  if (std::find(kJobs.begin(), kJobs.end(), job) == kJobs.end()) {
    std::string classes;
    for (const auto& j : kJobs) classes += (classes.empty() ? "" : ", ") + j;
    return Lines({"ERROR: Invalid class '" + job + "'.  Valid classes: " + classes});
  }
  if ((job == "monitor" || job == "job_master") && count > 1) count = 1;
  if (job == "queryworker") {
    pool_->SetWorkers(static_cast<int>(count));
  } else if (!workers_ || !workers_->SetDesired(job, static_cast<int>(count))) {
    return Lines({"ERROR: job class '" + job + "' does not run in this tracker"});
  }
  return Lines({"Now desiring " + std::to_string(count) + " children doing '" + job + "'."});
}

std::string ParentCommands::Run(const std::string& name, const std::string& args,
                                const std::shared_ptr<ClientSession>& session) {
  if (name == "stats") return Stats();
  if (name.starts_with("shutdown")) {
    Logger("server")->info("User requested shutdown: {}", args);
    if (shutdown_) shutdown_();
    return Lines({});
  }
  if (name.starts_with("jobs")) return Jobs();
  if (name.starts_with("want")) return Want(args);
  if (name.starts_with("to")) return To(args);
  if (name.starts_with("queue") || name.starts_with("pend")) return Lines(pool_->PendingLines());
  if (name.starts_with("watch")) {
    return Lines({watch_->Toggle(session) ? "Added you to watcher list."
                                          : "Removed you from watcher list."});
  }
  if (name.starts_with("recent")) {
    std::vector<std::string> out;
    for (const auto& r : pool_->Recent()) {
      std::ostringstream s;
      s.setf(std::ios::fixed);
      s.precision(4);
      s << r.seconds << " " << r.line;
      out.push_back(s.str());
    }
    return Lines(out);
  }
  if (name.starts_with("version")) return Lines({"2.73"});
  return std::string(kHelp) + ".\r\n";
}

}  // namespace mog::tracker
