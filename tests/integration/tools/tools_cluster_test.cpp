// End to end with the real binaries: LocalCluster (MariaDB + mogdbsetup + mogilefsd + two
// mogstored) administered and used only through our tools, as in the seed walkthrough.
#ifdef MOG_HAVE_LOCAL_CLUSTER

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <random>
#include <regex>

#include "tests/integration/tools/tool_runner.h"
#include "tests/support/cluster.h"
#include "client/http_transfer.h"

namespace mog::test {
namespace {

class ToolsClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalClusterOptions options;
    options.register_nodes = false;  // mogadm does it
    cluster_ = std::make_unique<LocalCluster>(options);
    trackers_ = "--trackers=" + cluster_->tracker_ip() + ":" + std::to_string(cluster_->tracker_port());
  }
  void TearDown() override {
    if (HasFailure() && cluster_) std::cerr << cluster_->Logs();
  }

  ToolRun Adm(std::vector<std::string> args) {
    args.insert(args.begin(), trackers_);
    return RunTool("mogadm", args);
  }
  ToolRun Tool(const std::string& tool, std::vector<std::string> args) {
    args.insert(args.begin(), {trackers_, "--domain=img"});
    return RunTool(tool, args);
  }

  // The walkthrough's set-up: two hosts with one device each, domain img, class along (2).
  void SetUpWalkthrough() {
    auto& nodes = cluster_->nodes();
    ASSERT_EQ(nodes.size(), 2u);
    for (const auto& node : nodes) {
      auto add = Adm({"host", "add", node.hostname, "--ip=" + node.ip,
                      "--port=" + std::to_string(node.http_port), "--status=alive"});
      ASSERT_EQ(add.code, 0) << add.out << add.err;
      EXPECT_EQ(add.out + add.err, "");
    }
    for (const auto& node : nodes) {
      auto dev = Adm({"device", "add", node.hostname, std::to_string(node.devids.at(0))});
      ASSERT_EQ(dev.code, 0) << dev.out << dev.err;
    }
    ASSERT_TRUE(cluster_->WaitAllWriteable()) << cluster_->Logs();
    auto domain = Adm({"--verbose", "domain", "add", "img"});
    ASSERT_EQ(domain.code, 0) << domain.err;
    EXPECT_EQ(domain.out, "Domain created.\n");
    auto klass = Adm({"class", "add", "img", "along", "--mindevcount=2"});
    ASSERT_EQ(klass.code, 0) << klass.err;
  }

  std::unique_ptr<LocalCluster> cluster_;
  std::string trackers_;
  TempDir dir_{"toolscluster"};
};

std::string RandomBytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::mt19937 rng(seed);
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string Get(const std::string& url, int* status) {
  std::string body;
  auto got = client::HttpGet(url, [&](const char* d, size_t n) {
    body.append(d, n);
    return true;
  });
  *status = got.status;
  return body;
}

TEST_F(ToolsClusterTest, SeedWalkthrough) {
  SetUpWalkthrough();
  auto check = Adm({"check"});
  ASSERT_EQ(check.code, 0) << check.out << check.err;
  const std::string tracker = cluster_->tracker_ip() + ":" + std::to_string(cluster_->tracker_port());
  const std::string head =
      "Checking trackers...\n  " + tracker + " ... OK\n\nChecking hosts...\n  [ 1] node1 ... OK\n";
  EXPECT_EQ(check.out.substr(0, head.size()), head);
  EXPECT_NE(check.out.find("  [ 2] node2 ... OK\n\nChecking devices...\n"), std::string::npos)
      << check.out;
  const std::regex device_row(R"(  \[ [12]\] dev[12]    +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+%  writeable +\S+\n)");
  EXPECT_EQ(std::distance(std::sregex_iterator(check.out.begin(), check.out.end(), device_row),
                          std::sregex_iterator()),
            2)
      << check.out;

  auto hosts = Adm({"host", "list"});
  EXPECT_EQ(hosts.code, 0);
  EXPECT_EQ(hosts.out.substr(0, 18), "node1 [1]: alive\n ");
  auto classes = Adm({"class", "list"});
  EXPECT_NE(classes.out.find(" img                  along                     2        "),
            std::string::npos)
      << classes.out;

  const std::string payload = RandomBytes(200000, 1);
  const std::string in = dir_.Sub("test.bin");
  WriteFile(in, payload);
  auto up = Tool("mogupload", {"--key=test", "--file=" + in, "--class=along"});
  ASSERT_EQ(up.code, 0) << up.err;
  EXPECT_EQ(up.out + up.err, "");

  auto info = Tool("mogfileinfo", {"--key=test"});
  ASSERT_EQ(info.code, 0) << info.err;
  const std::regex shape(
      "- file: test\n"
      "     class:                along\n"
      "  devcount:                    [12]\n"
      "    domain:                  img\n"
      "       fid:   +[0-9]+\n"
      "       key:                 test\n"
      "    length:               200000\n"
      "( - http://127\\.0\\.0\\.[23]:[0-9]+/dev[12]/0/000/000/[0-9]{10}\\.fid\n)+");
  EXPECT_TRUE(std::regex_match(info.out, shape)) << info.out;
  const std::string url = info.out.substr(info.out.find(" - http://") + 3,
                                          info.out.find(".fid\n") + 4 - info.out.find(" - http://") - 3);
  int status = 0;
  EXPECT_TRUE(Get(url, &status) == payload) << url;
  EXPECT_EQ(status, 200);

  auto keys = Tool("moglistkeys", {});
  EXPECT_EQ(keys.out, "test\n");

  auto del = Tool("mogdelete", {"--key=test"});
  EXPECT_EQ(del.code, 0) << del.err;
  EXPECT_EQ(del.out + del.err, "");
  auto gone = Tool("mogfileinfo", {"--key=test"});
  EXPECT_NE(gone.code, 0);
  EXPECT_EQ(gone.err,
            "Error fetching file info: unknown_key: no file with key 'test' in domain 'img'\n");
  auto again = Tool("mogdelete", {"--key=test"});
  EXPECT_NE(again.code, 0);
  EXPECT_EQ(again.err,
            "Error deleting file: unknown_key: no file with key 'test' in domain 'img'\n");
}

TEST_F(ToolsClusterTest, ReplicaGoneMogfetchReadsTheOther) {
  SetUpWalkthrough();
  const std::string payload = RandomBytes(1 << 20, 2);
  const std::string in = dir_.Sub("r.bin");
  WriteFile(in, payload);
  ASSERT_EQ(Tool("mogupload", {"--key=r", "--file=" + in, "--class=along"}).code, 0);
  auto info = Tool("mogfileinfo", {"--key=r"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info.out, m, std::regex(R"(fid: +([0-9]+)\n)"))) << info.out;
  const std::string fid = m[1].str();
  ASSERT_TRUE(std::regex_search(info.out, m, std::regex(R"(/dev([12])/(\S+\.fid))"))) << info.out;
  const int first = std::stoi(m[1].str());
  const std::string relative = m[2].str();
  auto& nodes = cluster_->nodes();
  const StorageNode& holder = nodes[first - 1];
  const StorageNode& other = nodes[2 - first];
  const int other_dev = 3 - first;
  // The second copy is made by hand (file on the other node + file_on row), so this test is
  // about mogfetch's failover between real replicas, not about the replication worker.
  std::string dir = other.docroot + "/dev" + std::to_string(other_dev);
  for (size_t pos = relative.find('/'); pos != std::string::npos; pos = relative.find('/', pos + 1)) {
    ::mkdir((dir + "/" + relative.substr(0, pos)).c_str(), 0755);
  }
  WriteFile(dir + "/" + relative, payload);
  cluster_->db().Exec("INSERT IGNORE INTO file_on (fid, devid) VALUES (" + fid + ", " +
                          std::to_string(other_dev) + ")",
                      cluster_->database());
  cluster_->db().Exec("UPDATE file SET devcount=2 WHERE fid=" + fid, cluster_->database());
  ASSERT_TRUE(WaitUntil([&] {
    auto i = Tool("mogfileinfo", {"--key=r"});
    return i.out.find("/dev1/") != std::string::npos && i.out.find("/dev2/") != std::string::npos;
  }, std::chrono::seconds(10)));

  // Remove the uploaded copy behind the tracker's back.
  const std::string copy = holder.docroot + "/dev" + std::to_string(first) + "/" + relative;
  ASSERT_EQ(::unlink(copy.c_str()), 0) << copy;

  const std::string out = dir_.Sub("r.out");
  for (int attempt = 0; attempt < 4; ++attempt) {  // path order is random; see both orders
    auto fetch = Tool("mogfetch", {"--key=r", "--file=" + out});
    EXPECT_TRUE(ReadFileOrEmpty(out) == payload);
    // Upstream exits 1 whenever any path failed, even if a later one succeeded.
    if (fetch.code != 0) {
      EXPECT_EQ(fetch.code, 1);
      EXPECT_EQ(fetch.err, "Got errors while trying to fetch:\n404 Not Found\n");
    } else {
      EXPECT_EQ(fetch.err, "");
    }
  }
}

TEST_F(ToolsClusterTest, AdminErrorsAndListings) {
  SetUpWalkthrough();
  auto dup = Adm({"domain", "add", "img"});
  EXPECT_EQ(dup.code, 1);
  EXPECT_EQ(dup.err.substr(0, 36), "Error creating domain: domain_exists") << dup.err;
  auto nohost = Adm({"device", "add", "nosuchhost", "9"});
  EXPECT_EQ(nohost.code, 1);
  EXPECT_EQ(nohost.err.substr(0, 20), "Error adding device:") << nohost.err;
  auto devs = Adm({"device", "list"});
  EXPECT_EQ(devs.code, 0);
  EXPECT_NE(devs.out.find("   dev1:   alive "), std::string::npos) << devs.out;
  auto next = Adm({"device", "next"});
  EXPECT_EQ(next.out, "3\n");
  auto settings = Adm({"settings", "list"});
  EXPECT_EQ(settings.code, 0) << settings.err;
  auto unknown_domain = RunTool("mogupload", {trackers_, "--domain=nodomain", "--key=k",
                                              "--file=/etc/hostname"});
  EXPECT_NE(unknown_domain.code, 0);
  EXPECT_EQ(unknown_domain.err,
            "Error opening MogileFS file: unreg_domain: domain 'nodomain' does not exist (mogadm "
            "domain list shows the domains)\n");

  // Each tracker error names the thing and what is valid (upstream: "unreg_class
  // unreg_class", "not_writable not_writable", "bad_params ... please see documentation",
  // "dup Duplicate name/number used.").
  auto klass = Tool("mogupload", {"--key=k", "--file=/etc/hostname", "--class=nope"});
  EXPECT_NE(klass.code, 0);
  EXPECT_EQ(klass.err,
            "Error opening MogileFS file: unreg_class: class 'nope' does not exist in domain "
            "'img' (mogadm class list shows the classes)\n");
  auto setting = Adm({"settings", "set", "no_such_setting", "1"});
  EXPECT_EQ(setting.code, 1);
  EXPECT_EQ(setting.err.find("not_writable: server setting 'no_such_setting' cannot be set; "
                             "writable settings: case_sensitive_list_keys, "),
            0u)
      << setting.err;
  auto state = Adm({"device", "mark", "node1", "1", "sleepy"});
  EXPECT_NE(state.code, 0);
  EXPECT_NE(state.err.find("valid device states: alive, dead, down, drain, readonly"),
            std::string::npos)
      << state.err;
  auto dup_ip = Adm({"host", "add", "node9", "--ip=" + cluster_->nodes()[0].ip});
  EXPECT_EQ(dup_ip.code, 1);
  EXPECT_EQ(dup_ip.err.find("Failure creating host: dup: another host already has the name "
                            "'node9' or the IP address '" +
                            cluster_->nodes()[0].ip + "'"),
            0u)
      << dup_ip.err;

  // moglistfids / mogrename / mogfiledebug on a stored file.
  const std::string in = dir_.Sub("f.bin");
  WriteFile(in, "hello\n");
  ASSERT_EQ(Tool("mogupload", {"--key=a", "--file=" + in}).code, 0);
  auto ren = Tool("mogrename", {"--old_key=a", "--new_key=b"});
  EXPECT_EQ(ren.code, 0) << ren.err;
  auto fids = RunTool("moglistfids", {trackers_});
  EXPECT_EQ(fids.code, 0) << fids.err;
  EXPECT_TRUE(std::regex_match(fids.out, std::regex("fid [0-9]+\nclass default\ndevcount [12]\n"
                                                    "domain img\nkey b\nlength 6\n\n")))
      << fids.out;
  auto debug = Tool("mogfiledebug", {"--key=b"});
  EXPECT_EQ(debug.code, 0) << debug.err;
  EXPECT_EQ(debug.out.substr(0, 30), "Fetching and summing paths...\n") << debug.out;
  EXPECT_NE(debug.out.find(" - MD5 Hash: b1946ac92492d2347c6235b4d2611184\n"), std::string::npos)
      << debug.out;
  EXPECT_NE(debug.out.find("\n- File Row:\n"), std::string::npos);

  auto stats = RunTool("mogstats", {"--db_dsn=" + cluster_->dsn(),
                                    std::string("--db_user=") + MariaDbServer::kUser,
                                    std::string("--db_pass=") + MariaDbServer::kPassword,
                                    "--stats=files,fids"});
  EXPECT_EQ(stats.code, 0) << stats.err;
  EXPECT_NE(stats.out.find("  img                  default             1           0             0\n"),
            std::string::npos)
      << stats.out;
}

}  // namespace
}  // namespace mog::test

#endif  // MOG_HAVE_LOCAL_CLUSTER
