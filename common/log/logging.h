// spdlog set-up shared by every daemon: one named logger per component, stderr by default,
// syslog when daemonized.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace mog {

struct LogOptions {
  std::string program;        // "mogstored", "mogilefsd": syslog ident
  int debug_level = 0;        // 0 = info, >= 1 = debug, >= 2 = trace
  bool use_syslog = false;    // daemonized: stderr is gone
};

void SetupLogging(const LogOptions& options);
// A named component logger ("http", "query", ...) sharing the process sinks.
std::shared_ptr<spdlog::logger> Logger(const std::string& component);
// Adds a sink to every component logger, including those created later (e.g. the tracker's
// `!watch`). Thread-safe: loggers hold one fan-out sink from birth, so nothing is mutated
// under a logger that may be writing.
void AddLogSink(std::shared_ptr<spdlog::sinks::sink> sink);

}  // namespace mog
