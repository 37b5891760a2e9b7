// Replication throughput: uploads files with one copy each while the workers are off, then
// starts the WorkerSet and measures until every file has mindevcount copies (file_to_replicate
// empty and file_on complete). Prints files/s and MB/s copied.
//
//   build/bin/replication_bench [--small N] [--small-size BYTES] [--large N]
//                               [--large-size BYTES] [--jobs REPLICATE_JOBS] [--copies 2|3]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/integration/workers/worker_harness.h"

using namespace mog::test;

namespace {

long Arg(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::atol(argv[i + 1]);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const long small = Arg(argc, argv, "--small", 2000);
  const long small_size = Arg(argc, argv, "--small-size", 4096);
  const long large = Arg(argc, argv, "--large", 8);
  const long large_size = Arg(argc, argv, "--large-size", 32L << 20);
  const long jobs = Arg(argc, argv, "--jobs", 4);
  const long copies = Arg(argc, argv, "--copies", 2);
  try {
    WorkerHarness h(3);
    h.options().replicate_jobs = static_cast<int>(jobs);
    h.MakeDomainAndClass("bench", "c", static_cast<int>(copies));
    const std::string small_body = RandomBytes(static_cast<size_t>(small_size), 1);
    const std::string large_body = RandomBytes(static_cast<size_t>(large_size), 2);
    std::fprintf(stderr, "uploading %ld x %ld B and %ld x %ld B ...\n", small, small_size, large,
                 large_size);
    for (long i = 0; i < small; ++i) h.Upload("bench", "c", "s" + std::to_string(i), small_body);
    for (long i = 0; i < large; ++i) h.Upload("bench", "c", "l" + std::to_string(i), large_body);
    const long files = small + large;
    const std::string want = std::to_string(files * copies);

    const auto start = std::chrono::steady_clock::now();
    h.StartWorkers();
    const bool done = WaitUntil(
        [&] {
          const bool complete = h.Value("SELECT COUNT(*) FROM file_on") == want &&
                                h.Value("SELECT COUNT(*) FROM file_to_replicate") == "0";
          if (!complete) std::this_thread::sleep_for(std::chrono::milliseconds(100));
          return complete;
        },
        std::chrono::minutes(30));
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!done) {
      std::fprintf(stderr, "replication did not finish within 30 minutes\n");
      return 1;
    }
    const double bytes =
        static_cast<double>(copies - 1) *
        (static_cast<double>(small) * small_size + static_cast<double>(large) * large_size);
    std::printf(
        "RESULT files=%ld copies=%ld replicate_jobs=%ld seconds=%.2f files_per_s=%.1f "
        "MB_per_s=%.1f\n",
        files, copies, jobs, secs, files / secs, bytes / secs / 1e6);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replication_bench: %s\n", e.what());
    return 1;
  }
}
