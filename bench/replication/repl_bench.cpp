// repl_bench: replication throughput of any MogileFS tracker, judged from its database.
//
//   1. upload --files bodies of --size bytes into --one_class (mindevcount 1: nothing to copy)
//      the way MogileFS::Client does (create_open -> PUT -> create_close);
//   2. wait until the tracker has settled the file_to_replicate rows create_close queued;
//   3. clock starts: `updateclass` every key into --two_class (mindevcount 2), as an operator
//      would with MogileFS::Client->update_class; the tracker queues each fid for replication;
//   4. clock stops when every fid has 2 file_on rows (polled every 100 ms);
//   5. checks the copies (two distinct hosts per fid; a sample fetched byte for byte), deletes
//      the keys and prints one `RESULT key=value ...` line.
// The same steps and commands run against our mogilefsd and upstream's, so the figures compare.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/replication/db_probe.h"
#include "bench/replication/http_get.h"
#include "bench/replication/pipelined_calls.h"
#include "bench/replication/repl_options.h"
#include "bench/tracker/http_put.h"
#include "bench/tracker/line_connection.h"
#include "common/config/config_file.h"

namespace {

using mog::ArgList;
using mog::Reply;
using mog::bench::DbProbe;
using mog::bench::LineConnection;
using mog::bench::ReplBenchOptions;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string Describe(const Reply& r) {
  if (r.ok) return "OK";
  if (!r.errcode.empty()) return "ERR " + r.errcode + " " + r.errstr;
  return r.malformed ? "invalid response from server" : r.errstr;
}

// The body of file `index`: one shared random pattern with the index in the first 16 bytes,
// so that every file differs and a copy of the wrong file cannot pass verification.
void StampIndex(std::string* body, uint64_t index) {
  char stamp[24];
  std::snprintf(stamp, sizeof stamp, "%016llu", static_cast<unsigned long long>(index));
  std::memcpy(body->data(), stamp, 16);
}

// Creates the class, or sets its mindevcount if it exists.
bool EnsureClass(LineConnection& conn, const ReplBenchOptions& o, const std::string& klass,
                 int mindevcount) {
  ArgList args = {
      {"domain", o.domain}, {"class", klass}, {"mindevcount", std::to_string(mindevcount)}};
  Reply r = conn.Call("create_class", args);
  if (!r.ok && r.errcode == "class_exists") r = conn.Call("update_class", args);
  if (!r.ok) {
    std::fprintf(stderr, "repl_bench: class %s mindevcount %d: %s\n", klass.c_str(), mindevcount,
                 Describe(r).c_str());
  }
  return r.ok;
}

struct UploadOutcome {
  std::vector<int64_t> fids;  // by file index; 0 = failed
  uint64_t failed = 0;
  std::string first_error;
  double seconds = 0;
};

// One upload as MogileFS::Client does it; returns the fid or 0 (with *error).
int64_t UploadOne(const ReplBenchOptions& o, LineConnection& conn, const std::string& key,
                  const std::string& body, std::string* error) {
  Reply opened = conn.Call("create_open", {{"domain", o.domain},
                                           {"class", o.one_class},
                                           {"key", key},
                                           {"fid", "0"},
                                           {"multi_dest", "1"}});
  if (!opened.ok) {
    *error = "create_open: " + Describe(opened);
    return 0;
  }
  std::string path = opened.args.Get("path_1");
  std::string devid = opened.args.Get("devid_1");
  if (path.empty()) {
    path = opened.args.Get("path");
    devid = opened.args.Get("devid");
  }
  const std::string fid = opened.args.Get("fid");
  if (path.empty() || devid.empty() || fid.empty()) {
    *error = "create_open: OK without fid/devid/path";
    return 0;
  }
  auto put = mog::bench::HttpPut(path, body, o.io_timeout_s);
  if (!put.error.empty() || put.status < 200 || put.status > 299) {
    *error = "PUT " + path + ": " +
             (put.error.empty() ? "HTTP " + std::to_string(put.status) : put.error);
    return 0;
  }
  Reply closed = conn.Call("create_close", {{"fid", fid},
                                            {"devid", devid},
                                            {"domain", o.domain},
                                            {"size", std::to_string(body.size())},
                                            {"key", key},
                                            {"path", path}});
  if (!closed.ok) {
    *error = "create_close: " + Describe(closed);
    return 0;
  }
  return std::stoll(fid);
}

UploadOutcome UploadAll(const ReplBenchOptions& o, const std::string& pattern,
                        const std::vector<std::string>& keys) {
  UploadOutcome out;
  out.fids.assign(keys.size(), 0);
  std::atomic<uint64_t> next{0};
  std::mutex mu;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < o.concurrency; ++w) {
    threads.emplace_back([&] {
      LineConnection conn(o.tracker_host, o.tracker_port, o.io_timeout_s);
      std::string body = pattern;
      for (uint64_t i = next++; i < keys.size(); i = next++) {
        StampIndex(&body, i);
        std::string error;
        int64_t fid = 0;
        for (int attempt = 0; attempt < 3 && fid == 0; ++attempt) {
          fid = UploadOne(o, conn, keys[i], body, &error);
        }
        std::lock_guard lock(mu);
        out.fids[i] = fid;
        if (fid == 0) {
          ++out.failed;
          if (out.first_error.empty()) out.first_error = error;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  out.seconds = Since(start);
  return out;
}

std::string FidList(const std::vector<int64_t>& fids) {
  std::string list;
  for (int64_t fid : fids) {
    if (!list.empty()) list += ',';
    list += std::to_string(fid);
  }
  return list;
}

// (seconds since the clock started, count) for every poll.
using Timeline = std::vector<std::pair<double, int64_t>>;

// First time the count reached `target` (linear in between polls is not worth it at 100 ms).
double TimeToReach(const Timeline& timeline, int64_t target) {
  for (const auto& [t, n] : timeline) {
    if (n >= target) return t;
  }
  return -1;
}

// Polls `sql` (a count) every `period` until it returns `want`; false on timeout or DB error.
// Each poll is appended to *timeline when given, timed from `start`.
bool WaitForCount(DbProbe& db, const std::string& sql, int64_t want, double max_seconds,
                  std::chrono::milliseconds period, const char* what, int64_t* last,
                  Timeline* timeline = nullptr, Clock::time_point start = Clock::now()) {
  auto next_report = start + std::chrono::seconds(5);
  while (true) {
    auto n = db.Int(sql);
    if (!n) {
      std::fprintf(stderr, "repl_bench: %s: DB error %s\n", what, db.last_error().c_str());
      return false;
    }
    *last = *n;
    if (timeline) timeline->emplace_back(Since(start), *n);
    if (*n == want) return true;
    if (Since(start) > max_seconds) return false;
    if (Clock::now() >= next_report) {
      std::fprintf(stderr, "  %s: %lld / %lld after %.1f s\n", what, static_cast<long long>(*n),
                   static_cast<long long>(want), Since(start));
      next_report += std::chrono::seconds(5);
    }
    std::this_thread::sleep_for(period);
  }
}

// Fetches every copy of a sample of files and compares them with what was uploaded.
void VerifySample(const ReplBenchOptions& o, const std::string& pattern,
                  const std::vector<std::string>& keys, uint64_t* copies_ok, uint64_t* copies_bad,
                  std::string* first_error) {
  LineConnection conn(o.tracker_host, o.tracker_port, o.io_timeout_s);
  const uint64_t sample = std::min<uint64_t>(o.verify_sample, keys.size());
  std::string expected = pattern;
  for (uint64_t s = 0; s < sample; ++s) {
    const uint64_t i = s * keys.size() / sample;
    StampIndex(&expected, i);
    auto bad = [&](const std::string& why) {
      ++*copies_bad;
      if (first_error->empty()) *first_error = keys[i] + ": " + why;
    };
    Reply r = conn.Call("get_paths", {{"domain", o.domain}, {"key", keys[i]}, {"noverify", "1"}});
    if (!r.ok) {
      bad("get_paths " + Describe(r));
      continue;
    }
    const int paths = std::atoi(r.args.Get("paths").c_str());
    if (paths < 2) bad("get_paths lists " + std::to_string(paths) + " paths");
    for (int p = 1; p <= paths; ++p) {
      const std::string url = r.args.Get("path" + std::to_string(p));
      auto got = mog::bench::HttpGet(url, o.size, o.io_timeout_s);
      if (!got.error.empty() || got.status != 200 || got.body != expected) {
        bad(url + ": " +
            (got.error.empty()
                 ? "HTTP " + std::to_string(got.status) + (got.status == 200 ? " wrong bytes" : "")
                 : got.error));
      } else {
        ++*copies_ok;
      }
    }
  }
}

int Run(const ReplBenchOptions& o) {
  DbProbe db;
  if (std::string err = db.Connect(o.db_host, o.db_port, o.db_user, o.db_pass, o.db_name);
      !err.empty()) {
    std::fprintf(stderr, "repl_bench: %s\n", err.c_str());
    return 1;
  }
  auto dmid = db.Int("SELECT dmid FROM domain WHERE namespace=" + db.Quote(o.domain));
  if (!dmid || *dmid == 0) {
    std::fprintf(stderr, "repl_bench: domain %s not in the database\n", o.domain.c_str());
    return 1;
  }
  {
    LineConnection admin(o.tracker_host, o.tracker_port, o.io_timeout_s);
    if (!EnsureClass(admin, o, o.one_class, 1) || !EnsureClass(admin, o, o.two_class, 2)) {
      return 1;
    }
  }
  // Upstream's query workers learn of class changes from their parent a moment later.
  std::this_thread::sleep_for(std::chrono::seconds(2));

  std::string pattern(o.size, '\0');
  std::mt19937_64 rng(o.size);
  for (auto& c : pattern) c = static_cast<char>('a' + rng() % 26);
  std::vector<std::string> keys;
  for (uint64_t i = 0; i < o.files; ++i) keys.push_back(o.key_prefix + "/" + std::to_string(i));

  std::fprintf(stderr, "upload: %llu x %llu B into %s/%s (mindevcount 1), %d threads\n",
               static_cast<unsigned long long>(o.files), static_cast<unsigned long long>(o.size),
               o.domain.c_str(), o.one_class.c_str(), o.concurrency);
  UploadOutcome up = UploadAll(o, pattern, keys);
  if (up.failed) {
    std::fprintf(stderr, "repl_bench: %llu uploads failed, e.g. %s\n",
                 static_cast<unsigned long long>(up.failed), up.first_error.c_str());
    return 1;
  }
  std::fprintf(stderr, "  uploaded in %.2f s (%.1f files/s)\n", up.seconds,
               static_cast<double>(o.files) / up.seconds);
  const std::string fids = FidList(up.fids);
  const int64_t n = static_cast<int64_t>(o.files);

  int64_t last = 0;
  if (!WaitForCount(db, "SELECT COUNT(*) FROM file_to_replicate WHERE fid IN (" + fids + ")", 0,
                    o.max_seconds, std::chrono::milliseconds(200), "queue rows of the upload",
                    &last)) {
    std::fprintf(stderr, "repl_bench: %lld upload queue rows still there\n",
                 static_cast<long long>(last));
    return 1;
  }
  const std::string copies_sql = "SELECT COUNT(*) FROM (SELECT fid FROM file_on WHERE fid IN (" +
                                 fids + ") GROUP BY fid HAVING COUNT(*) >= 2) t";
  auto early = db.Int(copies_sql);
  if (!early || *early != 0) {
    std::fprintf(stderr, "repl_bench: %s files already have 2 copies before the clock starts\n",
                 early ? std::to_string(*early).c_str() : db.last_error().c_str());
    return 1;
  }

  std::vector<std::string> lines;
  for (const auto& key : keys) {
    lines.push_back(mog::EncodeRequest(
        "updateclass", {{"domain", o.domain}, {"key", key}, {"class", o.two_class}}));
  }
  std::fprintf(stderr, "replicate: updateclass -> %s (mindevcount 2), clock running\n",
               o.two_class.c_str());
  const auto t0 = Clock::now();
  auto queued = mog::bench::PipelinedCalls(o.tracker_host, o.tracker_port, lines, o.concurrency, 64,
                                           o.io_timeout_s);
  const double enqueue_s = Since(t0);
  uint64_t not_ok = 0;
  std::string first_bad = queued.error;
  for (const auto& r : queued.replies) {
    if (r.ok) continue;
    ++not_ok;
    if (first_bad.empty()) first_bad = Describe(r);
  }
  if (not_ok) {
    std::fprintf(stderr, "repl_bench: %llu updateclass failed, e.g. %s\n",
                 static_cast<unsigned long long>(not_ok), first_bad.c_str());
    return 1;
  }
  std::fprintf(stderr, "  %llu updateclass answered OK in %.3f s\n",
               static_cast<unsigned long long>(lines.size()), enqueue_s);
  Timeline timeline;
  const bool done = WaitForCount(db, copies_sql, n, o.max_seconds, std::chrono::milliseconds(100),
                                 "files with 2 copies", &last, &timeline, t0);
  const double secs = Since(t0);
  if (!done) {
    std::fprintf(stderr, "repl_bench: only %lld of %lld files have 2 copies after %.1f s\n",
                 static_cast<long long>(last), static_cast<long long>(n), secs);
    return 1;
  }
  const double files_per_s = static_cast<double>(n) / secs;
  const double mb_per_s = static_cast<double>(n) * static_cast<double>(o.size) / secs / 1e6;
  std::fprintf(stderr, "  all %lld files have 2 copies after %.3f s: %.1f files/s, %.2f MB/s\n",
               static_cast<long long>(n), secs, files_per_s, mb_per_s);
  // Start-up (first copy seen) and the rate between 10 % and 90 % done: the steady state,
  // without the queueing at the start and the last stragglers.
  const double first_s = TimeToReach(timeline, 1);
  const double t10 = TimeToReach(timeline, std::max<int64_t>(1, n / 10));
  const double t90 = TimeToReach(timeline, n - n / 10);
  const double steady =
      t90 > t10 && t10 >= 0 ? static_cast<double>(n - n / 10 - n / 10) / (t90 - t10) : files_per_s;
  std::fprintf(stderr, "  first copy seen after %.2f s; 10%%..90%% done at %.1f files/s\n", first_s,
               steady);

  auto distinct = db.Int(
      "SELECT COUNT(*) FROM (SELECT o.fid FROM file_on o JOIN device d ON d.devid = o.devid "
      "WHERE o.fid IN (" +
      fids + ") GROUP BY o.fid HAVING COUNT(DISTINCT d.hostid) >= 2) t");
  auto surplus = db.Int("SELECT COUNT(*) FROM (SELECT fid FROM file_on WHERE fid IN (" + fids +
                        ") GROUP BY fid HAVING COUNT(*) > 2) t");
  uint64_t copies_ok = 0, copies_bad = 0;
  std::string verify_error;
  VerifySample(o, pattern, keys, &copies_ok, &copies_bad, &verify_error);
  std::fprintf(stderr,
               "  check: %lld/%lld files on 2 distinct hosts, %lld with > 2 copies; "
               "%llu sampled copies byte-exact, %llu bad%s%s\n",
               static_cast<long long>(distinct.value_or(-1)), static_cast<long long>(n),
               static_cast<long long>(surplus.value_or(-1)),
               static_cast<unsigned long long>(copies_ok),
               static_cast<unsigned long long>(copies_bad), verify_error.empty() ? "" : ": ",
               verify_error.c_str());

  if (o.cleanup) {
    std::vector<std::string> deletes;
    for (const auto& key : keys) {
      deletes.push_back(mog::EncodeRequest("delete", {{"domain", o.domain}, {"key", key}}));
    }
    auto deleted = mog::bench::PipelinedCalls(o.tracker_host, o.tracker_port, deletes,
                                              o.concurrency, 64, o.io_timeout_s);
    uint64_t ok = 0;
    for (const auto& r : deleted.replies) ok += r.ok ? 1 : 0;
    std::fprintf(stderr, "  cleanup: %llu/%zu keys deleted%s%s\n",
                 static_cast<unsigned long long>(ok), deletes.size(),
                 deleted.error.empty() ? "" : ", ", deleted.error.c_str());
  }

  std::printf(
      "RESULT label=%s tracker=%s:%u files=%lld size=%llu seconds=%.3f files_per_s=%.1f "
      "MB_per_s=%.2f enqueue_s=%.3f first_copy_s=%.2f steady_files_per_s=%.1f "
      "upload_files_per_s=%.1f distinct_hosts=%lld surplus=%lld verified_copies=%llu "
      "bad_copies=%llu\n",
      o.label.empty() ? "-" : o.label.c_str(), o.tracker_host.c_str(), o.tracker_port,
      static_cast<long long>(n), static_cast<unsigned long long>(o.size), secs, files_per_s,
      mb_per_s, enqueue_s, first_s, steady, static_cast<double>(o.files) / up.seconds,
      static_cast<long long>(distinct.value_or(-1)), static_cast<long long>(surplus.value_or(-1)),
      static_cast<unsigned long long>(copies_ok), static_cast<unsigned long long>(copies_bad));
  std::fflush(stdout);
  const bool good = distinct && *distinct == n && copies_bad == 0;
  return good ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  ReplBenchOptions o;
  try {
    bool help = false;
    o = mog::bench::ParseReplBenchOptions(argc, argv, &help);
    if (help) {
      std::fputs(mog::bench::ReplBenchHelp().c_str(), stdout);
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "repl_bench: %s\n", e.what());
    return 2;
  }
  try {
    return Run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "repl_bench: %s\n", e.what());
    return 1;
  }
}
