// repl_profile: where the time of one replication goes. In-process (WorkerHarness: private
// MariaDB, real mogilefsd + mogstored), one thread runs Replicator::Process over freshly
// uploaded fids with the node client wrapped in a timer; everything not spent in a node call is
// database work (and a little CPU). Prints ms per fid split by node operation.
//
//   build/bin/repl_profile [--files N] [--size BYTES] [--io_threads N]
// --io_threads: the node client's I/O threads (0 = each caller runs its own exchanges).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include "tests/integration/workers/worker_harness.h"
#include "trackerd/workers/device_urls.h"
#include "trackerd/workers/replicator.h"

using namespace mog::test;
using mog::tracker::NodeClient;
using Clock = std::chrono::steady_clock;

namespace {

long Arg(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::atol(argv[i + 1]);
  }
  return fallback;
}

// Forwards every call and adds its wall time to a per-operation total.
class TimingNodes final : public NodeClient {
 public:
  explicit TimingNodes(NodeClient& inner) : inner_(inner) {}
  struct Total {
    long calls = 0;
    double ms = 0;
  };
  std::map<std::string, Total> totals;
  double AllMs() const {
    double ms = 0;
    for (const auto& [op, t] : totals) ms += t.ms;
    return ms;
  }

  template <typename Fn>
  auto Time(const char* op, Fn fn) {
    const auto start = Clock::now();
    auto result = fn();
    auto& t = totals[op];
    ++t.calls;
    t.ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return result;
  }

  mog::tracker::NodeResult<mog::tracker::HeadInfo> HeadSize(const std::string& url) override {
    return Time("HEAD", [&] { return inner_.HeadSize(url); });
  }
  mog::tracker::MkcolOutcome Mkcol(const std::string& url) override {
    return Time("MKCOL", [&] { return inner_.Mkcol(url); });
  }
  mog::tracker::NodeResult<mog::tracker::HttpReply> Get(const std::string& url,
                                                        size_t max_body) override {
    return Time("GET", [&] { return inner_.Get(url, max_body); });
  }
  mog::tracker::NodeResult<mog::tracker::HttpReply> Put(
      const std::string& url, std::string_view body,
      const mog::tracker::HttpHeaders& headers) override {
    return Time("PUT", [&] { return inner_.Put(url, body, headers); });
  }
  mog::tracker::NodeResult<int> Delete(const std::string& url) override {
    return Time("DELETE", [&] { return inner_.Delete(url); });
  }
  mog::tracker::NodeResult<mog::tracker::DigestReply> Digest(
      const mog::tracker::DigestRequest& request) override {
    return Time("digest", [&] { return inner_.Digest(request); });
  }
  boost::system::result<mog::tracker::CopyReply, mog::tracker::CopyError> Copy(
      const mog::tracker::CopyRequest& request) override {
    return Time("copy (GET+PUT)", [&] { return inner_.Copy(request); });
  }

 private:
  NodeClient& inner_;
};

}  // namespace

int main(int argc, char** argv) {
  const long files = Arg(argc, argv, "--files", 500);
  const long size = Arg(argc, argv, "--size", 4096);
  const long io_threads = Arg(argc, argv, "--io_threads", 2);
  try {
    WorkerHarness h(2, 2);  // as run.sh: two hosts, two devices each
    h.MakeDomainAndClass("prof", "two", 2);
    const std::string body = RandomBytes(static_cast<size_t>(size), 7);
    for (long i = 0; i < files; ++i) h.Upload("prof", "two", "k" + std::to_string(i), body);

    // One database round trip, for scale.
    const auto rt0 = Clock::now();
    for (int i = 0; i < 200; ++i) (void)h.store().GetServerSetting("schema_version");
    const double roundtrip_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - rt0).count() / 200;

    auto rows = h.store().ClaimReplicate(static_cast<int>(files));
    if (!rows) throw std::runtime_error("claim: " + rows.error().message());
    mog::tracker::HttpNodeClientOptions node_options;
    node_options.timeout = std::chrono::milliseconds(2000);
    node_options.io_threads = static_cast<int>(io_threads);
    mog::tracker::HttpNodeClient nodes(node_options);
    TimingNodes timing(nodes);
    mog::tracker::Replicator replicator(h.store(), timing, h.options());
    long done = 0;
    const auto start = Clock::now();
    for (const auto& row : *rows) {
      auto out = replicator.Process(*h.state().Snapshot(), row);
      if (out.result == mog::tracker::ReplicateResult::kDone && out.copies_made == 1) ++done;
    }
    const double total_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const double n = static_cast<double>(rows->size());
    std::printf(
        "%zu fids (%ld replicated), one thread, node client io_threads=%ld: %.3f ms per "
        "fid (%.0f fids/s)\n",
        rows->size(), done, io_threads, total_ms / n, 1000.0 * n / total_ms);
    for (const auto& [op, t] : timing.totals) {
      std::printf("  %-16s %6ld calls  %.3f ms per call  %.3f ms per fid\n", op.c_str(), t.calls,
                  t.ms / static_cast<double>(t.calls), t.ms / n);
    }
    std::printf("  %-16s %.3f ms per fid (one DB round trip: %.3f ms)\n", "DB + CPU rest",
                (total_ms - timing.AllMs()) / n, roundtrip_ms);
    // The node calls alone, on one device pair: GET of a copy, PUT of a new file (the
    // node's fsync + rename + directory fsync), and Copy (GET + PUT streamed).
    auto snap = h.state().Snapshot();
    const auto& first = rows->front();
    auto on = h.store().GetFileOn(first.fid);
    if (on && on->size() >= 2) {
      auto src = mog::tracker::FidGetUrl(*snap, (*on)[0], first.fid);
      const mog::tracker::DevId dst_dev = (*on)[1];
      const int reps = 200;
      auto time_ms = [&](auto fn) {
        const auto t0 = Clock::now();
        for (int i = 0; i < reps; ++i) fn(i);
        return std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / reps;
      };
      const double get_ms = time_ms([&](int) { (void)nodes.Get(*src, 1 << 20); });
      const double put_ms = time_ms([&](int i) {
        (void)nodes.Put(*mog::tracker::FidPutUrl(*snap, dst_dev, 900000 + i), body);
      });
      const double copy_ms = time_ms([&](int i) {
        mog::tracker::CopyRequest req;
        req.src_url = *src;
        req.dst_url = *mog::tracker::FidPutUrl(*snap, dst_dev, 910000 + i);
        req.length = body.size();
        (void)nodes.Copy(req);
      });
      std::printf("  node calls alone: GET %.3f ms, PUT %.3f ms, Copy %.3f ms\n", get_ms, put_ms,
                  copy_ms);
    }
    return done == static_cast<long>(files) ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "repl_profile: %s\n", e.what());
    return 1;
  }
}
