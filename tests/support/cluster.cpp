#include "tests/support/cluster.h"

#include <sys/stat.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace mog::test {
namespace {

void MakeDir(const std::string& path) { ::mkdir(path.c_str(), 0755); }

// A port free on every given IP (the side channel shares one port across nodes because the
// tracker knows only one mogstored_stream_port).
uint16_t PortFreeOnAll(const std::vector<std::string>& ips) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const uint16_t port = FreePort(ips.front());
    bool all = true;
    for (const auto& ip : ips) all = all && !CanConnect(ip, port) && FreePort(ip) != 0;
    if (all) return port;
  }
  throw std::runtime_error("no common free port on the node IPs");
}

}  // namespace

LocalCluster::LocalCluster(LocalClusterOptions options)
    : options_(std::move(options)), dir_("mogcluster") {
  db_ = &MariaDbServer::Shared();
  database_ = db_->UniqueDatabaseName("cluster");
  dsn_ = db_->CreateDatabaseWithMogdbsetup(database_);
  std::vector<std::string> ips;
  for (int i = 0; i < options_.storage_nodes; ++i) ips.push_back("127.0.0." + std::to_string(i + 2));
  if (ips.empty()) ips.push_back("127.0.0.2");
  side_port_ = PortFreeOnAll(ips);
  tracker_port_ = FreePort(tracker_ip_);  // known before the nodes (their web listeners)
  StartNodes();
  StartTracker();
  if (options_.register_nodes && options_.storage_nodes > 0) {
    RegisterNodes();
    if (!WaitAllWriteable()) {
      throw std::runtime_error("devices never became writeable\n" + Logs());
    }
  }
}

LocalCluster::~LocalCluster() {
  conn_.reset();
  if (tracker_) tracker_->Stop();
  for (auto& n : nodes_) {
    if (n.process) n.process->Stop();
  }
}

void LocalCluster::StartNodes() {
  uint32_t next_devid = 1;
  for (int i = 0; i < options_.storage_nodes; ++i) {
    StorageNode node;
    node.hostname = "node" + std::to_string(i + 1);
    node.ip = "127.0.0." + std::to_string(i + 2);
    node.http_port = FreePort(node.ip);
    if (options_.web_listener) node.web_port = FreePort(node.ip);
    node.docroot = dir_.Sub(node.hostname);
    MakeDir(node.docroot);
    for (int d = 0; d < options_.devices_per_node; ++d) {
      node.devids.push_back(next_devid);
      MakeDir(node.docroot + "/dev" + std::to_string(next_devid));
      ++next_devid;
    }
    SpawnNode(node);
    nodes_.push_back(std::move(node));
  }
}

void LocalCluster::SpawnNode(StorageNode& node) {
  std::vector<std::string> argv{BinPath("mogstored"), "--skipconfig", "--docroot=" + node.docroot,
                                "--httplisten=" + node.ip + ":" + std::to_string(node.http_port),
                                "--mgmtlisten=" + node.ip + ":" + std::to_string(side_port_)};
  if (options_.web_listener) {
    argv.push_back("--weblisten=" + node.ip + ":" + std::to_string(node.web_port));
    argv.push_back("--trackers=" + tracker_ip_ + ":" + std::to_string(tracker_port_));
  }
  argv.insert(argv.end(), options_.storage_args.begin(), options_.storage_args.end());
  node.process = std::make_unique<ChildProcess>(argv, dir_.Sub(node.hostname + ".log"));
  if (!WaitForPort(node.ip, node.http_port, std::chrono::seconds(15))) {
    throw std::runtime_error("mogstored on " + node.ip + " did not start\n" +
                             node.process->Log());
  }
}

void LocalCluster::KillNode(size_t i) {
  auto& process = nodes_.at(i).process;
  if (!process) return;
  process->Signal(SIGKILL);
  process->WaitExit(std::chrono::seconds(10));
  process.reset();
}

void LocalCluster::RestartNode(size_t i) {
  StorageNode& node = nodes_.at(i);
  if (node.process) node.process->Stop();
  SpawnNode(node);
}

std::string LocalCluster::WriteTrackerConfig() {
  const std::string path = dir_.Sub("mogilefsd.conf");
  std::ofstream out(path);
  out << "db_dsn = " << dsn_ << "\n"
      << "db_user = " << MariaDbServer::kUser << "\n"
      << "db_pass = " << MariaDbServer::kPassword << "\n"
      << "listen = " << tracker_ip_ << ":" << tracker_port_ << "\n"
      << "user = root\n"
      << "query_jobs = 4\n"
      << "mogstored_stream_port = " << side_port_ << "\n";
  for (const auto& line : options_.tracker_config) out << line << "\n";
  return path;
}

void LocalCluster::StartTracker() {
  conn_.reset();
  if (tracker_port_ == 0) tracker_port_ = FreePort(tracker_ip_);
  std::vector<std::string> argv = {BinPath("mogilefsd"), "-c", WriteTrackerConfig()};
  argv.insert(argv.end(), options_.tracker_args.begin(), options_.tracker_args.end());
  tracker_ = std::make_unique<ChildProcess>(argv, dir_.Sub("mogilefsd.log"), options_.tracker_env);
  const bool up = WaitUntil(
      [&] { return CanConnect(tracker_ip_, tracker_port_) || !tracker_->Running(); },
      std::chrono::seconds(30));
  if (!up || !tracker_->Running()) {
    throw std::runtime_error("mogilefsd did not start\n" + tracker_->Log());
  }
}

void LocalCluster::KillTracker() {
  conn_.reset();
  if (!tracker_) return;
  tracker_->Signal(SIGKILL);
  tracker_->WaitExit(std::chrono::seconds(10));
}

void LocalCluster::StopTracker() {
  conn_.reset();
  if (tracker_) tracker_->Stop();
}

std::string LocalCluster::Send(const std::string& line) {
  if (!conn_ || !conn_->connected()) {
    conn_ = std::make_unique<TcpClient>(tracker_ip_, tracker_port_, std::chrono::seconds(20));
  }
  if (!conn_->Send(line + "\r\n")) {
    conn_.reset();
    return "";
  }
  std::string reply = conn_->ReadLine();
  if (reply.empty() || reply.back() != '\n') conn_.reset();
  return reply;
}

Reply LocalCluster::Call(const std::string& verb, const ArgList& args) {
  std::string req = EncodeRequest(verb, args);
  req.resize(req.size() - 2);  // Send adds the terminator
  return ParseReply(Send(req));
}

void LocalCluster::RegisterNodes() {
  for (const auto& n : nodes_) {
    Reply r = Call("create_host", {{"host", n.hostname},
                                   {"ip", n.ip},
                                   {"port", std::to_string(n.http_port)},
                                   {"status", "alive"}});
    if (!r.ok) throw std::runtime_error("create_host failed: " + r.errcode + " " + r.errstr);
    for (uint32_t devid : n.devids) {
      Reply d = Call("create_device", {{"hostname", n.hostname},
                                       {"devid", std::to_string(devid)},
                                       {"state", "alive"}});
      if (!d.ok) throw std::runtime_error("create_device failed: " + d.errcode + " " + d.errstr);
    }
  }
}

bool LocalCluster::WaitAllWriteable(std::chrono::milliseconds timeout) {
  size_t expected = 0;
  for (const auto& n : nodes_) expected += n.devids.size();
  return WaitUntil(
      [&] {
        Reply r = Call("get_devices", {});
        if (!r.ok) return false;
        size_t writeable = 0;
        const int count = std::atoi(r.args.Get("devices").c_str());
        for (int i = 1; i <= count; ++i) {
          if (r.args.Get("dev" + std::to_string(i) + "_observed_state") == "writeable") {
            ++writeable;
          }
        }
        if (writeable >= expected) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        return false;
      },
      timeout);
}

std::string LocalCluster::Logs() const {
  std::string out = "=== mogilefsd log ===\n";
  if (tracker_) out += tracker_->Log();
  for (const auto& n : nodes_) {
    out += "\n=== mogstored " + n.hostname + " (" + n.ip + ") log ===\n";
    if (n.process) out += n.process->Log();
  }
  return out;
}

}  // namespace mog::test
