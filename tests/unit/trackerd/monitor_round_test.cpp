// One Monitor scan at a time (RunRound) against a scripted NodeClient: no network, no sleeps.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "trackerd/nodes/digest_hasher.h"
#include "trackerd/nodes/usage_file.h"
#include "trackerd/workers/monitor.h"

namespace mog::tracker {
namespace {

// Nodes as URL-keyed files; hosts listed in `down` fail every request.
class ScriptedNodes final : public NodeClient {
 public:
  std::map<std::string, std::string> files;
  std::set<std::string> down_hosts;       // "127.0.0.2:7500"
  bool fail_puts = false;
  bool corrupt_reads = false;
  bool accept_bad_md5 = false;
  std::vector<std::string> log;           // "GET url", ...

  int Count(const std::string& prefix) const {
    int n = 0;
    for (const auto& l : log) n += l.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }

  NodeResult<HeadInfo> HeadSize(const std::string& url) override {
    Log("HEAD " + url);
    return NodeError{NodeFailure::kIo, 0, "unused"};
  }
  MkcolOutcome Mkcol(const std::string& url) override {
    Log("MKCOL " + url);
    if (Down(url)) return MkcolOutcome::kFailed;
    return MkcolOutcome::kUnsupported;
  }
  NodeResult<HttpReply> Get(const std::string& url, size_t) override {
    Log("GET " + url);
    std::lock_guard lock(files_mu_);  // hosts are probed on parallel threads
    if (Down(url)) return NodeError{NodeFailure::kConnect, 0, "refused"};
    HttpReply r;
    auto it = files.find(url);
    if (it == files.end()) {
      r.status = 404;
      return r;
    }
    r.status = 200;
    r.body = it->second + (corrupt_reads && url.find("test-write") != std::string::npos ? "x" : "");
    return r;
  }
  NodeResult<HttpReply> Put(const std::string& url, std::string_view body,
                            const HttpHeaders& headers) override {
    Log("PUT " + url);
    std::lock_guard lock(files_mu_);
    if (Down(url)) return NodeError{NodeFailure::kConnect, 0, "refused"};
    HttpReply r;
    if (fail_puts) {
      r.status = 500;
      return r;
    }
    for (const auto& [k, v] : headers) {
      if (k == "Content-MD5" && v != DigestBase64(DigestAlg::kMd5, body) && !accept_bad_md5) {
        r.status = 400;
        return r;
      }
    }
    files[url] = std::string(body);
    r.status = 200;
    return r;
  }
  NodeResult<int> Delete(const std::string& url) override {
    Log("DELETE " + url);
    return 204;
  }
  NodeResult<DigestReply> Digest(const DigestRequest&) override {
    return NodeError{NodeFailure::kIo, 0, "unused"};
  }
  boost::system::result<CopyReply, CopyError> Copy(const CopyRequest&) override {
    return CopyError{true, NodeError{NodeFailure::kIo, 0, "unused"}, {}};
  }

 private:
  bool Down(const std::string& url) {
    for (const auto& h : down_hosts) {
      if (url.find("//" + h + "/") != std::string::npos) return true;
    }
    return false;
  }
  void Log(std::string s) {
    std::lock_guard lock(mu_);
    log.push_back(std::move(s));
  }
  std::mutex mu_;
  std::mutex files_mu_;
};

class RecordingSink final : public UsageSink {
 public:
  bool lock_free = true;
  std::vector<std::vector<DeviceUsage>> writes;
  bool TryWrite(const std::vector<DeviceUsage>& usages) override {
    if (!lock_free) return false;
    writes.push_back(usages);
    return true;
  }
};

std::string Usage(uint64_t used_kib, uint64_t total_kib) {
  return "available: " + std::to_string(total_kib - used_kib) +
         "\ndevice: /dev/vda        \ndisk: /x\ntime: 1\ntotal: " + std::to_string(total_kib) +
         "\nuse: 18%\nused: " + std::to_string(used_kib) + "\n";
}

class MonitorRoundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Host 2 (alive) with dev1, dev2; host 3 (alive) with dev3.
    tables_.hosts = {MakeHost(2), MakeHost(3)};
    tables_.devices = {MakeDev(1, 2), MakeDev(2, 2), MakeDev(3, 3)};
    for (uint32_t d : {1u, 2u, 3u}) {
      const std::string ip = d == 3 ? "127.0.0.3" : "127.0.0.2";
      nodes_.files["http://" + ip + ":7500/dev" + std::to_string(d) + "/usage"] =
          Usage(1048576 * d, 10 * 1048576);
    }
    options_.watch_utilization = false;
    options_.epoch_now = [this] { return epoch_; };
    options_.random_0_99 = [] { return 42; };
    options_.fast_failure = std::chrono::hours(1);  // every failure counts as "fast"
  }
  static HostRow MakeHost(uint32_t id) {
    HostRow h;
    h.hostid = id;
    h.hostname = "h" + std::to_string(id);
    h.status = "alive";
    h.hostip = "127.0.0." + std::to_string(id);
    h.http_port = 7500;
    return h;
  }
  static DeviceRow MakeDev(uint32_t devid, uint32_t hostid) {
    DeviceRow d;
    d.devid = devid;
    d.hostid = hostid;
    d.status = "alive";
    return d;
  }
  void Load() { state_.ReplaceFromStore(tables_); }
  const Device& Dev(uint32_t devid) { return *(snap_ = state_.Snapshot())->FindDevice(devid); }
  const Host& HostOf(uint32_t hostid) { return *(snap_ = state_.Snapshot())->FindHost(hostid); }
  void Round() {
    Monitor monitor(state_, nodes_, &sink_, options_);
    monitor.RunRound();
  }

  StoreTables tables_;
  ClusterState state_;
  ScriptedNodes nodes_;
  RecordingSink sink_;
  MonitorOptions options_;
  int64_t epoch_ = 1700000000;
  SnapshotPtr snap_;
};

TEST_F(MonitorRoundTest, LiveDevicesBecomeWriteableWithUsageAndMd5Finding) {
  Load();
  Monitor monitor(state_, nodes_, &sink_, options_);
  monitor.RunRound();
  for (uint32_t d : {1u, 2u, 3u}) {
    EXPECT_EQ(Dev(d).observed, DeviceObserved::kWriteable) << d;
    EXPECT_EQ(Dev(d).mb_total, 10u * 1024);
    EXPECT_EQ(Dev(d).mb_used, d * 1024);
    EXPECT_EQ(Dev(d).reject_bad_md5, true);
  }
  EXPECT_EQ(HostOf(2).observed, HostObserved::kReachable);
  // The test-write file has the upstream body and name.
  EXPECT_EQ(nodes_.files["http://127.0.0.2:7500/dev1/test-write/test-write-42"],
            "time=1700000000 rand=42");
  EXPECT_EQ(nodes_.Count("MKCOL http://127.0.0.2:7500/dev1/test-write/"), 1);
  // Usage went to the DB in one batch, MiB, tracker time.
  ASSERT_EQ(sink_.writes.size(), 1u);
  ASSERT_EQ(sink_.writes[0].size(), 3u);
  for (const auto& u : sink_.writes[0]) {
    EXPECT_EQ(u.mb_total, 10240u);
    EXPECT_EQ(u.mb_used, u.devid * 1024u);
    EXPECT_EQ(u.mb_asof, 1700000000);
  }

  // Next round right away: no new test-write, no usage rewrite (both at most every 15 s).
  const int puts = nodes_.Count("PUT");
  monitor.RunRound();
  EXPECT_EQ(nodes_.Count("PUT"), puts);
  EXPECT_EQ(sink_.writes.size(), 1u);
  EXPECT_EQ(Dev(1).observed, DeviceObserved::kWriteable);
}

TEST_F(MonitorRoundTest, NodeAcceptingBadMd5IsRecorded) {
  nodes_.accept_bad_md5 = true;
  Load();
  Round();
  EXPECT_EQ(Dev(1).reject_bad_md5, false);
}

TEST_F(MonitorRoundTest, ReadonlyDevicesAndHostsAreReadableWithoutWrites) {
  tables_.devices[0].status = "readonly";
  tables_.hosts[1].status = "readonly";
  Load();
  Round();
  EXPECT_EQ(Dev(1).observed, DeviceObserved::kReadable);
  EXPECT_EQ(Dev(2).observed, DeviceObserved::kWriteable);
  EXPECT_EQ(Dev(3).observed, DeviceObserved::kReadable);
  EXPECT_EQ(nodes_.Count("PUT http://127.0.0.2:7500/dev1/"), 0);
  EXPECT_EQ(nodes_.Count("PUT http://127.0.0.3:7500/"), 0);
}

TEST_F(MonitorRoundTest, FailedPutMeansReadable) {
  nodes_.fail_puts = true;
  Load();
  Round();
  EXPECT_EQ(Dev(1).observed, DeviceObserved::kReadable);
  EXPECT_FALSE(Dev(1).reject_bad_md5.has_value());
}

TEST_F(MonitorRoundTest, ReadBackMismatchIsRetriedOnceThenReadable) {
  nodes_.corrupt_reads = true;
  Load();
  Round();
  EXPECT_EQ(Dev(3).observed, DeviceObserved::kReadable);
  EXPECT_EQ(nodes_.Count("PUT http://127.0.0.3:7500/dev3/test-write/test-write-"), 2);
}

TEST_F(MonitorRoundTest, FastFailureMarksOnlyTheDevice) {
  nodes_.files.erase("http://127.0.0.2:7500/dev1/usage");  // 404: answered, quickly
  Load();
  Round();
  EXPECT_EQ(Dev(1).observed, DeviceObserved::kUnreachable);
  EXPECT_EQ(Dev(2).observed, DeviceObserved::kWriteable);  // same host, still probed
  EXPECT_EQ(HostOf(2).observed, HostObserved::kReachable);
}

TEST_F(MonitorRoundTest, SlowFailureMarksTheHostAndSkipsItsOtherDevices) {
  options_.fast_failure = std::chrono::milliseconds(0);  // every failure counts as slow
  nodes_.down_hosts = {"127.0.0.2:7500"};
  Load();
  Round();
  EXPECT_EQ(HostOf(2).observed, HostObserved::kUnreachable);
  EXPECT_EQ(nodes_.Count("GET http://127.0.0.2:7500/"), 1);  // dev2 skipped
  EXPECT_EQ(Dev(3).observed, DeviceObserved::kWriteable);
  EXPECT_FALSE(state_.Snapshot()->IsReadable(Dev(1)));
  EXPECT_FALSE(state_.Snapshot()->IsReadable(Dev(2)));

  // The host comes back: reachable again and re-tested at once.
  nodes_.down_hosts.clear();
  Monitor monitor(state_, nodes_, &sink_, options_);
  monitor.RunRound();
  EXPECT_EQ(HostOf(2).observed, HostObserved::kReachable);
  EXPECT_EQ(Dev(1).observed, DeviceObserved::kWriteable);
  EXPECT_TRUE(state_.Snapshot()->IsReadable(Dev(1)));
}

TEST_F(MonitorRoundTest, UsageWithoutUsedOrTotalLeavesTheDeviceUnchanged) {
  nodes_.files["http://127.0.0.3:7500/dev3/usage"] = "available: 5\ntotal: 100\nused: 0\n";
  Load();
  Round();
  EXPECT_EQ(Dev(3).observed, DeviceObserved::kUnknown);
  EXPECT_FALSE(Dev(3).mb_total.has_value());
  EXPECT_EQ(nodes_.Count("PUT http://127.0.0.3:7500/"), 0);
}

TEST_F(MonitorRoundTest, UsageIsNotRewrittenWhileTheDbCopyIsFresh) {
  tables_.devices[0].mb_asof = epoch_ - 5;   // fresh: skip
  tables_.devices[1].mb_asof = epoch_ - 16;  // stale: write
  Load();
  Round();
  ASSERT_EQ(sink_.writes.size(), 1u);
  std::set<uint32_t> written;
  for (const auto& u : sink_.writes[0]) written.insert(u.devid);
  EXPECT_EQ(written, (std::set<uint32_t>{2, 3}));
}

TEST_F(MonitorRoundTest, LockHeldElsewhereMeansTryAgainNextRound) {
  sink_.lock_free = false;
  Load();
  Monitor monitor(state_, nodes_, &sink_, options_);
  monitor.RunRound();
  EXPECT_TRUE(sink_.writes.empty());
  sink_.lock_free = true;
  monitor.RunRound();
  EXPECT_EQ(sink_.writes.size(), 1u);
}

TEST_F(MonitorRoundTest, UnmonitoredDevicesAreNotProbed) {
  tables_.devices[0].status = "dead";
  tables_.devices[1].status = "down";
  tables_.hosts[1].status = "down";
  Load();
  Round();
  EXPECT_EQ(nodes_.Count("GET"), 0);
  EXPECT_EQ(Dev(1).observed, DeviceObserved::kUnknown);
}

TEST_F(MonitorRoundTest, GetPortIsUsedForReadsAndHttpPortForWrites) {
  tables_.hosts[1].http_get_port = 7600;
  nodes_.files["http://127.0.0.3:7600/dev3/usage"] = Usage(1048576, 10 * 1048576);
  // (The scripted node keeps ports apart, so the read-back misses: only the URLs matter.)
  Load();
  Round();
  EXPECT_EQ(nodes_.Count("GET http://127.0.0.3:7600/dev3/usage"), 1);
  EXPECT_EQ(nodes_.Count("PUT http://127.0.0.3:7500/dev3/test-write/test-write-42"), 1);
  EXPECT_EQ(nodes_.Count("GET http://127.0.0.3:7600/dev3/test-write/test-write-42"), 1);
}

TEST_F(MonitorRoundTest, LoopReloadsTablesAndAnswersForcedRounds) {
  int reloads = 0;
  options_.reload_tables = [&]() -> Result<StoreTables> {
    ++reloads;
    return tables_;
  };
  options_.interval = std::chrono::hours(1);  // only forced rounds after the first
  Monitor monitor(state_, nodes_, &sink_, options_);
  EXPECT_FALSE(state_.loaded());
  monitor.Start();
  ASSERT_TRUE(monitor.WaitFirstRound(std::chrono::seconds(10)));
  EXPECT_TRUE(state_.loaded());
  EXPECT_EQ(reloads, 1);
  EXPECT_EQ(Dev(3).observed, DeviceObserved::kWriteable);
  const uint64_t before = monitor.rounds_completed();
  auto forced = monitor.RunRoundNow(std::chrono::seconds(10));
  EXPECT_TRUE(forced.get());
  EXPECT_GT(monitor.rounds_completed(), before);
  monitor.Stop();
  // Stopped: waiting for a round gives up at once instead of hanging.
  EXPECT_FALSE(monitor.RunRoundNow(std::chrono::seconds(10)).get());
}

TEST(UsageFileTest, ParsesUpstreamFormat) {
  auto u = ParseUsageFile(
      "available: 82801872\ndevice: /dev/vda        \ndisk: /tmp/mogroot/dev1\n"
      "time: 1795607920\ntotal: 100337188\nuse: 18%\nused: 17535316\n");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->used_kib, 17535316u);
  EXPECT_EQ(u->total_kib, 100337188u);
  EXPECT_EQ(u->total_mb(), 97985u);
  EXPECT_EQ(u->used_mb(), 17124u);
}

TEST(UsageFileTest, ToleratesSpacingPaddingAndCrLf) {
  auto u = ParseUsageFile("used :5000\r\ntotal:   9000 \n\n\n");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->used_kib, 5000u);
  EXPECT_EQ(u->total_kib, 9000u);
}

TEST(UsageFileTest, RejectsMissingOrZeroFields) {
  for (const char* bad : {"", "used: 1\n", "total: 1\n", "used: 0\ntotal: 5\n",
                          "used: 5\ntotal: 0\n", "used: x\ntotal: 5\n", "used 5\ntotal 5\n",
                          "<h1>404 - Not Found</h1>\n"}) {
    EXPECT_FALSE(ParseUsageFile(bad)) << bad;
  }
}

}  // namespace
}  // namespace mog::tracker
