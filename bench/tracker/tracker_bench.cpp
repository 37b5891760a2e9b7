// tracker_bench: load on a MogileFS tracker at the protocol level, the way MogileFS::Client
// drives it, but without the client library so that only tracker + storage are measured.
//   upload:    create_open (multi_dest=1, fid=0) -> HTTP/1.0 PUT to path_1 -> create_close
//   get_paths: get_paths domain key noverify=.. on the keys the upload phase stored
// Each worker owns one persistent tracker connection. Prints a summary per phase and one
// `RESULT key=value ...` line per phase for scripts.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/tracker/bench_options.h"
#include "bench/tracker/http_put.h"
#include "bench/tracker/line_connection.h"
#include "bench/tracker/phase_stats.h"
#include "bench/tracker/process_cpu.h"
#include "common/config/config_file.h"

namespace {

using mog::ArgList;
using mog::Reply;
using mog::bench::LineConnection;
using mog::bench::PhaseStats;
using mog::bench::TrackerBenchOptions;
using Clock = std::chrono::steady_clock;

// Records a failed tracker reply as ERR or transport error.
void AddReplyError(PhaseStats* st, const std::string& verb, const Reply& r) {
  if (!r.errcode.empty()) {
    st->AddError(&PhaseStats::tracker_errors, "ERR " + r.errcode,
                 verb + ": ERR " + r.errcode + " " + r.errstr);
  } else {
    st->AddError(&PhaseStats::transport_errors, "transport",
                 verb + ": " + (r.malformed ? std::string("invalid response from server")
                                            : r.errstr));
  }
}

// One upload as MogileFS::Client does it; on success the key is appended to *stored.
void UploadOne(const TrackerBenchOptions& o, LineConnection* conn, const std::string& body,
               const std::string& key, PhaseStats* st, std::vector<std::string>* stored) {
  auto start = Clock::now();
  ArgList open_args = {{"domain", o.domain}};
  if (!o.klass.empty()) open_args.emplace_back("class", o.klass);
  open_args.insert(open_args.end(), {{"key", key}, {"fid", "0"}, {"multi_dest", "1"}});
  Reply opened = conn->Call("create_open", open_args);
  if (!opened.ok) return AddReplyError(st, "create_open", opened);
  // Both reply shapes exist (path_1/devid_1 with multi_dest, path/devid without).
  std::string path = opened.args.Get("path_1");
  std::string devid = opened.args.Get("devid_1");
  if (path.empty()) {
    path = opened.args.Get("path");
    devid = opened.args.Get("devid");
  }
  std::string fid = opened.args.Get("fid");
  if (path.empty() || devid.empty() || fid.empty()) {
    return st->AddError(&PhaseStats::transport_errors, "create_open reply without path",
                        "create_open: OK without fid/devid/path");
  }
  auto opened_at = Clock::now();
  mog::bench::PutResult put = mog::bench::HttpPut(path, body, o.io_timeout_s);
  if (!put.error.empty()) {
    return st->AddError(&PhaseStats::transport_errors, "PUT transport", put.error);
  }
  if (put.status < 200 || put.status > 299) {
    return st->AddError(&PhaseStats::http_errors, "HTTP " + std::to_string(put.status),
                        "PUT " + path + ": HTTP " + std::to_string(put.status));
  }
  auto put_at = Clock::now();
  Reply closed = conn->Call("create_close", {{"fid", fid},
                                             {"devid", devid},
                                             {"domain", o.domain},
                                             {"size", std::to_string(body.size())},
                                             {"key", key},
                                             {"path", path}});
  if (!closed.ok) return AddReplyError(st, "create_close", closed);
  auto end = Clock::now();
  auto us = [](Clock::duration d) {
    return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  };
  st->latencies_us.push_back(us(end - start));
  st->step_us["create_open"].push_back(us(opened_at - start));
  st->step_us["PUT"].push_back(us(put_at - opened_at));
  st->step_us["create_close"].push_back(us(end - put_at));
  ++st->ok;
  stored->push_back(key);
}

void GetPathsOne(const TrackerBenchOptions& o, LineConnection* conn, const std::string& key,
                 PhaseStats* st) {
  auto start = Clock::now();
  Reply r = conn->Call("get_paths",
                       {{"domain", o.domain}, {"key", key}, {"noverify", o.noverify ? "1" : "0"}});
  if (!r.ok) return AddReplyError(st, "get_paths", r);
  // paths=0 is a protocol-level OK, but for a key we just stored it is a failure.
  if (r.args.Get("paths").empty() || r.args.Get("paths") == "0" || r.args.Get("path1").empty()) {
    return st->AddError(&PhaseStats::tracker_errors, "OK paths=0",
                        "get_paths " + key + ": no paths");
  }
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  st->latencies_us.push_back(static_cast<uint32_t>(us.count()));
  ++st->ok;
}

struct PhaseResult {
  PhaseStats stats;
  double elapsed_s = 0;
  double server_cpu_s = -1;  // CPU of --cpu_pid's tree during the phase; -1 = not measured
  std::vector<std::string> stored_keys;
};

// Runs `ops` operations (bounded also by `seconds`) over o.concurrency workers; op(worker
// state, index) does one operation.
enum class PhaseKind { kUpload, kGetPaths };

PhaseResult RunPhase(const TrackerBenchOptions& o, PhaseKind kind, uint64_t ops,
                     const std::vector<std::string>& keys, const std::string& key_prefix) {
  std::string body(o.size, 'm');  // one reusable buffer, as a client streaming from memory
  std::atomic<uint64_t> next{0};
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(o.seconds));
  std::mutex mu;
  PhaseResult result;
  std::optional<double> cpu_before;
  if (o.cpu_pid > 0) cpu_before = mog::bench::ProcessTreeCpuSeconds(o.cpu_pid);
  std::vector<std::thread> workers;
  for (int w = 0; w < o.concurrency; ++w) {
    workers.emplace_back([&, w] {
      const auto& ep = o.trackers[static_cast<size_t>(w) % o.trackers.size()];
      LineConnection conn(ep.host, ep.port, o.io_timeout_s);
      PhaseStats st;
      std::vector<std::string> stored;
      for (;;) {
        uint64_t i = next.fetch_add(1);
        if (i >= ops || Clock::now() >= deadline) break;
        if (kind == PhaseKind::kUpload) {
          UploadOne(o, &conn, body, key_prefix + "/" + std::to_string(i), &st, &stored);
        } else {
          GetPathsOne(o, &conn, keys[i % keys.size()], &st);
        }
      }
      std::lock_guard lock(mu);
      result.stats.Merge(std::move(st));
      result.stored_keys.insert(result.stored_keys.end(), stored.begin(), stored.end());
    });
  }
  for (auto& t : workers) t.join();
  result.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (cpu_before) {
    if (auto after = mog::bench::ProcessTreeCpuSeconds(o.cpu_pid)) {
      result.server_cpu_s = *after - *cpu_before;
    }
  }
  return result;
}

void Report(const TrackerBenchOptions& o, const char* phase, PhaseResult& r) {
  PhaseStats& st = r.stats;
  mog::bench::PhaseSummary s = mog::bench::Summarize(st, r.elapsed_s);
  std::printf("%s: %llu ok, %llu errors (ERR %llu, HTTP non-2xx %llu, transport %llu) in %.2f s\n",
              phase, static_cast<unsigned long long>(st.ok),
              static_cast<unsigned long long>(st.errors()),
              static_cast<unsigned long long>(st.tracker_errors),
              static_cast<unsigned long long>(st.http_errors),
              static_cast<unsigned long long>(st.transport_errors), s.elapsed_s);
  std::printf("  ops/s %.1f, latency p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", s.ops_per_s,
              s.p50_ms, s.p99_ms, s.max_ms);
  std::string steps;
  for (const char* step : {"create_open", "PUT", "create_close"}) {
    auto it = st.step_us.find(step);
    if (it == st.step_us.end() || it->second.empty()) continue;
    std::printf("  step %-12s p50 %.3f ms, p99 %.3f ms\n", step,
                mog::bench::PercentileMs(it->second, 0.5), mog::bench::PercentileMs(it->second, 0.99));
    char buf[96];
    std::snprintf(buf, sizeof buf, " %s_p50_ms=%.3f", step, mog::bench::PercentileMs(it->second, 0.5));
    steps += buf;
  }
  double cpu_ms_per_op = -1;
  if (r.server_cpu_s >= 0 && st.ok > 0) {
    cpu_ms_per_op = r.server_cpu_s * 1000.0 / static_cast<double>(st.ok);
    std::printf("  tracker (pid %d and children) CPU %.2f s = %.3f ms per successful op\n",
                o.cpu_pid, r.server_cpu_s, cpu_ms_per_op);
  }
  char cpu_field[64];
  std::snprintf(cpu_field, sizeof cpu_field, " tracker_cpu_ms_per_op=%.3f", cpu_ms_per_op);
  steps += cpu_field;
  for (const auto& [cause, n] : st.causes)
    std::printf("  error %s: %llu\n", cause.c_str(), static_cast<unsigned long long>(n));
  for (const auto& sample : st.samples) std::printf("  e.g. %s\n", sample.c_str());
  std::printf(
      "RESULT phase=%s tracker=%s:%u size=%llu concurrency=%d noverify=%d ok=%llu errors=%llu "
      "tracker_errors=%llu http_errors=%llu transport_errors=%llu elapsed_s=%.3f ops_per_s=%.1f "
      "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f%s\n",
      phase, o.trackers[0].host.c_str(), o.trackers[0].port,
      static_cast<unsigned long long>(o.size), o.concurrency, o.noverify ? 1 : 0,
      static_cast<unsigned long long>(st.ok), static_cast<unsigned long long>(st.errors()),
      static_cast<unsigned long long>(st.tracker_errors),
      static_cast<unsigned long long>(st.http_errors),
      static_cast<unsigned long long>(st.transport_errors), s.elapsed_s, s.ops_per_s, s.p50_ms,
      s.p99_ms, s.max_ms, steps.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  TrackerBenchOptions o;
  try {
    bool help = false;
    o = mog::bench::ParseTrackerBenchOptions(argc, argv, &help);
    if (help) {
      std::fputs(mog::bench::TrackerBenchHelp().c_str(), stdout);
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tracker_bench: %s\n", e.what());
    return 2;
  }
  std::string prefix = o.key_prefix + "/" + std::to_string(o.size);
  std::vector<std::string> keys;
  uint64_t total_errors = 0;
  if (o.do_upload) {
    PhaseResult up = RunPhase(o, PhaseKind::kUpload, o.ops, {}, prefix);
    Report(o, "upload", up);
    total_errors += up.stats.errors();
    keys = std::move(up.stored_keys);
  } else {
    PhaseResult seed = RunPhase(o, PhaseKind::kUpload, o.seed_keys, {}, prefix + "/seed");
    std::printf("seed: %zu keys uploaded for get_paths (%llu errors, not measured)\n",
                seed.stored_keys.size(), static_cast<unsigned long long>(seed.stats.errors()));
    total_errors += seed.stats.errors();
    keys = std::move(seed.stored_keys);
  }
  if (o.do_get_paths) {
    if (keys.empty()) {
      std::fprintf(stderr, "tracker_bench: no key was stored, get_paths phase skipped\n");
      return 1;
    }
    PhaseResult gp = RunPhase(o, PhaseKind::kGetPaths, o.get_paths_ops, keys, prefix);
    Report(o, "get_paths", gp);
    total_errors += gp.stats.errors();
  }
  return total_errors == 0 ? 0 : 1;
}
