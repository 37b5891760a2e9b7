// Every Store method against a real (private) MariaDB with a schema made by our mogdbsetup:
// values written through the interface come back identical, and the side effects upstream
// relies on (queue rows, transactions, fid allocation rules, collation) are visible in SQL.
#include <algorithm>
#include <thread>
#include <mutex>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/mariadb.h"
#include "trackerd/store/store.h"

namespace mog::tracker {
namespace {

using mog::test::MariaDbServer;

class StoreMySqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_name_ = server().UniqueDatabaseName("store");
    options_.dsn = server().CreateDatabaseWithMogdbsetup(db_name_);
    options_.user = MariaDbServer::kUser;
    options_.pass = MariaDbServer::kPassword;
    store_ = NewStore();
    ASSERT_NE(store_, nullptr);
  }

  static MariaDbServer& server() { return MariaDbServer::Shared(); }

  std::unique_ptr<Store> NewStore() {
    auto factory = MakeStoreFactory(options_);
    EXPECT_TRUE(factory) << factory.error().message();
    if (!factory) return nullptr;
    auto store = (*factory)->Create();
    EXPECT_TRUE(store) << store.error().message();
    if (!store) return nullptr;
    return std::move(*store);
  }

  std::string Sql(const std::string& sql) { return server().QueryValue(sql, db_name_); }
  void Exec(const std::string& sql) { server().Exec(sql, db_name_); }

  // A committed file (through the interface) for tests that need one.
  void AddFile(Fid fid, DmId dmid, const std::string& key, DevId devid = 1, uint64_t length = 100,
               ClassId classid = 0) {
    CloseFile close;
    close.file = FileRow{fid, dmid, key, length, classid, 0};
    close.devid = devid;
    ASSERT_TRUE(store_->CommitFile(close));
  }

  std::string db_name_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

template <typename T>
T Ok(Result<T> r) {
  EXPECT_TRUE(r) << r.error().token() << ": " << r.error().message();
  if (!r) return T{};
  return std::move(*r);
}
void Ok(Result<void> r) { EXPECT_TRUE(r) << r.error().token() << ": " << r.error().message(); }

Errc CodeOf(const Result<void>& r) { return r ? Errc::kFailure : r.error().code(); }
template <typename T>
Errc CodeOf(const Result<T>& r) {
  EXPECT_FALSE(r) << "expected an error";
  return r ? Errc::kFailure : r.error().code();
}

TEST_F(StoreMySqlTest, PingAndDbNowUseTheServerClock) {
  Ok(store_->Ping());
  int64_t now = Ok(store_->DbNow());
  EXPECT_NEAR(now, std::stoll(Sql("SELECT UNIX_TIMESTAMP()")), 2);
}

TEST_F(StoreMySqlTest, DomainsRoundTripWithDbCollation) {
  EXPECT_EQ(Ok(store_->CreateDomain("photos")), 1u);
  EXPECT_EQ(Ok(store_->CreateDomain("videos")), 2u);
  EXPECT_EQ(CodeOf(store_->CreateDomain("photos")), Errc::kDup);
  auto all = Ok(store_->GetAllDomains());
  ASSERT_EQ(all.size(), 2u);
  // Admin lookups go through the DB collation: case-insensitive as upstream on latin1.
  auto found = Ok(store_->FindDomain("PHOTOS"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->dmid, 1u);
  EXPECT_EQ(found->name, "photos");
  EXPECT_FALSE(Ok(store_->FindDomain("nope")));

  EXPECT_FALSE(Ok(store_->DomainHasFiles(1)));
  AddFile(10, 1, "k");
  EXPECT_TRUE(Ok(store_->DomainHasFiles(1)));
  EXPECT_FALSE(Ok(store_->DomainHasClasses(2)));
  EXPECT_EQ(Ok(store_->CreateClass(2, "default", {})), 0u);
  EXPECT_FALSE(Ok(store_->DomainHasClasses(2))) << "class 0 does not count";
  Ok(store_->DeleteDomain(2));
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM domain WHERE dmid=2"), "0");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM class WHERE dmid=2"), "0");
}

TEST_F(StoreMySqlTest, ClassesRoundTrip) {
  DmId dmid = Ok(store_->CreateDomain("d"));
  EXPECT_EQ(Ok(store_->CreateClass(dmid, "default", {})), 0u);
  ClassUpdate update;
  update.mindevcount = 3;
  update.replpolicy = "MultipleHosts(3)";
  update.hashtype = kHashMd5;
  EXPECT_EQ(Ok(store_->CreateClass(dmid, "big", update)), 1u);
  EXPECT_EQ(Ok(store_->CreateClass(dmid, "small", {})), 2u);
  EXPECT_EQ(CodeOf(store_->CreateClass(dmid, "big", {})), Errc::kDup);
  EXPECT_TRUE(Ok(store_->DomainHasClasses(dmid)));

  auto big = Ok(store_->FindClass(dmid, "big"));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->classid, 1u);
  EXPECT_EQ(big->mindevcount, 3);
  EXPECT_EQ(big->replpolicy, "MultipleHosts(3)");
  EXPECT_EQ(big->hashtype, kHashMd5);
  auto small = Ok(store_->FindClass(dmid, "small"));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->mindevcount, 2) << "inserted with upstream's default";
  EXPECT_EQ(small->hashtype, kHashNone);
  EXPECT_EQ(small->replpolicy, "");

  ClassUpdate clear;
  clear.hashtype = kHashNone;
  clear.replpolicy = "";
  clear.name = "huge";
  Ok(store_->UpdateClass(dmid, 1, clear));
  EXPECT_EQ(Sql("SELECT CONCAT_WS(',', classname, IFNULL(hashtype,'NULL'), "
                "IFNULL(replpolicy,'NULL')) FROM class WHERE classid=1"),
            "huge,NULL,NULL");
  EXPECT_EQ(Ok(store_->GetAllClasses()).size(), 3u);

  EXPECT_FALSE(Ok(store_->ClassHasFiles(dmid, 2)));
  AddFile(5, dmid, "x", 1, 1, 2);
  EXPECT_TRUE(Ok(store_->ClassHasFiles(dmid, 2)));
  Ok(store_->DeleteClass(dmid, 1));
  EXPECT_FALSE(Ok(store_->FindClass(dmid, "huge")));
}

TEST_F(StoreMySqlTest, HostsRoundTrip) {
  HostUpdate update;
  update.http_port = "7600";
  update.status = "alive";
  update.altip = "10.1.0.2";
  update.altmask = "10.1.0.0/16";
  HostId h1 = Ok(store_->CreateHost("store1", "127.0.0.2", update));
  EXPECT_EQ(h1, 1u);
  HostId h2 = Ok(store_->CreateHost("store2", "127.0.0.3", {}));
  EXPECT_EQ(h2, 2u);
  EXPECT_EQ(CodeOf(store_->CreateHost("store3", "127.0.0.2", {})), Errc::kDup) << "same IP";
  EXPECT_EQ(CodeOf(store_->CreateHost("store1", "127.0.0.9", {})), Errc::kDup) << "same name";

  auto row = Ok(store_->FindHost("store1"));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, "alive");
  EXPECT_EQ(row->http_port, 7600u);
  EXPECT_FALSE(row->http_get_port);
  EXPECT_EQ(row->altip, "10.1.0.2");
  EXPECT_EQ(row->altmask, "10.1.0.0/16");
  auto second = Ok(store_->FindHost("store2"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, "down") << "new hosts start down";
  EXPECT_EQ(second->http_port, 7500u) << "column default";

  HostUpdate change;
  change.http_get_port = "7501";
  change.http_port = "";  // empty integer -> NULL
  change.altip = "";
  Ok(store_->UpdateHost(h1, change));
  row = Ok(store_->FindHost("store1"));
  EXPECT_EQ(row->http_get_port, 7501u);
  EXPECT_FALSE(row->http_port);
  EXPECT_EQ(row->altip, "");
  EXPECT_EQ(Sql("SELECT IFNULL(altip,'NULL') FROM host WHERE hostid=1"), "NULL");

  HostUpdate bad;
  bad.http_port = "12ab";
  EXPECT_EQ(CodeOf(store_->UpdateHost(h1, bad)), Errc::kFailure);
  HostUpdate bad_status;
  bad_status.status = "exploded";
  EXPECT_FALSE(store_->UpdateHost(h1, bad_status)) << "strict ENUM";

  EXPECT_FALSE(Ok(store_->HostHasDevices(h1)));
  Ok(store_->CreateDevice(1, h1, "alive"));
  EXPECT_TRUE(Ok(store_->HostHasDevices(h1)));
  Ok(store_->DeleteHost(h2));
  EXPECT_EQ(Ok(store_->GetAllHosts()).size(), 1u);
}

TEST_F(StoreMySqlTest, DevicesRoundTripAndUsageUpdates) {
  HostId h = Ok(store_->CreateHost("s", "127.0.0.2", {}));
  Ok(store_->CreateDevice(1, h, "alive"));
  Ok(store_->CreateDevice(2, h, "readonly"));
  EXPECT_EQ(CodeOf(store_->CreateDevice(1, h, "alive")), Errc::kDup);

  auto d1 = Ok(store_->GetDevice(1));
  ASSERT_TRUE(d1);
  EXPECT_EQ(d1->hostid, h);
  EXPECT_EQ(d1->status, "alive");
  EXPECT_EQ(d1->weight, 100);
  EXPECT_FALSE(d1->mb_total);
  EXPECT_FALSE(Ok(store_->GetDevice(99)));

  DeviceUpdate u;
  u.status = "drain";
  u.weight = 0;
  Ok(store_->UpdateDevice(2, u));
  Ok(store_->UpdateDeviceUsages({{1, 5000000, 1234, 1700000000}, {2, 20, 10, 1700000001}}));
  auto devices = Ok(store_->GetAllDevices());
  ASSERT_EQ(devices.size(), 2u);
  std::sort(devices.begin(), devices.end(),
            [](const DeviceRow& a, const DeviceRow& b) { return a.devid < b.devid; });
  EXPECT_EQ(devices[0].mb_total, 5000000u);
  EXPECT_EQ(devices[0].mb_used, 1234u);
  EXPECT_EQ(devices[0].mb_asof, 1700000000);
  EXPECT_EQ(devices[1].status, "drain");
  EXPECT_EQ(devices[1].weight, 0);
  EXPECT_EQ(devices[1].mb_asof, 1700000001);
}

TEST_F(StoreMySqlTest, TempfileAllocationAutoExplicitAndMinFidid) {
  NewTempfile t;
  t.dmid = 1;
  t.dkey = "key";
  t.devids = "1,2,3";
  Fid first = Ok(store_->RegisterTempfile(t, 0));
  EXPECT_GT(first, 0u);
  Fid second = Ok(store_->RegisterTempfile(t, 0));
  EXPECT_GT(second, first);

  auto row = Ok(store_->GetTempfile(first));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->dkey, "key");
  EXPECT_EQ(row->devids, "1,2,3");
  EXPECT_NEAR(row->createtime, Ok(store_->DbNow()), 5);

  // Explicit fids: used as given, a second claim is fid_in_use.
  t.explicit_fid = 1000;
  EXPECT_EQ(Ok(store_->RegisterTempfile(t, 0)), 1000u);
  EXPECT_EQ(CodeOf(store_->RegisterTempfile(t, 0)), Errc::kFidInUse);

  // A fid already in `file` or <= min_fidid (MAX(file.fid) at tracker start) is refused...
  AddFile(5000, 1, "existing");
  t.explicit_fid = 5000;
  EXPECT_EQ(CodeOf(store_->RegisterTempfile(t, 0)), Errc::kFidInUse);
  t.explicit_fid = 2000;
  EXPECT_EQ(CodeOf(store_->RegisterTempfile(t, 4999)), Errc::kFidInUse);
  // ...and automatic allocation jumps above both.
  t.explicit_fid.reset();
  Fid after = Ok(store_->RegisterTempfile(t, 5000));
  EXPECT_GT(after, 5000u);
  Fid next = Ok(store_->RegisterTempfile(t, 5000));
  EXPECT_EQ(next, after + 1);

  // Auto allocation never hands out a fid that is in `file`, even with min_fidid 0.
  Exec("INSERT INTO file VALUES (" + std::to_string(next + 1) + ", 1, 'squatter', 1, 0, 1)");
  Fid skip = Ok(store_->RegisterTempfile(t, 0));
  EXPECT_GT(skip, next + 1);

  // create_close takes the row exactly once.
  auto taken = Ok(store_->TakeTempfile(first));
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->fid, first);
  EXPECT_FALSE(Ok(store_->TakeTempfile(first)));
  EXPECT_FALSE(Ok(store_->GetTempfile(first)));

  // GC sees only rows older than the age.
  Exec("UPDATE tempfile SET createtime = UNIX_TIMESTAMP() - 7200 WHERE fid = " +
       std::to_string(second));
  auto old = Ok(store_->OldTempfiles(3600, 50));
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].fid, second);
  Ok(store_->DeleteTempfile(second));
  EXPECT_TRUE(Ok(store_->OldTempfiles(3600, 50)).empty());
}

TEST_F(StoreMySqlTest, CommitFileWritesEverythingInOneTransaction) {
  CloseFile close;
  close.file = FileRow{77, 1, "photo.jpg", 123456, 2, 0};
  close.devid = 3;
  std::string digest("\x00\xff\x10\x80 binary\x01\x02\x03\x04\x05\x06", 16);
  close.checksum = ChecksumRow{77, kHashMd5, digest};
  Ok(store_->CommitFile(close));

  auto by_key = Ok(store_->FileByKey(1, "photo.jpg"));
  ASSERT_TRUE(by_key);
  EXPECT_EQ(by_key->fid, 77u);
  EXPECT_EQ(by_key->length, 123456u);
  EXPECT_EQ(by_key->classid, 2u);
  EXPECT_EQ(by_key->devcount, 1);
  auto by_fid = Ok(store_->FileByFid(77));
  ASSERT_TRUE(by_fid);
  EXPECT_EQ(by_fid->dkey, "photo.jpg");
  EXPECT_EQ(Ok(store_->GetFileOn(77)), std::vector<DevId>{3});
  auto sum = Ok(store_->GetChecksum(77));
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->hashtype, kHashMd5);
  EXPECT_EQ(sum->checksum, digest);
  auto repl = Ok(store_->GetReplicateQueueRow(77));
  ASSERT_TRUE(repl);
  EXPECT_EQ(repl->nexttry, 0);
  EXPECT_FALSE(repl->fromdevid);

  // A failure in the middle (checksum too long for VARBINARY(64) in strict mode) leaves
  // nothing behind: not even the file_on row inserted first.
  CloseFile broken;
  broken.file = FileRow{78, 1, "broken", 1, 0, 0};
  broken.devid = 3;
  broken.checksum = ChecksumRow{78, kHashSha1, std::string(65, 'x')};
  EXPECT_FALSE(store_->CommitFile(broken));
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM file_on WHERE fid=78"), "0");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM file WHERE fid=78"), "0");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM file_to_replicate WHERE fid=78"), "0");
  // And the connection is still usable afterwards.
  Ok(store_->Ping());
  EXPECT_TRUE(Ok(store_->FileByFid(77)));
}

TEST_F(StoreMySqlTest, CloseUploadClaimsTheTempfileAndCommitsOnce) {
  NewTempfile t;
  t.dmid = 1;
  t.dkey = "shoe.jpg";
  t.devids = "3,4";
  const Fid first = Ok(store_->RegisterTempfile(t, 0));
  CloseFile close;
  close.file = FileRow{first, 1, "shoe.jpg", 4096, 0, 0};
  close.devid = 3;
  EXPECT_EQ(Ok(store_->CloseUpload(close)), CloseOutcome::kClosed);
  EXPECT_FALSE(Ok(store_->GetTempfile(first)));
  EXPECT_EQ(Ok(store_->GetFileOn(first)), std::vector<DevId>{3});
  EXPECT_TRUE(Ok(store_->GetReplicateQueueRow(first)));
  // A second close of the same upload finds no tempfile and changes nothing.
  EXPECT_EQ(Ok(store_->CloseUpload(close)), CloseOutcome::kNoTempfile);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM file WHERE dkey='shoe.jpg'"), "1");

  // A new upload under the same key replaces the old file, which is queued for deletion; a
  // class one copy satisfies is not queued for replication.
  const Fid second = Ok(store_->RegisterTempfile(t, 0));
  close.file.fid = second;
  close.devid = 4;
  close.enqueue_replication = false;
  EXPECT_EQ(Ok(store_->CloseUpload(close)), CloseOutcome::kClosed);
  auto now = Ok(store_->FileByKey(1, "shoe.jpg"));
  ASSERT_TRUE(now);
  EXPECT_EQ(now->fid, second);
  EXPECT_FALSE(Ok(store_->FileByFid(first)));
  EXPECT_TRUE(Ok(store_->GetDeleteQueueRow(first)));
  EXPECT_FALSE(Ok(store_->GetReplicateQueueRow(second)));

  // Closing a fid that already is the key's file (a replayed close whose tempfile row came
  // back) is refused and rolls back: the tempfile row stays for the GC.
  Exec("INSERT INTO tempfile (fid, dmid, dkey, classid, devids, createtime) VALUES (" +
       std::to_string(second) + ", 1, 'shoe.jpg', 0, '4', UNIX_TIMESTAMP())");
  EXPECT_EQ(Ok(store_->CloseUpload(close)), CloseOutcome::kFidExists);
  EXPECT_TRUE(Ok(store_->GetTempfile(second)));
  EXPECT_EQ(Ok(store_->GetFileOn(second)), std::vector<DevId>{4});
}

// Concurrent closes of neighbouring new keys (what parallel uploads with sequential names do)
// must not deadlock each other: every one is closed, none surfaces an error.
TEST_F(StoreMySqlTest, ConcurrentClosesOfNeighbouringKeysAllSucceed) {
  constexpr int kThreads = 4;
  constexpr int kEach = 60;
  // Every upload is registered first; then all closers start together, interleaved keys.
  std::vector<std::vector<CloseFile>> work(kThreads);
  for (int i = 0; i < kThreads * kEach; ++i) {
    NewTempfile tf;
    tf.dmid = 1;
    tf.dkey = "seq/" + std::to_string(1000 + i);
    tf.devids = "1";
    const Fid fid = Ok(store_->RegisterTempfile(tf, 0));
    CloseFile close;
    close.file = FileRow{fid, 1, tf.dkey, 10, 0, 0};
    close.devid = 1;
    work[i % kThreads].push_back(close);
  }
  std::vector<std::unique_ptr<Store>> stores;
  for (int t = 0; t < kThreads; ++t) stores.push_back(NewStore());
  std::atomic<int> ready{0};
  std::atomic<int> closed{0};
  std::mutex mu;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      for (int spin = 0; ready.load() < kThreads && spin < 1000000; ++spin) std::this_thread::yield();
      for (const CloseFile& close : work[t]) {
        auto r = stores[t]->CloseUpload(close);
        if (r && *r == CloseOutcome::kClosed) {
          ++closed;
        } else {
          std::lock_guard lock(mu);
          errors.push_back(r ? "not closed" : r.error().message());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(closed.load(), kThreads * kEach) << ::testing::PrintToString(errors);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM file WHERE dkey LIKE 'seq/%'"),
            std::to_string(kThreads * kEach));
}

TEST_F(StoreMySqlTest, FileWithDevidsByKeyReadsFileAndCopiesTogether) {
  EXPECT_FALSE(Ok(store_->FileWithDevidsByKey(1, "nothing")));
  AddFile(50, 1, "two-copies", 7, 999);
  Ok(store_->AddFileOn(50, 2));
  auto both = Ok(store_->FileWithDevidsByKey(1, "two-copies"));
  ASSERT_TRUE(both);
  EXPECT_EQ(both->file.fid, 50u);
  EXPECT_EQ(both->file.length, 999u);
  EXPECT_EQ(both->devids, (std::vector<DevId>{2, 7}));
  // A file row whose copies are all gone still answers, with no devids.
  Ok(store_->RemoveFileOn(50, 2));
  Ok(store_->RemoveFileOn(50, 7));
  auto none = Ok(store_->FileWithDevidsByKey(1, "two-copies"));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->devids.empty());
  EXPECT_FALSE(Ok(store_->FileWithDevidsByKey(2, "two-copies"))) << "other domain";
}

TEST_F(StoreMySqlTest, FilesByFidsUpdatesAndDevcount) {
  for (Fid f = 1; f <= 120; ++f) AddFile(f, 1, "k" + std::to_string(f), 1, f);
  std::vector<Fid> want;
  for (Fid f = 1; f <= 130; f += 2) want.push_back(f);
  auto rows = Ok(store_->FilesByFids(want));
  EXPECT_EQ(rows.size(), 60u) << "fids 1,3..119 exist; batches of 50 padded correctly";
  for (const auto& r : rows) EXPECT_EQ(r.fid % 2, 1u);

  Ok(store_->AddFileOn(7, 2));
  Ok(store_->AddFileOn(7, 2));  // INSERT IGNORE
  Ok(store_->AddFileOn(7, 3));
  EXPECT_EQ(Ok(store_->GetFileOn(7)), (std::vector<DevId>{1, 2, 3}));
  Ok(store_->UpdateDevcount(7));
  EXPECT_EQ(Ok(store_->FileByFid(7))->devcount, 3);
  Ok(store_->RemoveFileOn(7, 1));
  Ok(store_->UpdateDevcount(7));
  EXPECT_EQ(Ok(store_->FileByFid(7))->devcount, 2);
  Ok(store_->SetDevcount(7, 9));
  EXPECT_EQ(Ok(store_->FileByFid(7))->devcount, 9);
  Ok(store_->UpdateFileClass(7, 4));
  EXPECT_EQ(Ok(store_->FileByFid(7))->classid, 4u);

  EXPECT_EQ(Ok(store_->MaxFid()), 120u);
  EXPECT_EQ(Ok(store_->FidsBetween(10, 15, 100)), (std::vector<Fid>{11, 12, 13, 14, 15}));
  EXPECT_EQ(Ok(store_->FidsBetween(10, 15, 2)), (std::vector<Fid>{11, 12}));
  EXPECT_EQ(Ok(store_->FidsOnDevice(1, 0, 3)), (std::vector<Fid>{1, 2, 3}));
  EXPECT_EQ(Ok(store_->FidsOnDevice(1, 3, 2)), (std::vector<Fid>{4, 5}));
  EXPECT_EQ(Ok(store_->FidsOnDevice(1, 0, 2, true)), (std::vector<Fid>{120, 119}));
  EXPECT_EQ(Ok(store_->FidsOnDevice(1, 119, 2, true)), (std::vector<Fid>{118, 117}));
  EXPECT_EQ(Ok(store_->FidsOnDevice(3, 0, 10)), (std::vector<Fid>{7}));
}

TEST_F(StoreMySqlTest, ListFidsPagesInFidOrder) {
  for (Fid f : {30, 10, 20, 40}) AddFile(f, 1, "k" + std::to_string(f));
  auto page = Ok(store_->ListFids(0, 3));
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].fid, 10u);
  EXPECT_EQ(page[2].fid, 30u);
  EXPECT_EQ(page[1].dkey, "k20");
  page = Ok(store_->ListFids(30, 100));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].fid, 40u);
  EXPECT_TRUE(Ok(store_->ListFids(40, 100)).empty());
}

TEST_F(StoreMySqlTest, ListKeysEscapesLikeAndPages) {
  Fid fid = 1;
  for (const char* key : {"a%b", "a_b", "axb", "a\\b", "ab1", "ab2", "ab3", "b", "Abc"}) {
    AddFile(fid++, 1, key);
  }
  AddFile(fid++, 2, "ab-other-domain");
  auto keys = [&](std::string prefix, std::string after, int limit, bool cs = false) {
    ListKeysQuery q;
    q.dmid = 1;
    q.prefix = std::move(prefix);
    q.after = std::move(after);
    q.limit = limit;
    q.case_sensitive = cs;
    return Ok(store_->ListKeys(q));
  };
  EXPECT_EQ(keys("a%", "", 100), std::vector<std::string>{"a%b"});
  EXPECT_EQ(keys("a_", "", 100), std::vector<std::string>{"a_b"});
  EXPECT_EQ(keys("a\\", "", 100), std::vector<std::string>{"a\\b"});
  // latin1 collation: case-insensitive unless case_sensitive_list_keys.
  EXPECT_EQ(keys("ab", "", 100), (std::vector<std::string>{"ab1", "ab2", "ab3", "Abc"}));
  EXPECT_EQ(keys("ab", "", 100, true), (std::vector<std::string>{"ab1", "ab2", "ab3"}));
  // Paging with `after`.
  EXPECT_EQ(keys("ab", "", 2), (std::vector<std::string>{"ab1", "ab2"}));
  EXPECT_EQ(keys("ab", "ab2", 2), (std::vector<std::string>{"ab3", "Abc"}));
  EXPECT_TRUE(keys("ab", "Abc", 2).empty());
  EXPECT_EQ(keys("", "", 0).size(), 9u) << "0 = default 1000";
}

TEST_F(StoreMySqlTest, RenameAndDeleteFile) {
  AddFile(1, 1, "from");
  AddFile(2, 1, "taken");
  EXPECT_TRUE(Ok(store_->RenameFile(1, "from", "to")));
  EXPECT_EQ(Ok(store_->FileByFid(1))->dkey, "to");
  EXPECT_FALSE(Ok(store_->RenameFile(1, "from", "again"))) << "unknown_key";
  EXPECT_EQ(CodeOf(store_->RenameFile(1, "to", "taken")), Errc::kDup) << "key_exists";
  EXPECT_EQ(Ok(store_->FileByFid(1))->dkey, "to") << "unchanged after the failed rename";
  EXPECT_TRUE(Ok(store_->RenameFile(1, "to", "to"))) << "rename onto itself is no error";

  Ok(store_->DeleteFileAndEnqueue(2));
  EXPECT_FALSE(Ok(store_->FileByFid(2)));
  auto del = Ok(store_->GetDeleteQueueRow(2));
  ASSERT_TRUE(del);
  EXPECT_NEAR(del->nexttry, Ok(store_->DbNow()), 5);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM file_on WHERE fid=2"), "1") << "blob rows stay for the "
                                                                     "Delete worker";
  Ok(store_->DeleteFileAndEnqueue(2));  // twice: INSERT IGNORE
}

TEST_F(StoreMySqlTest, Utf8KeysRoundTripByteForByte) {
  const std::vector<std::string> keys = {
      "产品/华为 Mate 60 Pro 手机壳 (黑色).jpg",
      "商品目录/小米手环８代-说明书.pdf",
      "日本語のファイル名.txt",
      "emoji-\xF0\x9F\x93\xA6-box",
  };
  Fid fid = 100;
  for (const auto& key : keys) AddFile(fid++, 1, key);
  fid = 100;
  for (const auto& key : keys) {
    auto row = Ok(store_->FileByKey(1, key));
    ASSERT_TRUE(row) << key;
    EXPECT_EQ(row->fid, fid);
    EXPECT_EQ(Ok(store_->FileByFid(fid))->dkey, key);
    ++fid;
  }
  // Stored byte-for-byte (as latin1 characters), exactly as upstream's tables hold them.
  EXPECT_EQ(Sql("SELECT HEX(dkey) FROM file WHERE fid=100"),
            Sql("SELECT HEX(CONVERT(_utf8mb4'产品/华为 Mate 60 Pro 手机壳 (黑色).jpg' USING "
                "binary))"));
  ListKeysQuery q;
  q.dmid = 1;
  q.prefix = "产品/华为";
  EXPECT_EQ(Ok(store_->ListKeys(q)), std::vector<std::string>{keys[0]});
  EXPECT_TRUE(Ok(store_->RenameFile(1, keys[1], "商品目录/改名.pdf")));
  EXPECT_TRUE(Ok(store_->FileByKey(1, "商品目录/改名.pdf")));

  // Every byte value except NUL-free edge cases survives as a key.
  std::string all_bytes;
  for (int b = 1; b < 256; ++b) all_bytes += static_cast<char>(b);
  AddFile(500, 1, all_bytes);
  EXPECT_EQ(Ok(store_->FileByFid(500))->dkey, all_bytes);
  EXPECT_TRUE(Ok(store_->FileByKey(1, all_bytes)));
}

TEST_F(StoreMySqlTest, ServerSettings) {
  EXPECT_EQ(Ok(store_->GetServerSetting("schema_version")), "17");
  EXPECT_FALSE(Ok(store_->GetServerSetting("nope")));
  Ok(store_->SetServerSetting("skip_mkcol", "1"));
  Ok(store_->SetServerSetting("skip_mkcol", "0"));
  std::string big(5000, 'v');  // TEXT, not VARCHAR(255)
  Ok(store_->SetServerSetting("rebal_state", big));
  EXPECT_EQ(Ok(store_->GetServerSetting("rebal_state")), big);
  Ok(store_->SetServerSetting("fsck_sum_evcount_MISS", "3"));
  Ok(store_->SetServerSetting("fsck_sum_evcount_NOPA", "4"));
  Ok(store_->SetServerSetting("fsck_sumXevcount", "keep"));
  auto all = Ok(store_->GetServerSettings());
  EXPECT_EQ(all.size(), 6u);
  EXPECT_EQ(all["skip_mkcol"], "0");

  Ok(store_->DeleteServerSettingsWithPrefix("fsck_sum_"));
  all = Ok(store_->GetServerSettings());
  EXPECT_EQ(all.count("fsck_sum_evcount_MISS"), 0u);
  EXPECT_EQ(all.count("fsck_sumXevcount"), 1u) << "'_' is literal in the prefix";
  Ok(store_->DeleteServerSetting("skip_mkcol"));
  EXPECT_FALSE(Ok(store_->GetServerSetting("skip_mkcol")));

  EXPECT_EQ(Ok(store_->IncrServerSetting("slave_version", 1)), 1);
  EXPECT_EQ(Ok(store_->IncrServerSetting("slave_version", 1)), 2);
  EXPECT_EQ(Ok(store_->IncrServerSetting("slave_version", 5)), 7);
  EXPECT_EQ(Ok(store_->GetServerSetting("slave_version")), "7");
}

TEST_F(StoreMySqlTest, ReplicationQueueClaimHonoursNexttry) {
  Ok(store_->EnqueueReplicate(1, std::nullopt, NextTry::At(0)));
  Ok(store_->EnqueueReplicate(2, DevId{4}, NextTry::In(0)));
  Ok(store_->EnqueueReplicate(3, std::nullopt, NextTry::In(600)));  // not yet due
  Ok(store_->EnqueueReplicate(1, std::nullopt, NextTry::In(999)));  // ignored: already queued
  int64_t now = Ok(store_->DbNow());

  auto claimed = Ok(store_->ClaimReplicate(10));
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].fid, 1u) << "ordered by nexttry";
  EXPECT_EQ(claimed[1].fid, 2u);
  EXPECT_EQ(claimed[1].fromdevid, 4u);
  // Claimed rows are pushed 1000 s into the (DB) future, so nobody else takes them.
  EXPECT_NEAR(Ok(store_->GetReplicateQueueRow(1))->nexttry, now + 1000, 5);
  EXPECT_TRUE(Ok(store_->ClaimReplicate(10)).empty());
  auto other = NewStore();
  EXPECT_TRUE(Ok(other->ClaimReplicate(10)).empty());

  Ok(store_->RescheduleReplicate(1, NextTry::At(0)));
  auto row = Ok(store_->GetReplicateQueueRow(1));
  EXPECT_EQ(row->nexttry, 0);
  EXPECT_EQ(row->failcount, 1);
  Ok(store_->RescheduleReplicate(1, NextTry::At(0), false));
  EXPECT_EQ(Ok(store_->GetReplicateQueueRow(1))->failcount, 1);
  EXPECT_EQ(Ok(other->ClaimReplicate(10)).size(), 1u) << "due again";

  Ok(store_->RescheduleReplicate(2, NextTry::At(kNextTryNever)));
  EXPECT_EQ(Ok(store_->CountDeferredReplicate()), 2u) << "fid 1 (claimed) and 3; parked excluded";
  EXPECT_EQ(Ok(store_->ReplicateNow()), 3u) << "every future row, parked ones included";
  EXPECT_EQ(Ok(store_->ClaimReplicate(1)).size(), 1u) << "limit";
  Ok(store_->DequeueReplicate(3));
  EXPECT_FALSE(Ok(store_->GetReplicateQueueRow(3)));
}

// Our JobMaster's short lease is written by the claim's own transaction, for every queue.
TEST_F(StoreMySqlTest, ClaimsDateRowsToTheGivenLease) {
  Ok(store_->EnqueueReplicate(11, std::nullopt, NextTry::At(0)));
  Ok(store_->EnqueueDelete(12, NextTry::At(0)));
  QueueRow move;
  move.fid = 13;
  move.type = kQueueTypeRebalance;
  Ok(store_->EnqueueQueueRows({move}));
  const int64_t now = Ok(store_->DbNow());
  ASSERT_EQ(Ok(store_->ClaimReplicate(10, 20)).size(), 1u);
  ASSERT_EQ(Ok(store_->ClaimDelete(10, 20)).size(), 1u);
  ASSERT_EQ(Ok(store_->ClaimQueue(kQueueTypeRebalance, 10, 20)).size(), 1u);
  EXPECT_NEAR(Ok(store_->GetReplicateQueueRow(11))->nexttry, now + 20, 3);
  EXPECT_NEAR(Ok(store_->GetDeleteQueueRow(12))->nexttry, now + 20, 3);
  auto q = Ok(store_->GetQueueRows(13));
  ASSERT_EQ(q.size(), 1u);
  EXPECT_NEAR(q[0].nexttry, now + 20, 3);
}

TEST_F(StoreMySqlTest, DeleteQueueAndLegacyQueues) {
  Ok(store_->EnqueueDelete(5, NextTry::In(0)));
  Ok(store_->EnqueueDelete(6, NextTry::In(3600)));
  auto claimed = Ok(store_->ClaimDelete(100));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].fid, 5u);
  Ok(store_->RescheduleDelete(5, NextTry::In(-10)));
  auto row = Ok(store_->GetDeleteQueueRow(5));
  EXPECT_EQ(row->failcount, 1);
  EXPECT_EQ(Ok(store_->ClaimDelete(100)).size(), 1u);
  Ok(store_->DequeueDelete(5));
  EXPECT_FALSE(Ok(store_->GetDeleteQueueRow(5)));

  Exec("INSERT INTO file_to_delete VALUES (11)");
  Exec("INSERT INTO file_to_delete_later VALUES (12, UNIX_TIMESTAMP() - 5)");
  Exec("INSERT INTO file_to_delete_later VALUES (13, UNIX_TIMESTAMP() + 500)");
  auto legacy = Ok(store_->LegacyDeleteFids(10));
  std::sort(legacy.begin(), legacy.end());
  EXPECT_EQ(legacy, (std::vector<Fid>{11, 12}));
  Ok(store_->RemoveLegacyDelete(11));
  Ok(store_->RemoveLegacyDelete(12));
  EXPECT_TRUE(Ok(store_->LegacyDeleteFids(10)).empty());
}

TEST_F(StoreMySqlTest, GenericQueueByType) {
  Ok(store_->EnqueueQueueRows({{1, std::nullopt, kQueueTypeFsck, 0, 0, 0, std::nullopt},
                               {2, DevId{3}, kQueueTypeRebalance, 0, 0, 0, "4,5,6"},
                               {3, std::nullopt, kQueueTypeFsck, 0, 0, 0, std::nullopt}}));
  Ok(store_->EnqueueQueueRows({{1, std::nullopt, kQueueTypeFsck, 99, 0, 0, std::nullopt}}));
  EXPECT_EQ(Ok(store_->CountQueue(kQueueTypeFsck)), 2u);
  auto rebal = Ok(store_->ClaimQueue(kQueueTypeRebalance, 10));
  ASSERT_EQ(rebal.size(), 1u);
  EXPECT_EQ(rebal[0].devid, 3u);
  EXPECT_EQ(rebal[0].arg, "4,5,6");
  auto fsck = Ok(store_->ClaimQueue(kQueueTypeFsck, 10));
  ASSERT_EQ(fsck.size(), 2u);
  EXPECT_EQ(fsck[0].nexttry, 0) << "nexttry 99 was ignored (INSERT IGNORE)";
  EXPECT_TRUE(Ok(store_->ClaimQueue(kQueueTypeFsck, 10)).empty());
  Ok(store_->RescheduleQueue(1, kQueueTypeFsck, NextTry::At(0)));
  auto rows = Ok(store_->GetQueueRows(1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].failcount, 1);
  Ok(store_->DequeueQueueRow(1, kQueueTypeFsck));
  EXPECT_TRUE(Ok(store_->GetQueueRows(1)).empty());
}

TEST_F(StoreMySqlTest, FsckLog) {
  EXPECT_EQ(Ok(store_->MaxFsckLogid()), 0u);
  Ok(store_->AddFsckLog(Fid{10}, "MISS", DevId{2}));
  Ok(store_->AddFsckLog(Fid{11}, "NOPA", std::nullopt));
  Ok(store_->AddFsckLog(std::nullopt, "MISS", std::nullopt));
  uint64_t max = Ok(store_->MaxFsckLogid());
  EXPECT_EQ(max, 3u);
  auto rows = Ok(store_->FsckLogRows(1, 100));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fid, 11u);
  EXPECT_EQ(rows[0].evcode, "NOPA");
  EXPECT_FALSE(rows[0].devid);
  EXPECT_FALSE(rows[1].fid);
  EXPECT_NEAR(rows[0].utime, Ok(store_->DbNow()), 5);
  auto counts = Ok(store_->FsckLogCounts(0, max));
  EXPECT_EQ(counts["MISS"], 2u);
  EXPECT_EQ(counts["NOPA"], 1u);
  EXPECT_EQ(Ok(store_->FsckLogCounts(1, 2)).size(), 1u);
  Ok(store_->ClearFsckLog());
  EXPECT_TRUE(Ok(store_->FsckLogRows(0, 100)).empty());
}

TEST_F(StoreMySqlTest, NamedLocksAreExclusiveAcrossConnections) {
  auto other = NewStore();
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE(Ok(store_->GetLock("mgfs:fid:42:replicate", 0)));
  EXPECT_FALSE(Ok(other->GetLock("mgfs:fid:42:replicate", 0)));
  EXPECT_FALSE(Ok(other->GetLock("mgfs:fid:42:replicate", 1))) << "waits, then gives up";
  EXPECT_TRUE(Ok(other->GetLock("mgfs:fid:43:replicate", 0))) << "different name";
  Ok(store_->ReleaseLock("mgfs:fid:42:replicate"));
  {
    ScopedNamedLock lock(*other, "mgfs:fid:42:replicate");
    EXPECT_TRUE(Ok(lock.Acquire(0)));
    EXPECT_TRUE(lock.held());
    EXPECT_FALSE(Ok(store_->GetLock("mgfs:fid:42:replicate", 0)));
  }
  EXPECT_TRUE(Ok(store_->GetLock("mgfs:fid:42:replicate", 0))) << "released by the scope";

  // The queue lock taken by a claim is re-entrant for its holder (GET_LOCK per session).
  Ok(store_->EnqueueReplicate(1, std::nullopt, NextTry::At(0)));
  EXPECT_TRUE(Ok(other->GetLock("mfsd:file_to_replicate", 0)));
  EXPECT_EQ(Ok(other->ClaimReplicate(10)).size(), 1u);
}

}  // namespace
}  // namespace mog::tracker
