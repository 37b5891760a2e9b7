// Rebalance and drain with real mogstored nodes and a real mogilefsd answering the rebalance_*
// commands; the JobMaster (injector) and the replicate workers run in this process.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "tests/integration/workers/worker_harness.h"
#include "tests/support/process.h"

namespace mog::test {
namespace {

struct StoredFile {
  std::string key;
  Fid fid = 0;
  std::string body;
  size_t copies = 0;
};

std::string Setting(WorkerHarness& h, const std::string& key) {
  return h.Value("SELECT value FROM server_settings WHERE field='" + key + "'");
}
bool HasSetting(WorkerHarness& h, const std::string& key) {
  return h.Value("SELECT COUNT(*) FROM server_settings WHERE field='" + key + "'") != "0";
}
std::string DeviceStatus(WorkerHarness& h, DevId devid) {
  return h.Value("SELECT status FROM device WHERE devid=" + std::to_string(devid));
}
int FileOnCount(WorkerHarness& h, DevId devid) {
  return std::stoi(h.Value("SELECT COUNT(*) FROM file_on WHERE devid=" + std::to_string(devid)));
}
int RebalanceRows(WorkerHarness& h) {
  return std::stoi(h.Value("SELECT COUNT(*) FROM file_to_queue WHERE type=2"));
}

// key=value pairs of a rebal_state string.
std::map<std::string, std::string> StateFields(const std::string& state) {
  std::map<std::string, std::string> out;
  std::istringstream in(state);
  std::string pair;
  while (in >> pair) {
    const size_t eq = pair.find('=');
    out[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
  }
  return out;
}

void Ok(const Reply& r, const std::string& what) {
  ASSERT_TRUE(r.ok) << what << ": " << r.errcode << " " << r.errstr;
}

// .fid files under the device's directory on its node's disk.
size_t FidFilesOnDisk(WorkerHarness& h, DevId devid) {
  const std::string root =
      h.cluster().nodes()[h.NodeOf(devid)].docroot + "/dev" + std::to_string(devid);
  size_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".fid") ++n;
  }
  return n;
}

// Every path get_paths gives answers a GET with exactly the body.
bool ReadableByteExact(WorkerHarness& h, const StoredFile& f) {
  auto r = h.cluster().Call("get_paths", {{"domain", "d"}, {"key", f.key}, {"pathcount", "10"}});
  if (!r.ok) return false;
  const int n = std::stoi(r.args.Get("paths"));
  if (n < static_cast<int>(f.copies)) return false;
  for (int i = 1; i <= n; ++i) {
    auto got = h.nodes().Get(r.args.Get("path" + std::to_string(i)), 16 << 20);
    if (!got || got->status != 200 || got->body != f.body) return false;
  }
  return true;
}

// The run is over once the injector gave up rebal_host and every queued item was handled.
bool WaitRunOver(WorkerHarness& h) {
  return WaitUntil([&] { return !HasSetting(h, "rebal_host") && RebalanceRows(h) == 0; },
                   std::chrono::seconds(60));
}

std::vector<StoredFile> UploadAndReplicate(WorkerHarness& h, const std::string& cls, int count,
                                           size_t copies, uint32_t seed) {
  std::vector<StoredFile> files;
  for (int i = 0; i < count; ++i) {
    StoredFile f;
    f.key = cls + "-" + std::to_string(i);
    f.body = RandomBytes(300 + (i * 997) % 9000, seed + i);
    f.copies = copies;
    f.fid = h.Upload("d", cls, f.key, f.body);
    files.push_back(std::move(f));
  }
  for (const auto& f : files) {
    EXPECT_TRUE(
        WaitUntil([&] { return h.HasCopies(f.fid, f.body, f.copies); }, std::chrono::seconds(60)))
        << "fid " << f.fid << " never reached " << f.copies << " copies";
  }
  return files;
}

// (a) + (c): the operator drains a device and rebalances it away: it ends with no file_on rows
// and no .fid files, every file is still at its mindevcount on distinct hosts, byte-exact
// through get_paths, and the device stays `drain` (the operator's choice). The control
// commands answer along the way.
TEST(WorkersRebalanceTest, DrainedDeviceEndsEmptyEveryFileStillAtMindevcount) {
  WorkerHarness h(3, 2);  // node1: dev1 dev2, node2: dev3 dev4, node3: dev5 dev6
  h.MakeDomainAndClass("d", "two", 2);
  h.MakeDomainAndClass("d", "three", 3, "MD5");
  h.StartWorkers();
  auto files = UploadAndReplicate(h, "two", 30, 2, 100);
  // On three hosts, a mindevcount-3 copy leaving dev1 can only go to dev2 (same host).
  auto threes = UploadAndReplicate(h, "three", 6, 3, 500);
  files.insert(files.end(), threes.begin(), threes.end());
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(WaitUntil([&] { return h.Value("SELECT COUNT(*) FROM file_to_replicate") == "0"; },
                        std::chrono::seconds(30)));
  const DevId source = 1;
  const int on_source = FileOnCount(h, source);
  ASSERT_GT(on_source, 0);

  auto status = h.cluster().Call("rebalance_status", {});
  EXPECT_EQ(status.errcode, "no_rebal_state");
  // The operator's steps, through mogadm.
  const std::string trackers =
      "--trackers=" + h.cluster().tracker_ip() + ":" + std::to_string(h.cluster().tracker_port());
  auto mogadm = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {BinPath("mogadm"), trackers});
    return RunCommand(args, std::chrono::seconds(30));
  };
  auto marked = mogadm({"device", "mark", "node1", "1", "drain"});
  ASSERT_EQ(marked.exit_code, 0) << marked.output;
  auto policy = mogadm({"rebalance", "policy", "--options=from_devices=1"});
  ASSERT_EQ(policy.exit_code, 0) << policy.output;
  auto test = h.cluster().Call("rebalance_test", {});
  Ok(test, "rebalance_test");
  EXPECT_EQ(test.args.Get("sdevs"), "1");
  EXPECT_EQ(test.args.Get("ddevs"), "2,3,4,5,6");
  auto started = mogadm({"rebalance", "start"});
  ASSERT_EQ(started.exit_code, 0) << started.output;
  EXPECT_EQ(StateFields(Setting(h, "rebal_state"))["source_devs"], "1");

  ASSERT_TRUE(WaitRunOver(h)) << "rebal_host " << Setting(h, "rebal_host") << ", "
                              << RebalanceRows(h) << " rows left";
  EXPECT_EQ(FileOnCount(h, source), 0);
  EXPECT_EQ(FidFilesOnDisk(h, source), 0u);
  for (const auto& f : files) {
    EXPECT_TRUE(h.HasCopies(f.fid, f.body, f.copies)) << "fid " << f.fid;
    EXPECT_TRUE(ReadableByteExact(h, f)) << "fid " << f.fid;
    EXPECT_EQ(h.Value("SELECT devcount FROM file WHERE fid=" + std::to_string(f.fid)),
              std::to_string(f.copies));
  }
  EXPECT_EQ(DeviceStatus(h, source), "drain");  // the operator's drain is left alone
  EXPECT_FALSE(HasSetting(h, "rebal_operator_drain"));

  status = h.cluster().Call("rebalance_status", {});
  Ok(status, "rebalance_status");
  auto fields = StateFields(status.args.Get("state"));
  EXPECT_EQ(fields["completed_devs"], "1");
  EXPECT_EQ(fields["source_devs"], "");
  EXPECT_EQ(fields["sdev_current"], "0");
  EXPECT_EQ(fields["fids_queued"], std::to_string(on_source));
  EXPECT_NE(fields["time_finished"], "0");
  EXPECT_EQ(fields["time_stopped"], "0");
  EXPECT_EQ(h.cluster().Call("rebalance_stop", {}).errcode, "rebal_not_started");
  auto shown = mogadm({"rebalance", "status"});
  EXPECT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("Rebalance is stopped"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("completed_devs = 1\n"), std::string::npos) << shown.output;
}

// (b) + (c): rebalance_stop ends a run in progress; the device the run drained goes back to
// `alive`, one the operator had drained stays `drain`; the other control commands refuse
// while it runs.
TEST(WorkersRebalanceTest, StopEndsTheRunAndRestoresTheDeviceState) {
  WorkerHarness h(3);
  h.options().replicate_jobs = 0;  // queued items stay queued: the run cannot finish by itself
  h.MakeDomainAndClass("d", "one", 1);
  std::map<DevId, int> per_dev;
  for (int i = 0; i < 9; ++i) {
    const Fid fid = h.Upload("d", "one", "k" + std::to_string(i), RandomBytes(100 + i, i));
    for (DevId d : h.FileOn(fid)) ++per_dev[d];
  }
  DevId source = per_dev.begin()->first;
  for (const auto& [d, n] : per_dev) {
    if (n > per_dev[source]) source = d;
  }
  const std::string src = std::to_string(source);
  const std::string host = h.HostOf(source);
  Ok(h.cluster().Call("set_server_setting", {{"key", "queue_size_for_rebal"}, {"value", "1"}}),
     "queue size");
  Ok(h.cluster().Call("rebalance_set_policy", {{"policy", "from_devices=" + src}}), "policy");
  Ok(h.cluster().Call("rebalance_start", {}), "start");
  h.StartWorkers();

  auto queued = [&] {
    auto st = h.cluster().Call("rebalance_status", {});
    return st.ok ? StateFields(st.args.Get("state"))["fids_queued"] : std::string();
  };
  ASSERT_TRUE(WaitUntil([&] { return DeviceStatus(h, source) == "drain" && queued() != "0"; },
                        std::chrono::seconds(20)))
      << "status " << DeviceStatus(h, source) << ", fids_queued " << queued();
  EXPECT_EQ(queued(), std::to_string(per_dev[source]));
  EXPECT_EQ(h.cluster().Call("rebalance_start", {}).errcode, "rebal_running");
  EXPECT_EQ(h.cluster().Call("rebalance_reset", {}).errcode, "rebal_running");
  EXPECT_EQ(h.cluster().Call("rebalance_set_policy", {{"policy", "from_devices=1"}}).errcode,
            "no_set_rebal");

  Ok(h.cluster().Call("rebalance_stop", {}), "stop");
  ASSERT_TRUE(WaitUntil([&] { return !HasSetting(h, "rebal_host"); }, std::chrono::seconds(20)));
  EXPECT_FALSE(HasSetting(h, "rebal_signal"));
  EXPECT_EQ(DeviceStatus(h, source), "alive");  // the run's own drain is undone
  auto fields = StateFields(Setting(h, "rebal_state"));
  EXPECT_NE(fields["time_stopped"], "0");
  EXPECT_EQ(fields["time_finished"], "0");
  EXPECT_EQ(fields["sdev_current"], src);              // kept, so rebalance_start can resume
  EXPECT_EQ(FileOnCount(h, source), per_dev[source]);  // nothing was moved or lost

  // Now the operator drains it first: stopping leaves it drained.
  Ok(h.cluster().Call("set_state", {{"host", host}, {"device", src}, {"state", "drain"}}),
     "set_state drain");
  Ok(h.cluster().Call("rebalance_reset", {}), "reset");
  EXPECT_EQ(h.cluster().Call("rebalance_status", {}).errcode, "no_rebal_state");
  // The first run's items are still queued (no replicate workers), so the queue cap no longer
  // holds this run; a destination that does not exist does: the run takes the device and waits.
  Ok(h.cluster().Call("set_server_setting", {{"key", "queue_size_for_rebal"}, {"value", "1000"}}),
     "queue size");
  Ok(h.cluster().Call("rebalance_set_policy",
                      {{"policy", "from_devices=" + src + " to_devices=999"}}),
     "policy");
  Ok(h.cluster().Call("rebalance_start", {}), "start again");
  ASSERT_TRUE(WaitUntil([&] { return Setting(h, "rebal_operator_drain") == src; },
                        std::chrono::seconds(20)));
  Ok(h.cluster().Call("rebalance_stop", {}), "stop again");
  ASSERT_TRUE(WaitUntil([&] { return !HasSetting(h, "rebal_host"); }, std::chrono::seconds(20)));
  EXPECT_EQ(DeviceStatus(h, source), "drain");
  EXPECT_EQ(FileOnCount(h, source), per_dev[source]);
}

// (d): limit_by=count moves at most that many fids, per device and (fixed upstream bug)
// globally; every file keeps its copies.
TEST(WorkersRebalanceTest, CountLimitMovesAtMostThatMany) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "two", 2);
  h.StartWorkers();
  auto files = UploadAndReplicate(h, "two", 15, 2, 900);
  ASSERT_FALSE(HasFailure());
  const DevId source = 1;
  const int before = FileOnCount(h, source);
  ASSERT_GE(before, 6) << "too few copies landed on dev1 for this test";

  Ok(h.cluster().Call("rebalance_set_policy",
                      {{"policy", "from_devices=1 limit_by=count limit=3"}}),
     "policy");
  Ok(h.cluster().Call("rebalance_start", {}), "start");
  ASSERT_TRUE(WaitRunOver(h));
  EXPECT_EQ(FileOnCount(h, source), before - 3);
  EXPECT_EQ(StateFields(Setting(h, "rebal_state"))["fids_queued"], "3");
  EXPECT_EQ(DeviceStatus(h, source), "alive");  // drained by the run, restored after it

  Ok(h.cluster().Call("rebalance_set_policy",
                      {{"policy", "from_devices=1 limit_type=global limit_by=count limit=2"}}),
     "global policy");
  Ok(h.cluster().Call("rebalance_start", {}), "start global");
  ASSERT_TRUE(WaitRunOver(h));
  EXPECT_EQ(FileOnCount(h, source), before - 5);
  for (const auto& f : files) EXPECT_TRUE(h.HasCopies(f.fid, f.body, 2)) << "fid " << f.fid;
}

// Several source devices are emptied one after the other; with leave_in_drain_mode=1 each stays
// `drain` afterwards although the run (not the operator) drained it.
TEST(WorkersRebalanceTest, SourceDevicesAreEmptiedInTurnAndLeftInDrainOnRequest) {
  WorkerHarness h(3, 2);  // node1: dev1 dev2, node2: dev3 dev4, node3: dev5 dev6
  h.MakeDomainAndClass("d", "two", 2);
  h.StartWorkers();
  auto files = UploadAndReplicate(h, "two", 18, 2, 3000);
  ASSERT_FALSE(HasFailure());
  const int on1 = FileOnCount(h, 1);
  const int on3 = FileOnCount(h, 3);
  ASSERT_GT(on1 + on3, 0);
  Ok(h.cluster().Call("rebalance_set_policy",
                      {{"policy", "from_devices=1,3 leave_in_drain_mode=1"}}),
     "policy");
  auto test = h.cluster().Call("rebalance_test", {});
  Ok(test, "rebalance_test");
  EXPECT_EQ(test.args.Get("sdevs"), "1,3");
  EXPECT_EQ(test.args.Get("ddevs"), "2,4,5,6");
  Ok(h.cluster().Call("rebalance_start", {}), "start");
  ASSERT_TRUE(WaitRunOver(h));
  EXPECT_EQ(FileOnCount(h, 1), 0);
  EXPECT_EQ(FileOnCount(h, 3), 0);
  for (const auto& f : files) EXPECT_TRUE(h.HasCopies(f.fid, f.body, 2)) << "fid " << f.fid;
  EXPECT_EQ(DeviceStatus(h, 1), "drain");
  EXPECT_EQ(DeviceStatus(h, 3), "drain");
  auto fields = StateFields(Setting(h, "rebal_state"));
  EXPECT_EQ(fields["completed_devs"], "1,3");
  EXPECT_EQ(fields["fids_queued"], std::to_string(on1 + on3));
}

// Never lose the last good copy: when the other copy file_on names is gone from its disk, the
// move makes a new copy but the source stays (the copies that would remain do not satisfy the
// policy once verified), and the item is retried rather than the source deleted.
TEST(WorkersRebalanceTest, SourceStaysWhenTheOtherCopyIsMissing) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "two", 2);
  h.StartWorkers();
  auto files = UploadAndReplicate(h, "two", 1, 2, 77);
  ASSERT_FALSE(HasFailure());
  const Fid fid = files[0].fid;
  const auto on = h.FileOn(fid);
  ASSERT_EQ(on.size(), 2u);
  const DevId source = on[0];
  const DevId broken = on[1];
  ASSERT_TRUE(std::filesystem::remove(h.DiskPath(broken, fid)));

  Ok(h.cluster().Call("rebalance_set_policy",
                      {{"policy", "from_devices=" + std::to_string(source)}}),
     "policy");
  Ok(h.cluster().Call("rebalance_start", {}), "start");
  const std::string failcount_sql =
      "SELECT failcount FROM file_to_queue WHERE type=2 AND fid=" + std::to_string(fid);
  ASSERT_TRUE(WaitUntil(
      [&] {
        const std::string fc = h.Value(failcount_sql);
        return !fc.empty() && fc != "0";
      },
      std::chrono::seconds(30)))
      << "the move was never attempted and retried";
  // A third copy was made from the source, and the source copy is still there.
  const auto after = h.FileOn(fid);
  EXPECT_EQ(after.size(), 3u);
  EXPECT_NE(std::find(after.begin(), after.end(), source), after.end());
  EXPECT_EQ(ReadWholeFile(h.DiskPath(source, fid)), files[0].body);
}

// A run upstream's tracker started and left mid-device (its rebal_state: hash order, "key=" for
// empty lists, sdev_limit=none) is resumed from its cursor: fids at or below sdev_lastfid stay,
// the rest move, the counters carry on, and the device the run had drained goes back to alive.
TEST(WorkersRebalanceTest, ResumesARunFromAnUpstreamWrittenState) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "two", 2);
  h.StartWorkers();
  auto files = UploadAndReplicate(h, "two", 15, 2, 2000);
  ASSERT_FALSE(HasFailure());
  const DevId source = 1;
  std::vector<Fid> on_source;
  for (const auto& row :
       h.db().Query("SELECT fid FROM file_on WHERE devid=1 ORDER BY fid", h.cluster().database())) {
    on_source.push_back(std::stoull(row.at(0)));
  }
  ASSERT_GE(on_source.size(), 4u);
  const Fid cursor = on_source[on_source.size() / 2 - 1];  // upstream had queued up to here
  const size_t below = on_source.size() / 2;

  Ok(h.cluster().Call("rebalance_set_policy", {{"policy", "from_devices=1"}}), "policy");
  h.db().Exec("UPDATE device SET status='drain' WHERE devid=1", h.cluster().database());
  h.db().Exec(
      "REPLACE INTO server_settings (field, value) VALUES ('rebal_state', "
      "'time_stopped=1700000100 sdev_lastfid=" +
          std::to_string(cursor) +
          " completed_devs= empty_runs=0 sdev_current=1 source_devs= limit= "
          "sdev_limit=none fids_queued=" +
          std::to_string(below) +
          " bytes_queued=999 time_started=1700000000 time_finished=0 "
          "time_latest_run=1700000050 time_latest_empty_run=0')",
      h.cluster().database());
  auto start = h.cluster().Call("rebalance_start", {});
  Ok(start, "start");
  ASSERT_TRUE(WaitRunOver(h));

  for (size_t i = 0; i < on_source.size(); ++i) {
    const auto on = h.FileOn(on_source[i]);
    const bool still = std::find(on.begin(), on.end(), source) != on.end();
    EXPECT_EQ(still, i < below) << "fid " << on_source[i];
  }
  for (const auto& f : files) EXPECT_TRUE(h.HasCopies(f.fid, f.body, 2)) << "fid " << f.fid;
  auto fields = StateFields(Setting(h, "rebal_state"));
  EXPECT_EQ(fields["fids_queued"], std::to_string(on_source.size()));
  EXPECT_EQ(fields["completed_devs"], "1");
  EXPECT_EQ(fields["time_started"], "1700000000");
  EXPECT_EQ(DeviceStatus(h, source), "alive");
}

// End to end with the daemon's own workers (job master, replicate): the operator's mogadm
// steps empty a device and every file keeps its copies.
TEST(WorkersRebalanceTest, MogilefsdDrainsADeviceWithItsOwnWorkers) {
  WorkerHarness h(3, 2, /*tracker_workers=*/true);
  h.MakeDomainAndClass("d", "two", 2);
  auto files = UploadAndReplicate(h, "two", 12, 2, 4000);
  ASSERT_FALSE(HasFailure());
  // The fullest device (placement is random: a fixed one may have received nothing).
  DevId source = 1;
  for (DevId d = 2; d <= 6; ++d) {
    if (FileOnCount(h, d) > FileOnCount(h, source)) source = d;
  }
  ASSERT_GT(FileOnCount(h, source), 0);
  const std::string dev = std::to_string(source);
  const std::string trackers =
      "--trackers=" + h.cluster().tracker_ip() + ":" + std::to_string(h.cluster().tracker_port());
  for (std::vector<std::string> args :
       {std::vector<std::string>{"device", "mark", h.HostOf(source), dev, "drain"},
        {"rebalance", "policy", "--options=from_devices=" + dev},
        {"rebalance", "start"}}) {
    args.insert(args.begin(), {BinPath("mogadm"), trackers});
    auto r = RunCommand(args, std::chrono::seconds(30));
    ASSERT_EQ(r.exit_code, 0) << args[2] << ": " << r.output;
  }
  ASSERT_TRUE(WaitRunOver(h)) << h.cluster().Logs();
  EXPECT_EQ(FileOnCount(h, source), 0);
  EXPECT_EQ(FidFilesOnDisk(h, source), 0u);
  for (const auto& f : files) {
    EXPECT_TRUE(h.HasCopies(f.fid, f.body, 2)) << "fid " << f.fid;
    EXPECT_TRUE(ReadableByteExact(h, f)) << "fid " << f.fid;
  }
  EXPECT_EQ(DeviceStatus(h, source), "drain");
}

}  // namespace
}  // namespace mog::test
