// Fsck with real mogstored nodes: a copy whose bytes were flipped on disk is found by its
// digest, dropped and re-replicated from a good copy (REPL); a missing copy is found (MISS).
#include <fstream>

#include <gtest/gtest.h>

#include "tests/integration/workers/worker_harness.h"

namespace mog::test {
namespace {

bool LogHas(WorkerHarness& h, Fid fid, const std::string& evcode) {
  return h.Value("SELECT COUNT(*) FROM fsck_log WHERE fid=" + std::to_string(fid) +
                 " AND evcode='" + evcode + "'") != "0";
}

TEST(WorkersFsckTest, CorruptedCopyIsFoundByDigestAndRepaired) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "sum", 3, "MD5");
  h.StartWorkers();
  const std::string body = RandomBytes(200000, 42);
  const Fid fid = h.Upload("d", "sum", "precious", body);
  ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 3); }, std::chrono::seconds(60)));
  ASSERT_EQ(h.Value("SELECT COUNT(*) FROM checksum WHERE fid=" + std::to_string(fid)), "1");

  const DevId victim = h.FileOn(fid).at(1);
  std::string bad = body;
  bad[1000] = static_cast<char>(bad[1000] ^ 0x5a);  // same length: only a digest can tell
  {
    std::ofstream out(h.DiskPath(victim, fid), std::ios::binary | std::ios::trunc);
    out << bad;
  }
  h.StartFsck();
  // The bad copy is forgotten and re-replication queued: fsck_log holds the REPL only, as
  // upstream's (a good copy exists, so no BSUM; t/50-checksum.t).
  EXPECT_TRUE(WaitUntil([&] { return LogHas(h, fid, "REPL"); }, std::chrono::seconds(60)));
  // Re-replication rewrites the bad device (the only host without a good copy).
  EXPECT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 3); }, std::chrono::seconds(60)))
      << ReadWholeFile(h.DiskPath(victim, fid)).size();
  EXPECT_FALSE(LogHas(h, fid, "BSUM"));
}

TEST(WorkersFsckTest, MissingCopyIsLoggedAndReplaced) {
  WorkerHarness h(3);
  h.MakeDomainAndClass("d", "two", 2);
  h.StartWorkers();
  const std::string body = RandomBytes(3000, 43);
  const Fid fid = h.Upload("d", "two", "k", body);
  ASSERT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 2); }, std::chrono::seconds(60)));
  const DevId victim = h.FileOn(fid).at(0);
  ASSERT_EQ(std::remove(h.DiskPath(victim, fid).c_str()), 0);
  h.StartFsck();
  EXPECT_TRUE(WaitUntil([&] { return LogHas(h, fid, "MISS"); }, std::chrono::seconds(60)));
  EXPECT_TRUE(WaitUntil([&] { return h.HasCopies(fid, body, 2); }, std::chrono::seconds(60)));
  // The run ends by itself once every fid was queued and checked.
  EXPECT_TRUE(WaitUntil(
      [&] {
        return h.Value("SELECT COUNT(*) FROM server_settings WHERE field='fsck_host'") == "0";
      },
      std::chrono::seconds(30)));
}

}  // namespace
}  // namespace mog::test
