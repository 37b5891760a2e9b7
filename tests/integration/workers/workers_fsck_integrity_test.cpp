// Fsck and replication must never trade a good copy for a corrupted one (issue 8). Real
// mogstored nodes, a private MariaDB, the workers in-process. The scenarios:
//  - after a node is killed and its device marked dead (files back to 2 copies on the two
//    survivors), one copy is overwritten in place: fsck forgets exactly that copy and queues
//    re-replication (REPL, as upstream logs it), the good copy's row is never removed, the new
//    copy comes from the good one, and no other fid is reported as a policy violation;
//  - the only copy is corrupted: logged (BSUM with its devid), kept, and never copied anywhere;
//  - no stored checksum but a class hashtype: copies that agree create it (NSUM), copies that
//    disagree are reported (BSUM; MSUM when fsck_checksum chose the algorithm) and all kept.
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "tests/integration/workers/worker_harness.h"

namespace mog::test {
namespace {

using namespace std::chrono_literals;

std::string FsckRows(WorkerHarness& h, const std::string& where) {
  std::string out;
  for (const auto& row :
       h.db().Query("SELECT fid, evcode, IFNULL(devid, 'NULL') FROM fsck_log WHERE " + where +
                        " ORDER BY logid",
                    h.cluster().database())) {
    out += row.at(0) + ":" + row.at(1) + ":" + row.at(2) + " ";
  }
  return out;
}

std::string Count(WorkerHarness& h, const std::string& where) {
  return h.Value("SELECT COUNT(*) FROM fsck_log WHERE " + where);
}

// The fsck run ended (fsck_host gone) and every queued fsck row was checked.
bool FsckFinished(WorkerHarness& h) {
  return h.Value("SELECT COUNT(*) FROM server_settings WHERE field='fsck_host'") == "0" &&
         h.Value("SELECT COUNT(*) FROM file_to_queue WHERE type=1") == "0";
}

// Overwrites `n` bytes at `offset` of a stored copy, in place (same length, same inode).
void CorruptInPlace(const std::string& path, size_t offset, size_t n) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f) << path;
  f.seekp(static_cast<std::streamoff>(offset));
  f << std::string(n, 'Z');
  ASSERT_TRUE(f.good());
}

std::string Md5Hex(WorkerHarness& h, const std::string& body) {
  std::string hex;
  static const char* kDigits = "0123456789ABCDEF";
  for (unsigned char c : body) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return h.Value("SELECT MD5(UNHEX('" + hex + "'))");
}

std::string StoredChecksum(WorkerHarness& h, Fid fid) {
  return h.Value("SELECT LOWER(HEX(checksum)) FROM checksum WHERE fid=" + std::to_string(fid));
}

struct File {
  Fid fid;
  std::string body;
};

std::vector<File> UploadSmallFiles(WorkerHarness& h, const std::string& cls, int n) {
  std::vector<File> files;
  for (int i = 0; i < n; ++i) {
    std::string body = RandomBytes(1000 + static_cast<size_t>(i) * 347, 7000 + i);
    files.push_back({h.Upload("d", cls, "file" + std::to_string(i), body), body});
  }
  return files;
}

bool Contains(const std::vector<DevId>& v, DevId d) {
  return std::find(v.begin(), v.end(), d) != v.end();
}

// The outside check's scenario, step by step; `h` runs the workers in-process (shortened
// timings) or leaves them to the mogilefsd under test (its own threads, upstream's timings).
void DeadDeviceThenCorruptCopyScenario(WorkerHarness& h, bool in_process) {
  const auto wait = in_process ? 60s : 150s;
  h.MakeDomainAndClass("d", "c", 2, "MD5");
  if (in_process) h.StartWorkers();
  auto files = UploadSmallFiles(h, "c", 16);
  for (const auto& f : files) {
    ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(f.fid, f.body, 2); }, wait)) << f.fid;
  }
  // Node 0 dies (kill -9) and its device is marked dead: every file regains 2 copies on the
  // two survivors.
  auto& n0 = h.cluster().nodes()[0];
  const DevId dead_dev = n0.devids.at(0);
  const std::string dead_host = n0.hostname;
  h.cluster().KillNode(0);
  auto r = h.cluster().Call(
      "set_state", {{"host", dead_host}, {"device", std::to_string(dead_dev)}, {"state", "dead"}});
  ASSERT_TRUE(r.ok) << r.errcode << " " << r.errstr;
  for (const auto& f : files) {
    ASSERT_TRUE(WaitUntil(
        [&] { return !Contains(h.FileOn(f.fid), dead_dev) && h.HasCopies(f.fid, f.body, 2); },
        wait))
        << "fid " << f.fid;
  }
  ASSERT_TRUE(
      WaitUntil([&] { return h.Value("SELECT COUNT(*) FROM file_to_replicate") == "0"; }, wait));

  // One copy on node 1's device is overwritten in place.
  const DevId bad_dev = h.cluster().nodes()[1].devids.at(0);
  const DevId good_dev = h.cluster().nodes()[2].devids.at(0);
  const File& victim = files.at(1);
  ASSERT_EQ(h.FileOn(victim.fid),
            (std::vector<DevId>{std::min(bad_dev, good_dev), std::max(bad_dev, good_dev)}));
  ASSERT_EQ(StoredChecksum(h, victim.fid), Md5Hex(h, victim.body));
  CorruptInPlace(h.DiskPath(bad_dev, victim.fid), 10, 10);

  h.StartFsck();
  bool good_row_lost = false;
  const std::string fid = std::to_string(victim.fid);
  EXPECT_TRUE(WaitUntil(
      [&] {
        if (!Contains(h.FileOn(victim.fid), good_dev)) good_row_lost = true;
        return FsckFinished(h) && h.HasCopies(victim.fid, victim.body, 2);
      },
      wait))
      << FsckRows(h, "1") << " file_on: " << h.FileOn(victim.fid).size();
  EXPECT_FALSE(good_row_lost) << "fsck removed the good copy's file_on row";
  // What upstream logs: the bad copy is forgotten and re-replication queued (REPL); no BSUM,
  // since a good copy exists (upstream's t/50-checksum.t asserts exactly this one row).
  EXPECT_EQ(FsckRows(h, "fid=" + fid), fid + ":REPL:NULL ");
  // Every other fid has 2 copies on 2 alive hosts: no policy violation, nothing queued.
  EXPECT_EQ(Count(h, "evcode='POVI'"), "0") << FsckRows(h, "evcode='POVI'");
  EXPECT_EQ(Count(h, "evcode='REPL' AND fid<>" + fid), "0") << FsckRows(h, "evcode='REPL'");
  EXPECT_EQ(StoredChecksum(h, victim.fid), Md5Hex(h, victim.body));
  for (const auto& f : files) EXPECT_TRUE(h.HasCopies(f.fid, f.body, 2)) << f.fid;
  EXPECT_TRUE(
      WaitUntil([&] { return h.Value("SELECT COUNT(*) FROM file_to_replicate") == "0"; }, wait))
      << h.Value("SELECT GROUP_CONCAT(fid, ':', failcount) FROM file_to_replicate");
}

TEST(WorkersFsckIntegrityTest, AfterADeadDeviceFsckDropsOnlyTheCorruptCopyAndCopiesFromTheGoodOne) {
  WorkerHarness h(3);
  DeadDeviceThenCorruptCopyScenario(h, true);
}

// The same against mogilefsd's own workers, as the outside check ran it.
TEST(WorkersFsckIntegrityTest, DaemonWorkersDropOnlyTheCorruptCopyAfterADeadDevice) {
  WorkerHarness h(3, 1, /*tracker_workers=*/true);
  DeadDeviceThenCorruptCopyScenario(h, false);
}

// fsck after a device died, before the reaper got to it (no reaper runs here): a fid with a
// copy on the dead device is repaired with one REPL row and no POVI, as upstream logs it
// (t/60-fsck.t); a fid with both copies on live hosts gets no row at all.
TEST(WorkersFsckIntegrityTest, FsckAfterADeadDeviceRepairsWithoutPolicyViolations) {
  WorkerHarness h(3);
  h.options().reaper_jobs = 0;
  h.MakeDomainAndClass("d", "c", 2);
  h.StartWorkers();
  auto files = UploadSmallFiles(h, "c", 12);
  for (const auto& f : files) {
    ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(f.fid, f.body, 2); }, 60s)) << f.fid;
  }
  auto& n0 = h.cluster().nodes()[0];
  const DevId dead_dev = n0.devids.at(0);
  std::set<Fid> on_dead;
  for (const auto& f : files) {
    if (Contains(h.FileOn(f.fid), dead_dev)) on_dead.insert(f.fid);
  }
  ASSERT_FALSE(on_dead.empty());
  ASSERT_LT(on_dead.size(), files.size());
  h.cluster().KillNode(0);
  auto r = h.cluster().Call(
      "set_state",
      {{"host", n0.hostname}, {"device", std::to_string(dead_dev)}, {"state", "dead"}});
  ASSERT_TRUE(r.ok) << r.errcode;
  ASSERT_TRUE(h.WaitState([&](const tracker::ClusterSnapshot& s) {
    return s.FindDevice(dead_dev)->status == tracker::DeviceStatus::kDead;
  }));
  h.StartFsck();
  for (const auto& f : files) {
    EXPECT_TRUE(WaitUntil(
        [&] { return !Contains(h.FileOn(f.fid), dead_dev) && h.HasCopies(f.fid, f.body, 2); }, 60s))
        << f.fid;
  }
  ASSERT_TRUE(WaitUntil([&] { return FsckFinished(h); }, 60s));
  EXPECT_EQ(Count(h, "evcode='POVI'"), "0") << FsckRows(h, "1");
  for (const auto& f : files) {
    const std::string fid = std::to_string(f.fid);
    EXPECT_EQ(FsckRows(h, "fid=" + fid), on_dead.count(f.fid) ? fid + ":REPL:NULL " : "") << fid;
  }
}

// The only copy goes bad: fsck says so and keeps it (it is all there is); nothing copies it.
TEST(WorkersFsckIntegrityTest, CorruptOnlyCopyIsReportedKeptAndNeverReplicated) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "one", 1, "MD5");
  h.StartWorkers();
  const std::string body = RandomBytes(4000, 99);
  const Fid fid = h.Upload("d", "one", "single", body);
  const DevId dev = h.FileOn(fid).at(0);
  // The first fsck run records the checksum of the (good) copy.
  h.StartFsck();
  ASSERT_TRUE(WaitUntil([&] { return FsckFinished(h) && !StoredChecksum(h, fid).empty(); }, 60s))
      << FsckRows(h, "1");
  EXPECT_EQ(Count(h, "evcode='NSUM'"), "1") << FsckRows(h, "1");
  ASSERT_EQ(StoredChecksum(h, fid), Md5Hex(h, body));

  CorruptInPlace(h.DiskPath(dev, fid), 10, 10);
  h.StartFsck();
  ASSERT_TRUE(WaitUntil([&] { return FsckFinished(h) && Count(h, "evcode='BSUM'") != "0"; }, 60s))
      << FsckRows(h, "1");
  EXPECT_EQ(FsckRows(h, "evcode='BSUM'"),
            std::to_string(fid) + ":BSUM:" + std::to_string(dev) + " ");
  EXPECT_EQ(h.FileOn(fid), std::vector<DevId>{dev});
  EXPECT_EQ(StoredChecksum(h, fid), Md5Hex(h, body)) << "the stored checksum is the truth";

  // Asking for a second copy must not spread the bad bytes: the source fails its checksum.
  auto up =
      h.cluster().Call("update_class", {{"domain", "d"}, {"class", "one"}, {"mindevcount", "2"}});
  ASSERT_TRUE(up.ok) << up.errcode;
  ASSERT_TRUE(h.WaitState([&](const tracker::ClusterSnapshot& s) {
    const auto* dom = s.FindDomain("d");
    const auto* cls = dom ? s.FindClass(dom->row.dmid, "one") : nullptr;
    return cls && cls->row.mindevcount == 2;
  }));
  ASSERT_TRUE(h.store().EnqueueReplicate(fid, std::nullopt, tracker::NextTry::At(0)));
  EXPECT_TRUE(WaitUntil(
      [&] {
        const std::string failcount =
            h.Value("SELECT failcount FROM file_to_replicate WHERE fid=" + std::to_string(fid));
        return !failcount.empty() && failcount != "0";
      },
      30s));
  EXPECT_EQ(h.FileOn(fid), std::vector<DevId>{dev});
  for (const auto& node : h.cluster().nodes()) {
    for (DevId d : node.devids) {
      if (d == dev) continue;
      EXPECT_EQ(ReadWholeFile(h.DiskPath(d, fid)), "") << "dev" << d;
    }
  }
}

// No checksum row, class hashtype MD5. Copies that agree: NSUM creates the row. Copies that
// disagree: BSUM (no reference to judge by), every copy kept, no row invented.
TEST(WorkersFsckIntegrityTest, WithoutStoredChecksumAgreeingCopiesCreateItDisagreeingAreKept) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "c", 2, "MD5");
  h.StartWorkers();
  auto files = UploadSmallFiles(h, "c", 2);
  for (const auto& f : files) {
    ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(f.fid, f.body, 2); }, 60s)) << f.fid;
  }
  h.db().Exec("DELETE FROM checksum", h.cluster().database());
  const File& agree = files[0];
  const File& split = files[1];
  const auto split_on = h.FileOn(split.fid);
  CorruptInPlace(h.DiskPath(split_on.at(0), split.fid), 10, 10);

  h.StartFsck();
  ASSERT_TRUE(WaitUntil([&] { return FsckFinished(h); }, 60s)) << FsckRows(h, "1");
  EXPECT_EQ(FsckRows(h, "evcode IN ('NSUM','BSUM','MSUM')"),
            std::to_string(agree.fid) + ":NSUM:NULL " + std::to_string(split.fid) + ":BSUM:NULL ");
  EXPECT_EQ(StoredChecksum(h, agree.fid), Md5Hex(h, agree.body));
  EXPECT_EQ(StoredChecksum(h, split.fid), "");
  EXPECT_EQ(h.FileOn(split.fid), split_on);
  EXPECT_EQ(Count(h, "evcode='POVI'"), "0") << FsckRows(h, "1");
}

// fsck_checksum=MD5 on a class without a hashtype: disagreeing copies are MSUM, both kept.
TEST(WorkersFsckIntegrityTest, FsckChecksumModeReportsDisagreementAsMsum) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "plain", 2);
  h.StartWorkers();
  auto files = UploadSmallFiles(h, "plain", 1);
  const File& f = files[0];
  ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(f.fid, f.body, 2); }, 60s));
  auto set = h.cluster().Call("set_server_setting", {{"key", "fsck_checksum"}, {"value", "MD5"}});
  ASSERT_TRUE(set.ok) << set.errcode << " " << set.errstr;
  const auto on = h.FileOn(f.fid);
  CorruptInPlace(h.DiskPath(on.at(1), f.fid), 10, 10);
  h.StartFsck();
  ASSERT_TRUE(WaitUntil([&] { return FsckFinished(h); }, 60s)) << FsckRows(h, "1");
  EXPECT_EQ(FsckRows(h, "evcode IN ('NSUM','BSUM','MSUM')"), std::to_string(f.fid) + ":MSUM:NULL ");
  EXPECT_EQ(h.FileOn(f.fid), on);
  EXPECT_EQ(StoredChecksum(h, f.fid), "");
}

// A deleted file's queue rows go with it: a replicate row backing off on a copy that keeps
// failing is not retried after the delete.
TEST(WorkersFsckIntegrityTest, DeletedFidLosesItsQueueRows) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "c", 2, "MD5");
  h.StartWorkers();
  const std::string body = RandomBytes(3000, 5);
  const Fid fid = h.Upload("d", "c", "gone", body);
  ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 2); }, 60s));
  const std::string f = std::to_string(fid);
  ASSERT_TRUE(WaitUntil(
      [&] { return h.Value("SELECT COUNT(*) FROM file_to_replicate WHERE fid=" + f) == "0"; },
      30s));
  // A replicate row parked far in the future (as after failures) and an fsck row.
  h.db().Exec("REPLACE INTO file_to_replicate (fid, nexttry, failcount) VALUES (" + f +
                  ", UNIX_TIMESTAMP() + 3600, 3)",
              h.cluster().database());
  h.db().Exec("REPLACE INTO file_to_queue (fid, type, nexttry) VALUES (" + f +
                  ", 1, UNIX_TIMESTAMP() + 3600)",
              h.cluster().database());
  auto del = h.cluster().Call("delete", {{"domain", "d"}, {"key", "gone"}});
  ASSERT_TRUE(del.ok) << del.errcode;
  EXPECT_TRUE(WaitUntil(
      [&] {
        return h.Value("SELECT COUNT(*) FROM file_to_replicate WHERE fid=" + f) == "0" &&
               h.Value("SELECT COUNT(*) FROM file_to_queue WHERE fid=" + f) == "0" &&
               h.Value("SELECT COUNT(*) FROM file_on WHERE fid=" + f) == "0";
      },
      30s))
      << h.Value("SELECT GROUP_CONCAT(fid, ':', failcount) FROM file_to_replicate");
}

}  // namespace
}  // namespace mog::test
