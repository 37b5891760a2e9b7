// Differential test: our tools and upstream's Perl MogileFS-Utils 2.30 (with
// perl-MogileFS-Client 1.17) run the same commands against the same LocalCluster; stdout,
// stderr and exit status must match after normalising what cannot match (the program path in
// usage lines, Perl's " at <script> line <n>." suffix on die messages, and numbers that move
// between two runs, such as disk usage).
//
// Needs the upstream sources: MOG_UPSTREAM_UTILS=<MogileFS-Utils checkout> and
// MOG_UPSTREAM_CLIENT=<perl-MogileFS-Client checkout> (their lib/ dirs are put on @INC).
// Without them the test is skipped.
#ifdef MOG_HAVE_LOCAL_CLUSTER

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "tests/integration/tools/tool_runner.h"
#include "tests/support/cluster.h"

namespace mog::test {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Lines in sorted order: for reports whose row order upstream takes from a Perl hash.
std::string SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string Normalise(std::string text, bool mask_numbers) {
  text = std::regex_replace(text, std::regex(R"( at \S+ line \d+(, <[^>]+> line \d+)?\.\n)"),
                            "\n");
  text = std::regex_replace(text, std::regex(R"(Usage: \S*/(mog\w+) )"), "Usage: $1 ");
  text = std::regex_replace(text, std::regex(R"((^|\n)/\S*/(mog\w+) )"), "$1$2 ");
  // Usage and I/O% move between two runs (the Monitor may start reporting utilization).
  if (mask_numbers) text = std::regex_replace(text, std::regex(R"( *(\d+(\.\d+)?|N/A))"), " N");
  return text;
}

class ToolsVsUpstreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    utils_ = Env("MOG_UPSTREAM_UTILS");
    client_ = Env("MOG_UPSTREAM_CLIENT");
    if (utils_.empty() || client_.empty()) {
      GTEST_SKIP() << "set MOG_UPSTREAM_UTILS and MOG_UPSTREAM_CLIENT to compare with upstream";
    }
    LocalClusterOptions options;
    options.register_nodes = false;
    cluster_ = std::make_unique<LocalCluster>(options);
    trackers_ = "--trackers=" + cluster_->tracker_ip() + ":" + std::to_string(cluster_->tracker_port());
  }
  void TearDown() override {
    if (HasFailure() && cluster_) std::cerr << cluster_->Logs();
  }

  ToolRun Ours(const std::string& tool, const std::vector<std::string>& args,
               const std::string& in = {}) {
    return RunTool(tool, args, in);
  }
  ToolRun Upstream(const std::string& tool, const std::vector<std::string>& args,
                   const std::string& in = {}) {
    std::vector<std::string> argv = {"/usr/bin/perl", "-I" + client_ + "/lib", "-I" + utils_ + "/lib",
                                     utils_ + "/" + tool};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunArgv(argv, in);
  }
  // Runs both and compares; mutating commands must be idempotent or fail the same way twice.
  void Same(const std::string& tool, const std::vector<std::string>& args, bool mask = false,
            bool unordered = false) {
    ToolRun up = Upstream(tool, args);
    ToolRun ours = Ours(tool, args);
    if (unordered) {
      up.out = SortedLines(up.out);
      ours.out = SortedLines(ours.out);
    }
    std::string shown = tool;
    for (const auto& a : args) shown += " " + a;
    EXPECT_EQ(Normalise(ours.out, mask), Normalise(up.out, mask)) << shown;
    EXPECT_EQ(Normalise(ours.err, mask), Normalise(up.err, mask)) << shown;
    // Perl's die exits with errno when set; compare success/failure and mogadm's exact codes.
    if (tool == "mogadm" || up.code == 0) {
      EXPECT_EQ(ours.code, up.code) << shown;
    } else {
      EXPECT_NE(ours.code, 0) << shown;
    }
  }

  // A deliberate difference (docs/TOOLS.md): upstream exits 0 (or croaks with 255) where we
  // refuse with exit `code` and say why on stderr; both must leave stdout the same.
  void Differs(const std::string& tool, const std::vector<std::string>& args, int code,
               const std::string& our_err_start) {
    ToolRun up = Upstream(tool, args);
    ToolRun ours = Ours(tool, args);
    std::string shown = tool;
    for (const auto& a : args) shown += " " + a;
    EXPECT_EQ(ours.code, code) << shown;
    EXPECT_EQ(ours.err.rfind(our_err_start, 0), 0u) << shown << ": " << ours.err;
    // What we still print on stdout is upstream's (usage and help texts moved to stderr).
    if (!ours.out.empty()) {
      EXPECT_EQ(Normalise(ours.out, false), Normalise(up.out, false)) << shown;
    }
  }

  std::string utils_, client_, trackers_;
  std::unique_ptr<LocalCluster> cluster_;
  TempDir dir_{"toolsdiff"};
};

TEST_F(ToolsVsUpstreamTest, SameOutputOnTheSameCluster) {
  auto& nodes = cluster_->nodes();
  // Hosts and devices: upstream adds node1, we add node2; both print nothing.
  const StorageNode& n1 = nodes.at(0);
  const StorageNode& n2 = nodes.at(1);
  ToolRun a = Upstream("mogadm", {trackers_, "host", "add", n1.hostname, "--ip=" + n1.ip,
                                  "--port=" + std::to_string(n1.http_port), "--status=alive"});
  ToolRun b = Ours("mogadm", {trackers_, "host", "add", n2.hostname, "--ip=" + n2.ip,
                              "--port=" + std::to_string(n2.http_port), "--status=alive"});
  EXPECT_EQ(a.out + a.err, b.out + b.err);
  EXPECT_EQ(a.code, b.code);
  ASSERT_EQ(Upstream("mogadm", {trackers_, "device", "add", n1.hostname, "1"}).code, 0);
  ASSERT_EQ(Ours("mogadm", {trackers_, "device", "add", n2.hostname, "2"}).code, 0);
  ASSERT_TRUE(cluster_->WaitAllWriteable()) << cluster_->Logs();
  ASSERT_EQ(Upstream("mogadm", {trackers_, "domain", "add", "img"}).code, 0);
  ASSERT_EQ(Ours("mogadm", {trackers_, "class", "add", "img", "along", "--mindevcount=2"}).code, 0);

  Same("mogadm", {trackers_, "check"}, /*mask=*/true);
  Same("mogadm", {trackers_, "host", "list"});
  Same("mogadm", {trackers_, "device", "list"}, true);
  Same("mogadm", {trackers_, "device", "list", "--all"}, true);
  Same("mogadm", {trackers_, "device", "summary"}, true);
  Same("mogadm", {trackers_, "device", "next"});
  Same("mogadm", {trackers_, "domain", "list"});
  Same("mogadm", {trackers_, "class", "list"});
  Same("mogadm", {trackers_, "settings", "list"});
  Same("mogadm", {trackers_, "domain", "add", "img"});
  Same("mogadm", {trackers_, "host", "add", n1.hostname, "--ip=" + n1.ip});
  // A usage error: upstream prints it on stdout and exits 1; ours on stderr with exit 2.
  Differs("mogadm", {trackers_, "device", "add", n1.hostname, "x"}, 2,
          "\nERROR: devid should be numeric");
  Same("mogadm", {trackers_, "device", "add", "nosuchhost", "7"});
  Differs("mogadm", {trackers_, "class", "add", "nodomain", "c"}, 1,
          "Error creating class: domain_not_found: domain 'nodomain' does not exist");
  Differs("mogadm", {trackers_, "class", "delete", "img", "nosuchclass"}, 1,
          "Error deleting class: class_not_found: class 'nosuchclass' does not exist");
  Differs("mogadm", {trackers_, "host"}, 0, "");  // the help asked for; upstream exits 1
  Differs("mogadm", {trackers_, "device", "mark", n1.hostname}, 2,
          "\nERROR: Missing argument 'devid'");
  Differs("mogadm", {}, 2, "mogadm: no command given\nUsage:");
  Differs("mogadm", {trackers_, "bogus"}, 2, "mogadm: unknown command 'bogus'\nUsage:");

  const std::string in = dir_.Sub("f.txt");
  WriteFile(in, "hello upstream\n");
  const std::vector<std::string> common = {trackers_, "--domain=img"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = common;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  ASSERT_EQ(Upstream("mogupload", with({"--key=k1", "--file=" + in})).code, 0);
  ASSERT_EQ(Ours("mogupload", with({"--key=k2", "--file=" + in, "--class=along"})).code, 0);
  Same("mogfileinfo", with({"--key=k1"}));
  Same("mogfileinfo", with({"--key=k2"}));
  // Errors that name the key/domain/class (docs/TOOLS.md); upstream: "unknown_key unknown_key".
  Differs("mogfileinfo", with({"--key=nope"}), 255,
          "Error fetching file info: unknown_key: no file with key 'nope' in domain 'img'");
  Same("mogfetch", with({"--key=k1", "--file=-"}));
  Differs("mogfetch", with({"--key=nope", "--file=-"}), 255,
          "Error fetching paths: unknown_key: no file with key 'nope'");
  Same("moglistkeys", with({}));
  // Upstream: "Error listing files: none_match ...", exit 255; an empty listing is no failure.
  EXPECT_EQ(Ours("moglistkeys", with({"--key_prefix=zzz"})).code, 0);
  Same("moglistfids", {trackers_});
  Same("moglistfids", {trackers_, "--fromfid=1", "--count=1"});
  // Queue rows come out in Perl hash order upstream.
  Same("mogfiledebug", with({"--key=k1", "--paths=print"}), false, /*unordered=*/true);
  Differs("mogdelete", with({"--key=nope"}), 255,
          "Error deleting file: unknown_key: no file with key 'nope'");
  Differs("mogrename", with({"--old_key=nope", "--new_key=x"}), 255,
          "Error renaming file (key) from unknown_key: no file with key 'nope'");
  Differs("mogupload", with({"--key=k3"}), 2, "mogupload: --file is required");
  Differs("mogupload", with({"--key=k3", "--file=/nonexistent"}), 2,
          "Could not stat /nonexistent: No such file or directory");
  Differs("mogupload", {trackers_, "--domain=nodomain", "--key=k3", "--file=" + in}, 255,
          "Error opening MogileFS file: unreg_domain: domain 'nodomain' does not exist");
  Same("mogfiledebug", with({"--key=k1", "--paths=stat"}), true, true);
  Same("mogfiledebug", with({"--key=k1"}), true, true);
  Differs("mogfiledebug", with({"--key=k1", "--paths=bogus"}), 2,
          "mogfiledebug: --paths must be print, stat or fetch");
  Same("mogfiledebug", {trackers_, "--fid=1", "--paths=print"}, false, true);

  // Idempotent admin changes and the job commands, whatever the tracker answers.
  Same("mogadm", {trackers_, "host", "mark", n1.hostname, "alive"});
  Same("mogadm", {trackers_, "host", "modify", n1.hostname, "--status=alive"});
  Same("mogadm", {trackers_, "--verbose", "device", "mark", n1.hostname, "1", "alive"});
  Same("mogadm", {trackers_, "device", "modify", n1.hostname, "dev1", "--weight=100"});
  Same("mogadm", {trackers_, "device", "mark", "nosuchhost", "1", "alive"});
  Same("mogadm", {trackers_, "settings", "set", "memcache_servers", "127.0.0.1:11211"});
  Same("mogadm", {trackers_, "settings", "list"});
  Same("mogadm", {trackers_, "slave", "list"});
  Same("mogadm", {trackers_, "fsck", "status"}, true);
  Same("mogadm", {trackers_, "fsck", "printlog"});
  Same("mogadm", {trackers_, "rebalance", "settings"});
  Same("mogadm", {trackers_, "rebalance", "status"});
  Same("mogadm", {trackers_, "rebalance", "test"});
  Same("mogadm", {trackers_, "rebalance", "stop"});
  Same("mogadm", {trackers_, "host", "delete", "nosuchhost"});
  Differs("mogadm", {trackers_, "domain", "delete", "nodomain"}, 1,
          "Error deleting domain: domain_not_found: domain 'nodomain' does not exist");

  const std::vector<std::string> db = {"--db_dsn=" + cluster_->dsn(),
                                       std::string("--db_user=") + MariaDbServer::kUser,
                                       std::string("--db_pass=") + MariaDbServer::kPassword};
  for (const char* stats : {"--stats=all", "--stats=domains"}) {
    std::vector<std::string> args = db;
    args.push_back(stats);
    Same("mogstats", args);
  }
  std::vector<std::string> bogus = db;
  bogus.push_back("--stats=bogus");
  Differs("mogstats", bogus, 2, "ERROR: Invalid stat bogus\n");  // upstream: stdout, exit 1

  // stdin uploads (upstream buffers them; we spool to a temp file) read back the same.
  ToolRun up_in = Upstream("mogupload", with({"--key=s1", "--file=-"}), "piped data\n");
  ToolRun our_in = Ours("mogupload", with({"--key=s2", "--file=-"}), "piped data\n");
  EXPECT_EQ(up_in.code, 0) << up_in.err;
  EXPECT_EQ(our_in.code, 0) << our_in.err;
  EXPECT_EQ(Ours("mogfetch", with({"--key=s1", "--file=-"})).out, "piped data\n");
  EXPECT_EQ(Upstream("mogfetch", with({"--key=s2", "--file=-"})).out, "piped data\n");
  Same("moglistkeys", with({"--key_prefix=s"}));
  Same("mogfetch", with({"--key=s2", "--file=" + dir_.Sub("s2.out")}));

  // Option handling: Getopt complaints, prefixes, --conf, missing domain or trackers.
  Differs("mogfileinfo", with({"--key=k1", "--bogus=1"}), 2, "Unknown option: bogus\nUsage: ");
  Differs("mogfileinfo", with({"--key"}), 2, "Option key requires an argument\nUsage: ");
  Differs("moglistfids", {trackers_, "--count=ten"}, 2, "Value \"ten\" invalid for option count");
  Differs("mogfileinfo", {trackers_, "--key=k1"}, 2, "mogfileinfo: no domain given");
  Differs("mogfileinfo", {"--domain=img", "--key=k1"}, 2, "mogfileinfo: no trackers given");
  // The two copies come in random (weighted) order, from either tracker.
  Same("mogfileinfo", {trackers_, "--dom", "img", "--ke=k1"}, false, true);
  Same("mogfileinfo", {trackers_, "--DOMAIN=img", "--k", "k1"}, false, true);
  Differs("mogupload", {trackers_, "--domain=img", "--c=x"}, 2, "Option c is ambiguous");
  const std::string conf = dir_.Sub("tools.conf");
  // trackers_ is "--trackers=h:p"; the file wants "trackers = h:p".
  WriteFile(conf, "trackers = " + trackers_.substr(11) + " # the cluster\ndomain = img\n");
  Same("mogfileinfo", {"--conf=" + conf, "--key=k1"});
  Same("mogadm", {"--config=" + conf, "domain", "list"});

  for (const char* tool : {"mogupload", "mogfetch", "mogfileinfo", "mogdelete", "moglistkeys",
                           "moglistfids", "mogrename", "mogfiledebug"}) {
    // No arguments: upstream prints the usage (exit 0); we run on the (absent) config files.
    EXPECT_EQ(Ours(tool, {}).code, 2) << tool;
    // --help: the same first line; ours then says where config files come from.
    ToolRun up = Upstream(tool, {"--help"});
    ToolRun ours = Ours(tool, {"--help"});
    EXPECT_EQ(ours.code, 0) << tool;
    auto first_line = [](const std::string& text) { return text.substr(0, text.find('\n')); };
    // mogupload's usage adds --class, mogrename's drops the --class it never took.
    if (std::string(tool) != "mogupload" && std::string(tool) != "mogrename") {
      EXPECT_EQ(first_line(Normalise(ours.out, false)), first_line(Normalise(up.out, false)))
          << tool;
    }
  }
}

}  // namespace
}  // namespace mog::test

#endif  // MOG_HAVE_LOCAL_CLUSTER
