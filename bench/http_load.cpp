// http_load: a bounded HTTP/1.1 keep-alive load generator for the storage-node benchmark.
// Prints a readable summary and one `RESULT key=value ...` line that scripts parse.
#include <cstdio>
#include <exception>
#include <iostream>

#include "bench/load/load_options.h"
#include "bench/load/load_runner.h"
#include "bench/load/run_stats.h"
#include "bench/load/target_source.h"
#include "common/config/config_file.h"

namespace {

using mog::bench::LoadOptions;
using mog::bench::Method;

void Print(const LoadOptions& o, mog::bench::RunResult& result) {
  mog::bench::RunStats& st = result.stats;
  mog::bench::Summary s = mog::bench::Summarize(st, result.elapsed_s);
  const char* method = o.method == Method::kPut ? "PUT" : "GET";
  if (!o.quiet) {
    std::printf("http_load: %s, %d connections, %d thread(s), %.2f s\n", method, o.concurrency,
                o.threads, s.elapsed_s);
    std::printf("  successful:  %llu (2xx with complete body)\n",
                static_cast<unsigned long long>(st.ok));
    std::printf("  errors:      %llu (status %llu, size %llu, transport %llu)\n",
                static_cast<unsigned long long>(st.errors()),
                static_cast<unsigned long long>(st.status_errors),
                static_cast<unsigned long long>(st.size_errors),
                static_cast<unsigned long long>(st.transport_errors));
    if (!st.first_error.empty()) std::printf("  first error: %s\n", st.first_error.c_str());
    std::printf("  connections: %llu opened\n", static_cast<unsigned long long>(st.connections));
    std::printf("  requests/s:  %.1f\n", s.requests_per_s);
    std::printf("  MB/s:        %.1f (10^6 body bytes of successful requests)\n", s.mb_per_s);
    std::printf("  latency:     p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", s.p50_ms, s.p99_ms,
                s.max_ms);
  }
  std::printf(
      "RESULT method=%s concurrency=%d ok=%llu errors=%llu status_errors=%llu size_errors=%llu "
      "transport_errors=%llu elapsed_s=%.3f rps=%.1f mbps=%.1f p50_ms=%.3f p99_ms=%.3f "
      "max_ms=%.3f\n",
      method, o.concurrency, static_cast<unsigned long long>(st.ok),
      static_cast<unsigned long long>(st.errors()),
      static_cast<unsigned long long>(st.status_errors),
      static_cast<unsigned long long>(st.size_errors),
      static_cast<unsigned long long>(st.transport_errors), s.elapsed_s, s.requests_per_s,
      s.mb_per_s, s.p50_ms, s.p99_ms, s.max_ms);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  LoadOptions options;
  try {
    bool help = false;
    options = mog::bench::ParseLoadOptions(argc, argv, &help);
    if (help) {
      std::cout << mog::bench::LoadOptionsHelp();
      return 0;
    }
  } catch (const mog::ConfigError& e) {
    std::cerr << "http_load: " << e.what() << "\n\n" << mog::bench::LoadOptionsHelp();
    return 2;
  }
  try {
    auto targets = options.url_list.empty()
                       ? mog::bench::TargetSource::FromTemplate(
                             options.host, options.port, options.path_template,
                             options.template_start, options.template_count)
                       : mog::bench::TargetSource::FromUrlFile(options.url_list);
    mog::bench::RunResult result = mog::bench::RunLoad(options, targets);
    Print(options, result);
    return result.stats.errors() == 0 && result.stats.ok > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "http_load: " << e.what() << "\n";
    return 2;
  }
}
