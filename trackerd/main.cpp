// mogilefsd: the MogileFS tracker. Parses the configuration, checks the database and serves
// the tracker protocol until SIGTERM/SIGINT (or `!shutdown`).
#include <csignal>
#include <iostream>
#include <thread>

#include "common/config/config_file.h"
#include "common/daemon/daemon.h"
#include "common/log/logging.h"
#include "trackerd/tracker.h"
#include "trackerd/tracker_config.h"

int main(int argc, char** argv) {
  using mog::tracker::TrackerConfig;
  TrackerConfig config;
  try {
    config = mog::tracker::LoadTrackerConfig(argc, argv);
  } catch (const mog::ConfigError& e) {
    std::cerr << "mogilefsd: " << e.what() << "\n";
    return 1;
  }
  if (config.show_help) {
    std::cout << mog::tracker::TrackerOptionTable().Help();
    return 0;
  }
  if (config.daemonize) mog::Daemonize();
  mog::SetupLogging({.program = "mogilefsd", .debug_level = config.debug,
                     .use_syslog = config.daemonize});

  // Signals are taken synchronously by this thread; every other thread inherits the mask.
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  mog::tracker::Tracker tracker(config);
  if (auto r = tracker.Start(); !r) {
    mog::Logger("tracker")->error("{}", r.error().message());
    std::cerr << "mogilefsd: " << r.error().message() << "\n";
    return 1;
  }
  if (!config.pidfile.empty()) {
    try {
      mog::WritePidFile(config.pidfile);
    } catch (const mog::ConfigError& e) {
      mog::Logger("tracker")->error("{}", e.what());
      return 1;
    }
  }
  std::thread signal_waiter([&tracker, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    tracker.RequestStop();
  });
  tracker.Wait();
  mog::Logger("tracker")->info("shutting down");
  tracker.Stop();
  if (!config.pidfile.empty()) mog::RemovePidFile(config.pidfile);
  // The waiter may still sit in sigwait (stop came from !shutdown): wake it.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  return 0;
}
