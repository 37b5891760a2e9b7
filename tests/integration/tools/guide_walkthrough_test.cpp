// The set-up guide, line for line (issue 9): its config files written as the guide prints them
// (comments included; only addresses, ports and paths replaced), then its command sequence with
// the real binaries: mogdbsetup against a private MariaDB, mogstored and mogilefsd started from
// those files (mogilefsd daemonizes, as `daemonize = 1` says), mogadm --tracker=..., mogupload /
// mogfileinfo / mogdelete reading `trackers =` from a tools config file, and an HTTP GET of the
// file's URL. Part 2's tracker config reaches the database through `db_dsn =
// DBI:mysql:mogilefs:host=<address>`: the trackers must use TCP to that address, never the
// local socket.
#ifdef MOG_HAVE_LOCAL_CLUSTER

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "tests/integration/tools/tool_runner.h"
#include "tests/support/mariadb.h"
#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/setup_guide.h"
#include "tests/support/temp_dir.h"
#include "client/http_transfer.h"
#include <unistd.h>

namespace mog::test {
namespace {

using guide::ReplaceAll;
using namespace std::chrono_literals;

// The guide's port if nothing answers on it (so the commands read as in the guide), else a
// free one.
uint16_t GuidePort(const std::string& ip, uint16_t port) {
  return CanConnect(ip, port) ? FreePort(ip) : port;
}

bool Alive(pid_t pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  // A daemon's zombie (no reaper in some containers) counts as gone.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

// A storage node started from the guide's mogstored.conf ("0.0.0.0" → the node's address).
struct GuideNode {
  std::string name, ip;
  uint16_t http_port = 0;
  uint32_t devid = 0;
  std::unique_ptr<ChildProcess> process;
};

// A mogilefsd started from a guide config file; it daemonizes, so it is found through its
// pidfile and stopped by pid.
struct DaemonTracker {
  std::string ip;
  uint16_t port = 0;
  std::string conf_path, pidfile;
  pid_t pid = -1;

  std::string address() const { return ip + ":" + std::to_string(port); }

  // Returns "" once it listens, else what went wrong.
  std::string Start() {
    std::vector<std::string> argv = {BinPath("mogilefsd"), "-c", conf_path};
    // The guide runs it as user mogilefs; mogilefsd (as upstream's) refuses root without this.
    if (geteuid() == 0) argv.push_back("--user=root");
    CommandResult launched = RunCommand(argv, 30s);
    if (launched.exit_code != 0) {
      return "mogilefsd -c " + conf_path + " exited " + std::to_string(launched.exit_code) + ": " +
             launched.output;
    }
    const bool up = WaitUntil(
        [&] {
          std::ifstream in(pidfile);
          if (!(in >> pid)) return false;
          return CanConnect(ip, port) || !Alive(pid);
        },
        30s);
    if (!up || !Alive(pid)) {
      return "the daemonized mogilefsd (" + conf_path + ") never listened on " + address() +
             "; it logs to syslog";
    }
    return "";
  }
  void Stop() {
    if (!Alive(pid)) return;
    ::kill(pid, SIGTERM);
    if (!WaitUntil([&] { return !Alive(pid); }, 10s)) ::kill(pid, SIGKILL);
    WaitUntil([&] { return !Alive(pid); }, 5s);
  }
  ~DaemonTracker() { Stop(); }
};

std::string RandomBytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::mt19937 rng(seed);
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

class SetupGuideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = &MariaDbServer::Shared();
    // The guide's database is called mogilefs; each test starts from none.
    db_->Exec("DROP DATABASE IF EXISTS mogilefs");
  }
  void TearDown() override {
    if (HasFailure()) {
      for (auto& node : nodes_) {
        if (node.process) std::cerr << "--- " << node.name << "\n" << node.process->Log();
      }
    }
  }

  // `mogdbsetup --dbhost=... --dbname=mogilefs --dbuser=moguser --dbpass=mogpass`.
  void RunMogdbsetup() {
    CommandResult r = RunCommand(
        {BinPath("mogdbsetup"), "--dbhost=127.0.0.1", "--dbport=" + std::to_string(db_->port()),
         "--dbname=mogilefs", "--dbrootuser=root", "--dbuser=moguser", "--dbpass=mogpass", "--yes"},
        120s);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(db_->QueryValue("SELECT value FROM server_settings WHERE field='schema_version'",
                              "mogilefs"),
              "17");
  }

  // Two storage nodes (the guide's 192.168.30.108 and .109) on 127.0.0.2 and 127.0.0.3, each
  // from the guide's mogstored.conf with its own docroot holding devN.
  void StartStorageNodes() {
    side_port_ = 7501;
    while (CanConnect("127.0.0.2", side_port_) || CanConnect("127.0.0.3", side_port_)) {
      side_port_ = FreePort("127.0.0.2");
    }
    for (int i = 0; i < 2; ++i) {
      GuideNode node;
      node.name = "node" + std::to_string(i + 1);
      node.ip = "127.0.0." + std::to_string(i + 2);
      node.http_port = GuidePort(node.ip, 7500);
      node.devid = static_cast<uint32_t>(i + 1);
      const std::string docroot = dir_.Sub(node.name + "/mogdata");
      std::filesystem::create_directories(docroot + "/dev" + std::to_string(node.devid));
      std::string conf = std::string(guide::kPart1StorageConf);
      conf = ReplaceAll(conf, "0.0.0.0:7500", node.ip + ":" + std::to_string(node.http_port));
      conf = ReplaceAll(conf, "0.0.0.0:7501", node.ip + ":" + std::to_string(side_port_));
      conf = ReplaceAll(conf, "/data/mogdata", docroot);
      const std::string conf_path = dir_.Sub(node.name + "/mogstored.conf");
      WriteFile(conf_path, conf);
      node.process = std::make_unique<ChildProcess>(
          std::vector<std::string>{BinPath("mogstored"), "--config=" + conf_path},
          dir_.Sub(node.name + "/mogstored.log"));
      ASSERT_TRUE(WaitForPort(node.ip, node.http_port, 15s)) << node.process->Log();
      nodes_.push_back(std::move(node));
    }
  }

  // A tracker config from one of the guide's texts: `listen` on `ip`, the database reached as
  // `db_host` (the DSN's host=<...> gets the private server's port), pidfile in the temp dir.
  std::unique_ptr<DaemonTracker> MakeTracker(std::string_view text, const std::string& guide_ip,
                                             const std::string& ip, const std::string& guide_db,
                                             const std::string& name) {
    auto t = std::make_unique<DaemonTracker>();
    t->ip = ip;
    t->port = GuidePort(ip, 7001);
    t->pidfile = dir_.Sub(name + ".pid");
    t->conf_path = dir_.Sub(name + ".conf");
    std::string conf(text);
    conf = ReplaceAll(conf, guide_ip + ":7001", t->address());
    conf =
        ReplaceAll(conf, "host=" + guide_db, "host=127.0.0.1;port=" + std::to_string(db_->port()));
    conf = ReplaceAll(conf, "/var/run/mogilefsd/mogilefsd.pid", t->pidfile);
    // Only when the guide's 7501 was taken: the tracker must know the side-channel port.
    if (side_port_ != 7501) conf += "mogstored_stream_port = " + std::to_string(side_port_) + "\n";
    WriteFile(t->conf_path, conf);
    return t;
  }

  // The tools' config file (/etc/mogilefs/mogilefs.conf in the guide), given with --conf.
  std::string WriteToolsConf(const std::string& trackers) {
    const std::string path = dir_.Sub("mogilefs.conf");
    WriteFile(path, ReplaceAll(std::string(guide::kToolsConf), "192.168.30.107:7001", trackers));
    return path;
  }

  ToolRun Adm(const std::string& tracker, std::vector<std::string> args) {
    args.insert(args.begin(), "--tracker=" + tracker);
    return RunTool("mogadm", args);
  }

  // mogadm host add / check / host list / host modify / device add / device list / domain add
  // / class add, as the guide runs them; returns once both devices are writeable.
  void AdministerAsTheGuide(const std::string& tracker) {
    for (const auto& node : nodes_) {
      auto add = Adm(tracker, {"host", "add", node.name, "--ip=" + node.ip,
                               "--port=" + std::to_string(node.http_port), "--status=alive"});
      ASSERT_EQ(add.code, 0) << add.out << add.err;
    }
    auto hosts = Adm(tracker, {"host", "list"});
    ASSERT_EQ(hosts.code, 0) << hosts.err;
    EXPECT_NE(hosts.out.find("node1 [1]: alive"), std::string::npos) << hosts.out;
    EXPECT_NE(hosts.out.find("node2 [2]: alive"), std::string::npos) << hosts.out;
    auto modify = Adm(tracker, {"host", "modify", "node1", "--ip=" + nodes_[0].ip,
                                "--port=" + std::to_string(nodes_[0].http_port), "--status=alive"});
    ASSERT_EQ(modify.code, 0) << modify.out << modify.err;
    for (const auto& node : nodes_) {
      auto dev = Adm(tracker, {"device", "add", node.name, std::to_string(node.devid)});
      ASSERT_EQ(dev.code, 0) << dev.out << dev.err;
    }
    auto devices = Adm(tracker, {"device", "list"});
    ASSERT_EQ(devices.code, 0) << devices.err;
    EXPECT_NE(devices.out.find("dev1"), std::string::npos) << devices.out;
    EXPECT_NE(devices.out.find("dev2"), std::string::npos) << devices.out;
    // The monitor needs a round or two before the devices are writeable.
    ToolRun check;
    const auto deadline = std::chrono::steady_clock::now() + 40s;
    do {
      check = Adm(tracker, {"check"});
      const std::string& o = check.out;
      size_t writeable = 0;
      for (size_t p = o.find("writeable"); p != std::string::npos; p = o.find("writeable", p + 1)) {
        ++writeable;
      }
      if (check.code == 0 && writeable == 2) break;
      std::this_thread::sleep_for(300ms);
    } while (std::chrono::steady_clock::now() < deadline);
    ASSERT_EQ(check.code, 0) << check.out << check.err;
    EXPECT_NE(check.out.find(tracker + " ... OK"), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("[ 1] node1 ... OK"), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("[ 2] node2 ... OK"), std::string::npos) << check.out;
    auto domain = Adm(tracker, {"domain", "add", "img"});
    ASSERT_EQ(domain.code, 0) << domain.out << domain.err;
    auto klass = Adm(tracker, {"class", "add", "img", "along", "--mindevcount=3"});
    ASSERT_EQ(klass.code, 0) << klass.out << klass.err;
    auto classes = Adm(tracker, {"class", "list"});
    EXPECT_NE(classes.out.find(" img                  along                     3        "),
              std::string::npos)
        << classes.out;
  }

  // mogupload → mogfileinfo → HTTP GET of the fid URL → mogdelete, trackers from `tools_conf`.
  void UploadFetchDelete(const std::string& tools_conf) {
    const std::string conf = "--conf=" + tools_conf;
    const std::string payload = "\xFF\xD8\xFF\xE0" + RandomBytes(150000, 9) + "\xFF\xD9";
    const std::string file = dir_.Sub("along.jpg");
    WriteFile(file, payload);
    auto up = RunTool("mogupload", {conf, "--domain=img", "--key=test", "--file=" + file});
    ASSERT_EQ(up.code, 0) << up.out << up.err;
    EXPECT_EQ(up.out + up.err, "");

    auto info = RunTool("mogfileinfo", {conf, "--domain=img", "--key=test"});
    ASSERT_EQ(info.code, 0) << info.err;
    EXPECT_NE(info.out.find("- file: test\n"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("length:               150006\n"), std::string::npos) << info.out;
    std::smatch url;
    const std::regex kUrl(R"(http://127\.0\.0\.[23]:[0-9]+/dev[12]/0/000/000/[0-9]{10}\.fid)");
    ASSERT_TRUE(std::regex_search(info.out, url, kUrl)) << info.out;
    std::string body;
    auto got = client::HttpGet(url.str(), [&](const char* d, size_t n) {
      body.append(d, n);
      return true;
    });
    EXPECT_EQ(got.status, 200) << url.str();
    EXPECT_TRUE(body == payload) << url.str() << ": " << body.size() << " bytes";

    auto del = RunTool("mogdelete", {conf, "--domain=img", "--key=test"});
    EXPECT_EQ(del.code, 0) << del.out << del.err;
    auto gone = RunTool("mogfileinfo", {conf, "--domain=img", "--key=test"});
    EXPECT_NE(gone.code, 0) << gone.out;
  }

  // Every connection of the trackers' user is TCP from 127.0.0.1 ("127.0.0.1:<port>" in the
  // process list; a socket connection shows as "localhost").
  void ExpectTrackersOnTcp(size_t at_least) {
    auto rows =
        db_->Query("SELECT host FROM information_schema.processlist WHERE user = 'moguser'");
    EXPECT_GE(rows.size(), at_least);
    for (const auto& row : rows) {
      ASSERT_FALSE(row.empty());
      EXPECT_EQ(row[0].rfind("127.0.0.1:", 0), 0u) << "connection from " << row[0];
    }
  }

  MariaDbServer* db_ = nullptr;
  TempDir dir_{"setupguide"};
  uint16_t side_port_ = 7501;
  std::vector<GuideNode> nodes_;
};

TEST_F(SetupGuideTest, Part1OneTrackerTwoStorageNodesVerbatim) {
  RunMogdbsetup();
  if (HasFatalFailure()) return;
  StartStorageNodes();
  if (HasFatalFailure()) return;
  auto tracker = MakeTracker(guide::kPart1TrackerConf, "192.168.30.107", "127.0.0.4", "127.0.0.1",
                             "mogilefsd");
  // The file really carries the guide's comments and its DSN form.
  const std::string written = ReadFileOrEmpty(tracker->conf_path);
  EXPECT_NE(written.find("query_jobs = 10   #启动多少个查询工作线程\n"), std::string::npos);
  EXPECT_NE(written.find("db_dsn = DBI:mysql:mogilefs:host=127.0.0.1;port="), std::string::npos);
  ASSERT_EQ(tracker->Start(), "");

  AdministerAsTheGuide(tracker->address());
  if (HasFatalFailure()) return;
  UploadFetchDelete(WriteToolsConf(tracker->address()));
  ExpectTrackersOnTcp(1);

  // mogstats reads the same DSN form (its own usage example is DBI:mysql:mfs:host=mfshost).
  auto stats = RunTool(
      "mogstats", {"--db_dsn=DBI:mysql:mogilefs:host=127.0.0.1;port=" + std::to_string(db_->port()),
                   "--db_user=moguser", "--db_pass=mogpass", "--stats=domains"});
  EXPECT_EQ(stats.code, 0) << stats.out << stats.err;
  EXPECT_NE(stats.out.find("Statistics for domains...\n"), std::string::npos) << stats.out;
}

TEST_F(SetupGuideTest, Part2TrackerOnEveryNodeReachesTheDatabaseOverTcp) {
  RunMogdbsetup();
  if (HasFatalFailure()) return;
  StartStorageNodes();
  if (HasFatalFailure()) return;
  // The guide's VIP 192.168.30.100 is the private server's 127.0.0.1:<port>: not the local
  // socket's server (that one lives on a socket in a temp dir).
  std::vector<std::unique_ptr<DaemonTracker>> trackers;
  for (int i = 0; i < 2; ++i) {
    const std::string guide_ip = "192.168.30.10" + std::to_string(8 + i);
    std::string text =
        ReplaceAll(std::string(guide::kPart2TrackerConf), "192.168.30.108", guide_ip);
    trackers.push_back(
        MakeTracker(text, guide_ip, nodes_[i].ip, "192.168.30.100", "mogilefsd-" + nodes_[i].name));
    EXPECT_NE(ReadFileOrEmpty(trackers.back()->conf_path)
                  .find("db_dsn = DBI:mysql:mogilefs:host=127.0.0.1;port="),
              std::string::npos);
    ASSERT_EQ(trackers.back()->Start(), "");
  }
  const std::string both = trackers[0]->address() + "," + trackers[1]->address();
  AdministerAsTheGuide(trackers[0]->address());
  if (HasFatalFailure()) return;
  // The other tracker learns the changes from the shared database (its cache is refreshed
  // every few seconds) and checks the devices itself.
  ToolRun check, domains;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  do {
    check = Adm(trackers[1]->address(), {"check"});
    domains = Adm(trackers[1]->address(), {"domain", "list"});
    if (check.code == 0 && check.out.find("[ 2] node2 ... OK") != std::string::npos &&
        domains.out.find(" img ") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(300ms);
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_NE(domains.out.find(" img "), std::string::npos) << domains.out;
  check = Adm(both, {"check"});
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find(trackers[0]->address() + " ... OK"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find(trackers[1]->address() + " ... OK"), std::string::npos) << check.out;
  UploadFetchDelete(WriteToolsConf(both));
  ExpectTrackersOnTcp(2);
  // With one tracker stopped the other carries on alone.
  trackers[0]->Stop();
  auto alone = RunTool("mogfileinfo",
                       {"--trackers=" + trackers[1]->address(), "--domain=img", "--key=none"});
  EXPECT_NE(alone.code, 0);
  EXPECT_NE(alone.err.find("unknown_key"), std::string::npos) << alone.err;
  ExpectTrackersOnTcp(1);
}

// DBD::mysql semantics are kept: host=localhost is the Unix socket, whatever the port says, so
// the private server (which has no default socket) is not reached and the error says so.
TEST_F(SetupGuideTest, LocalhostMeansTheSocketAsUnderDbdMysql) {
  RunMogdbsetup();
  if (HasFatalFailure()) return;
  const std::string dsn = "DBI:mysql:mogilefs:host=localhost;port=" + std::to_string(db_->port()) +
                          ";mysql_socket=" + dir_.Sub("no-such.sock");
  std::vector<std::string> argv = {
      BinPath("mogilefsd"), "--skipconfig",
      "--dsn=" + dsn,       "--dbuser=moguser",
      "--dbpass=mogpass",   "--listen=127.0.0.4:" + std::to_string(FreePort("127.0.0.4"))};
  if (geteuid() == 0) argv.push_back("--user=root");
  CommandResult r = RunCommand(argv, 30s);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("localhost through socket " + dir_.Sub("no-such.sock")),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace mog::test

#endif  // MOG_HAVE_LOCAL_CLUSTER
