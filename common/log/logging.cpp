#include "common/log/logging.h"

#include <mutex>
#include <vector>

#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/syslog_sink.h>

namespace mog {
namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;

// Extra sinks added at run time (AddLogSink); part of every logger from its creation.
std::shared_ptr<spdlog::sinks::dist_sink_mt>& Fanout() {
  static auto fanout = std::make_shared<spdlog::sinks::dist_sink_mt>();
  return fanout;
}

std::vector<spdlog::sink_ptr>& Sinks() {
  if (g_sinks.empty()) {
    g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    g_sinks.push_back(Fanout());
  }
  return g_sinks;
}

}  // namespace

void SetupLogging(const LogOptions& options) {
  std::lock_guard lock(g_mutex);
  g_sinks.clear();
  if (options.use_syslog) {
    g_sinks.push_back(std::make_shared<spdlog::sinks::syslog_sink_mt>(
        options.program, 0, LOG_DAEMON, false));
  } else {
    g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  }
  g_sinks.push_back(Fanout());
  g_level = options.debug_level >= 2   ? spdlog::level::trace
            : options.debug_level >= 1 ? spdlog::level::debug
                                       : spdlog::level::info;
  spdlog::drop_all();
  auto main = std::make_shared<spdlog::logger>(options.program, g_sinks.begin(), g_sinks.end());
  main->set_level(g_level);
  spdlog::set_default_logger(main);
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] %l: %v");
}

std::shared_ptr<spdlog::logger> Logger(const std::string& component) {
  std::lock_guard lock(g_mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto& sinks = Sinks();
  auto logger = std::make_shared<spdlog::logger>(component, sinks.begin(), sinks.end());
  logger->set_level(g_level);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] %l: %v");
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace mog

namespace mog {

void AddLogSink(std::shared_ptr<spdlog::sinks::sink> sink) {
  for (const auto& existing : Fanout()->sinks()) {
    if (existing == sink) return;
  }
  Fanout()->add_sink(std::move(sink));
}

}  // namespace mog
