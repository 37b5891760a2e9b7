// mogstored: MogileFS storage node (HTTP file server + management side channel).
#include <csignal>
#include <cstdio>
#include <iostream>

#include "common/config/config_file.h"
#include "common/daemon/daemon.h"
#include "common/log/logging.h"
#include "storaged/storage_config.h"
#include "storaged/storage_node.h"

int main(int argc, char** argv) {
  using mog::storage::StorageConfig;
  // sendfile(2) to a socket the client closed must return EPIPE, not kill the daemon.
  std::signal(SIGPIPE, SIG_IGN);
  StorageConfig config;
  try {
    auto load = mog::storage::LoadStorageConfig(argc, argv);
    if (load.show_help) {
      std::cout << mog::storage::StorageOptionTable().Help();
      return 0;
    }
    config = load.config;
  } catch (const mog::ConfigError& e) {
    std::cerr << "mogstored: " << e.what() << "\n\n" << mog::storage::StorageOptionTable().Help();
    return 1;
  }

  try {
    if (config.daemonize) {
      // Report unusable addresses on the terminal, before stderr goes to /dev/null.
      if (config.server == "perlbal") {
        mog::storage::ProbeListenAddress(config.http_listen, "httplisten");
      }
      mog::storage::ProbeListenAddress(config.mgmt_listen, "mgmtlisten");
      if (config.web.enabled) mog::storage::ProbeListenAddress(config.web.listen, "weblisten");
      mog::Daemonize();
    }
    mog::SetupLogging({"mogstored", 0, config.daemonize});
    if (!config.config_file.empty()) {
      mog::Logger("mogstored")->info("config file {}", config.config_file);
    }
    mog::storage::StorageNode node(config);
    node.Start();
    if (!config.pidfile.empty()) mog::WritePidFile(config.pidfile);
    if (!config.daemonize) {
      std::cout << "Running." << std::endl;
    }
    int code = node.Run();
    mog::RemovePidFile(config.pidfile);
    return code;
  } catch (const std::exception& e) {
    mog::Logger("mogstored")->error("{}", e.what());
    if (!config.daemonize) std::cerr << "mogstored: " << e.what() << "\n";
    mog::RemovePidFile(config.pidfile);
    return 1;
  }
}
