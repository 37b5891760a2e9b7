// A whole MogileFS cluster on loopback for integration tests: a private MariaDB database made
// by the real mogdbsetup, build/bin/mogilefsd on 127.0.0.1:<free port>, and N build/bin/mogstored
// on 127.0.0.2, 127.0.0.3, ... (one host each, `devices_per_node` devices each), registered
// through the tracker protocol and waited on until the Monitor sees every device writeable.
// Everything is stopped when the object dies; Logs() returns every process log for failure
// reports.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/protocol/line_codec.h"
#include "tests/support/mariadb.h"
#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace mog::test {

struct LocalClusterOptions {
  int storage_nodes = 2;
  int devices_per_node = 1;
  // Extra mogilefsd config-file lines ("key = value").
  std::vector<std::string> tracker_config;
  std::vector<std::string> tracker_args;
  std::vector<std::string> tracker_env;  // extra "NAME=value" in mogilefsd's environment
  bool register_nodes = true;  // create hosts/devices and wait until writeable
  // Every mogstored also runs the by-key web listener on <its ip>:<web_port>, asking this
  // cluster's tracker; `storage_args` are extra mogstored options for every node.
  bool web_listener = false;
  std::vector<std::string> storage_args;
};

struct StorageNode {
  std::string hostname;  // "node1", ...
  std::string ip;        // 127.0.0.2, ...
  uint16_t http_port = 0;
  uint16_t web_port = 0;  // with LocalClusterOptions::web_listener
  std::string docroot;
  std::vector<uint32_t> devids;
  std::unique_ptr<ChildProcess> process;
};

class LocalCluster {
 public:
  explicit LocalCluster(LocalClusterOptions options = {});
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  const std::string& tracker_ip() const { return tracker_ip_; }
  uint16_t tracker_port() const { return tracker_port_; }
  uint16_t side_channel_port() const { return side_port_; }
  const std::string& dsn() const { return dsn_; }
  const std::string& database() const { return database_; }
  MariaDbServer& db() { return *db_; }
  std::vector<StorageNode>& nodes() { return nodes_; }
  const std::string& dir() const { return dir_.path(); }

  // One request over the cluster's persistent connection; returns the raw reply line
  // (with "\r\n"), "" on timeout.
  std::string Send(const std::string& line);
  // Encodes, sends and parses.
  Reply Call(const std::string& verb, const ArgList& args);

  // Tracker life cycle (the database and nodes stay).
  void StopTracker();
  void StartTracker();
  ChildProcess& tracker() { return *tracker_; }
  // Crash simulation: SIGKILL (no shutdown, claimed work and open connections left as they
  // are) and a start with the same config file and port, waiting until it listens.
  void KillTracker();
  void RestartTracker() { StartTracker(); }

  // Storage node `i` (index into nodes()): SIGKILL its mogstored / start it again with the
  // same docroot, IPs and ports (waits until HTTP listens; the old log is kept, appended to).
  void KillNode(size_t i);
  void RestartNode(size_t i);

  // Waits until get_devices reports every device writeable (bounded).
  bool WaitAllWriteable(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::string Logs() const;

 private:
  void StartNodes();
  void SpawnNode(StorageNode& node);
  void RegisterNodes();
  std::string WriteTrackerConfig();

  LocalClusterOptions options_;
  TempDir dir_;
  MariaDbServer* db_ = nullptr;
  std::string database_;
  std::string dsn_;
  std::string tracker_ip_ = "127.0.0.1";
  uint16_t tracker_port_ = 0;
  uint16_t side_port_ = 0;
  std::unique_ptr<ChildProcess> tracker_;
  std::vector<StorageNode> nodes_;
  std::unique_ptr<TcpClient> conn_;
};

}  // namespace mog::test
