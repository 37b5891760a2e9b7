// mogstats: statistics straight from the metadata database (no tracker involved).
#include <mysql.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <vector>

#include "trackerd/store/dsn.h"
#include "tools/cli/stats_report.h"
#include "tools/cli/tool_config.h"
#include "client/reply_args.h"

namespace {

using mog::cli::StatsData;
using Row = std::vector<std::optional<std::string>>;

struct Options {
  std::map<std::string, std::string> values;
  bool Has(const std::string& k) const { return values.count(k) && !values.at(k).empty(); }
  std::string Get(const std::string& k) const { return values.count(k) ? values.at(k) : ""; }
};

// --help: the usage on stdout, exit 0. A usage error: the reason and the usage on stderr,
// exit 2 (upstream prints both on stdout and exits 1).
[[noreturn]] void Usage(const std::string& error) {
  if (error.empty()) {
    std::cout << mog::cli::MogstatsUsage("");
    std::exit(0);
  }
  std::cout.flush();
  std::cerr << mog::cli::MogstatsUsage(error);
  std::exit(2);
}

[[noreturn]] void Die(const std::string& message) {
  std::cout.flush();
  std::cerr << message << "\n";
  std::exit(255);
}

class Database {
 public:
  Database(const Options& opts) {
    const std::string dsn = opts.Get("db_dsn");
    if (dsn.empty()) {
      Usage(
          "no database given: use --db_dsn=DBI:mysql:<database>:host=<host> with --db_user "
          "and --db_pass, or db_dsn = ... (db_user = ..., db_pass = ...) in ~/.mogilefs.conf, "
          "/etc/mogilefs/mogilefs.conf or the --config file");
    }
    auto parsed = mog::tracker::ParseDsn(dsn);
    if (!parsed) Die("Failed to connect to database: " + parsed.error().message());
    if (parsed->driver == "sqlite" || parsed->driver == "pg") {
      Die("mogstats: only MySQL/MariaDB metadata databases are supported: " + dsn);
    }
    if (parsed->driver != "mysql") Die("Unknown database type: " + dsn);
    mysql_ = mysql_init(nullptr);
    // The DSN is read as DBD::mysql reads it (trackerd/store/dsn.h): its user/password and
    // mysql_connect_timeout win; no host or "localhost" is the socket, any other host is TCP.
    unsigned timeout = parsed->connect_timeout.value_or(10);
    mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    const std::string user = parsed->user.value_or(opts.Get("db_user"));
    const std::string pass = parsed->password.value_or(opts.Get("db_pass"));
    const std::string host = parsed->host.empty() ? "localhost" : parsed->host;
    if (!mysql_real_connect(mysql_, host.c_str(), user.c_str(), pass.c_str(),
                            parsed->database.c_str(), parsed->port.value_or(0),
                            parsed->socket.empty() ? nullptr : parsed->socket.c_str(), 0)) {
      Die("Failed to connect to database at " + parsed->Describe() + ": " + mysql_error(mysql_));
    }
  }
  ~Database() {
    if (mysql_) mysql_close(mysql_);
  }

  std::vector<Row> Query(const std::string& sql) {
    if (mysql_query(mysql_, sql.c_str()) != 0) Die("DBD::mysql error: " + std::string(mysql_error(mysql_)));
    MYSQL_RES* result = mysql_store_result(mysql_);
    std::vector<Row> rows;
    if (!result) return rows;
    const unsigned fields = mysql_num_fields(result);
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
      unsigned long* lengths = mysql_fetch_lengths(result);
      Row out;
      for (unsigned i = 0; i < fields; ++i) {
        if (row[i]) {
          out.emplace_back(std::string(row[i], lengths[i]));
        } else {
          out.emplace_back(std::nullopt);
        }
      }
      rows.push_back(std::move(out));
    }
    mysql_free_result(result);
    return rows;
  }

 private:
  MYSQL* mysql_ = nullptr;
};

std::string S(const std::optional<std::string>& v) { return v.value_or(""); }
int64_t I(const std::optional<std::string>& v) { return mog::client::PerlInt(S(v)); }

StatsData Fetch(Database& db, const std::set<std::string>& wanted, bool verbose) {
  auto want = [&](const char* n) { return wanted.count(n) || wanted.count("all"); };
  auto say = [&](const char* text) {
    if (verbose) std::cout << text << "\n";
  };
  StatsData data;
  // dmid -> name, classid -> class name (class 0 is always "default").
  std::map<int64_t, std::string> domain_names;
  std::map<int64_t, std::map<int64_t, std::string>> class_names;
  for (const Row& r : db.Query("SELECT d.dmid, d.namespace, c.classid, c.classname "
                               "FROM domain d LEFT JOIN class c ON c.dmid=d.dmid")) {
    domain_names[I(r[0])] = S(r[1]);
    class_names[I(r[0])][I(r[2])] = r[3] && !r[3]->empty() ? *r[3] : "default";
  }
  for (auto& [dmid, classes] : class_names) classes[0] = "default";
  auto domain_of = [&](int64_t dmid) { return domain_names.count(dmid) ? domain_names[dmid] : ""; };
  auto class_of = [&](int64_t dmid, int64_t classid) {
    return class_names[dmid].count(classid) ? class_names[dmid][classid] : "";
  };
  std::map<int64_t, std::pair<std::string, std::string>> devices;  // host, status
  for (const Row& r : db.Query("SELECT device.devid, hostname, device.status FROM device, host "
                               "WHERE device.hostid = host.hostid")) {
    devices[I(r[0])] = {S(r[1]), S(r[2])};
  }
  auto now = [&] { return I(db.Query("SELECT UNIX_TIMESTAMP()").at(0).at(0)); };

  if (want("replication")) {
    say("... replication stats...");
    for (const Row& r : db.Query("SELECT dmid, classid, devcount, COUNT(devcount) AS \"count\" "
                                 "FROM file GROUP BY 1, 2, 3")) {
      data.replication[domain_of(I(r[0]))][class_of(I(r[0]), I(r[1]))][I(r[2])] = S(r[3]);
    }
    say("... done");
  }
  if (want("replication-queue")) {
    say("... replication queue stats...");
    const int64_t t = now();
    for (const Row& r : db.Query("SELECT nexttry, COUNT(*) FROM file_to_replicate GROUP BY 1")) {
      data.to_replicate[mog::cli::QueueStatus(I(r[0]), t, "newfile")] += I(r[1]);
    }
    say("... done");
  }
  if (want("delete-queue")) {
    say("... delete queue stats...");
    const int64_t t = now();
    for (const Row& r : db.Query("SELECT nexttry, COUNT(*) FROM file_to_delete2 GROUP BY 1")) {
      data.to_delete[mog::cli::QueueStatus(I(r[0]), t, "new")] += I(r[1]);
    }
    say("... done");
  }
  if (want("files")) {
    say("... files stats...");
    for (const Row& r : db.Query("SELECT dmid, classid, COUNT(classid), sum(length), "
                                 "sum(length * devcount) FROM file GROUP BY 1, 2")) {
      data.files[domain_of(I(r[0]))][class_of(I(r[0]), I(r[1]))] = {S(r[2]), I(r[3]), I(r[4])};
    }
    say("... done");
  }
  if (wanted.count("domains") && !(wanted.count("files") || wanted.count("all"))) {
    say("... domains stats...");
    for (const Row& r : db.Query("SELECT dmid, classid, COUNT(classid) FROM file GROUP BY 1, 2")) {
      data.domains[domain_of(I(r[0]))][class_of(I(r[0]), I(r[1]))] = S(r[2]);
    }
    say("... done");
  }
  if (want("devices")) {
    say("... per-device stats...");
    for (const Row& r : db.Query("SELECT devid, COUNT(devid) FROM file_on GROUP BY 1")) {
      const auto& dev = devices[I(r[0])];
      data.devices[I(r[0])] = {dev.first, dev.second, S(r[1])};
    }
    say("... done");
  }
  if (want("fids")) {
    say("... fid stats...");
    data.max_fid = S(db.Query("SELECT MAX(fid) FROM file").at(0).at(0));
    say("... done");
  }
  if (want("general-queues")) {
    say("... queue stats...");
    const int64_t t = now();
    static const std::map<int64_t, std::string> kQueues = {{1, "FSCK_QUEUE"}, {2, "REBAL_QUEUE"}};
    for (const Row& r : db.Query("SELECT type, nexttry, COUNT(*) FROM file_to_queue GROUP BY 1, 2")) {
      const std::string queue = kQueues.count(I(r[0])) ? kQueues.at(I(r[0])) : "UNKNOWN_QUEUE";
      // Upstream compares the queue type with the clock here (always "overdue"); the row's
      // nexttry is what the status is about.
      data.queues[queue][mog::cli::QueueStatus(I(r[1]), t, "new")] += I(r[2]);
    }
    say("... done");
  }
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  Options opts;
  // Getopt with pass_through: unknown options are ignored.
  static const std::vector<std::pair<std::string, bool>> kOptions = {
      {"config", true},  {"lib", true},    {"help", false},    {"verbose", false},
      {"stats", true},   {"db_dsn", true}, {"db_user", true},  {"db_pass", true}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-') Usage("Unexpected argument: " + arg);
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (auto eq = body.find('='); eq != std::string::npos) {
      value = body.substr(eq + 1);
      body.erase(eq);
    }
    const std::pair<std::string, bool>* found = nullptr;
    int matches = 0;
    for (const auto& o : kOptions) {
      if (o.first == body) {
        found = &o;
        matches = 1;
        break;
      }
      if (!body.empty() && o.first.starts_with(body)) {
        found = &o;
        ++matches;
      }
    }
    // Upstream passes unknown options through and ignores them; a misspelled --db_dns would
    // then silently fall back to the config files, so refuse it.
    if (matches == 0) Usage("Unknown option: " + body);
    if (matches > 1) Usage("Option " + body + " is ambiguous");
    if (found->second && !value) {
      if (i + 1 >= argc) Usage("Option " + found->first + " requires an argument");
      value = argv[++i];
    }
    opts.values[found->first] = found->second ? *value : "1";
  }
  std::vector<std::string> files = {"/etc/mogilefs/mogilefs.conf"};
  if (const char* system_file = std::getenv("MOG_SYSTEM_CONF")) files[0] = system_file;
  if (const char* home = std::getenv("HOME")) files.push_back(std::string(home) + "/.mogilefs.conf");
  if (opts.Has("config")) files.push_back(opts.Get("config"));
  try {
    for (auto& [k, v] : mog::cli::ReadConfigFiles(files, mog::cli::CommentRule::kHashAfterWhitespace)) {
      opts.values.emplace(k, v);
    }
  } catch (const std::exception& e) {
    Die(e.what());
  }
  if (opts.Has("help") && opts.Get("help") != "0") Usage("");

  std::string arg_text = opts.Has("stats") ? opts.Get("stats") : "all";
  std::set<std::string> wanted;
  size_t pos = 0;
  while (pos <= arg_text.size()) {
    size_t comma = arg_text.find(',', pos);
    if (comma == std::string::npos) comma = arg_text.size();
    wanted.insert(arg_text.substr(pos, comma - pos));
    pos = comma + 1;
  }
  wanted.erase("");
  for (const auto& name : wanted) {
    if (!mog::cli::ValidStats().count(name)) Usage("Invalid stat " + name);
  }
  std::cout << "Fetching statistics... (" << arg_text << ")\n" << std::flush;
  Database db(opts);
  const bool verbose = opts.Has("verbose") && opts.Get("verbose") != "0";
  StatsData data = Fetch(db, wanted, verbose);
  std::cout << mog::cli::FormatStats(wanted, data);
  return 0;
}
