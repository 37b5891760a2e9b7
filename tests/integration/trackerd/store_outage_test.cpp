// The database going away must give Errc::kDb quickly (never a hang) and the store must work
// again, without being recreated, once the database is back. Uses its own MariaDB instance
// because it kills it.
#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/mariadb.h"
#include "trackerd/store/store.h"

namespace mog::tracker {
namespace {

using mog::test::MariaDbServer;
using Clock = std::chrono::steady_clock;

class StoreOutageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new MariaDbServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    if (!server_->running()) server_->Restart();
    db_name_ = server_->UniqueDatabaseName("outage");
    options_.dsn = server_->CreateDatabaseWithMogdbsetup(db_name_);
    options_.user = MariaDbServer::kUser;
    options_.pass = MariaDbServer::kPassword;
    options_.connect_timeout_seconds = 2;
    options_.read_write_timeout_seconds = 3;
    auto factory = MakeStoreFactory(options_);
    ASSERT_TRUE(factory);
    auto store = (*factory)->Create();
    ASSERT_TRUE(store) << store.error().message();
    store_ = std::move(*store);
  }

  void KillOurConnections() {
    auto rows = server_->Query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" +
                               db_name_ + "' AND USER = '" + MariaDbServer::kUser + "'");
    ASSERT_FALSE(rows.empty());
    for (const auto& r : rows) server_->Exec("KILL " + r[0]);
  }

  static MariaDbServer* server_;
  std::string db_name_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

MariaDbServer* StoreOutageTest::server_ = nullptr;

TEST_F(StoreOutageTest, KilledServerGivesDbErrorThenRecoversAfterRestart) {
  CloseFile close;
  close.file = FileRow{1, 1, "survivor", 10, 0, 0};
  close.devid = 1;
  ASSERT_TRUE(store_->CommitFile(close));
  ASSERT_TRUE(store_->Ping());

  server_->Kill9();
  auto start = Clock::now();
  auto ping = store_->Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code(), Errc::kDb);
  auto read = store_->FileByKey(1, "survivor");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), Errc::kDb);
  auto write = store_->AddFileOn(1, 2);
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code(), Errc::kDb);
  // Bound, not a benchmark: three calls against a dead server must not wait out timeouts.
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));

  server_->Restart();
  ASSERT_TRUE(store_->Ping()) << "same Store object reconnects by itself";
  auto row = store_->FileByKey(1, "survivor");
  ASSERT_TRUE(row);
  ASSERT_TRUE(*row);
  EXPECT_EQ((*row)->fid, 1u);
  EXPECT_TRUE(store_->AddFileOn(1, 2));
}

TEST_F(StoreOutageTest, DroppedConnectionRetriesReadsButNotWrites) {
  ASSERT_TRUE(store_->SetServerSetting("k", "v"));
  KillOurConnections();
  auto value = store_->GetServerSetting("k");
  ASSERT_TRUE(value) << value.error().message();
  EXPECT_EQ(*value, "v") << "the read was retried once on a new connection";

  KillOurConnections();
  auto write = store_->SetServerSetting("k", "w");
  ASSERT_FALSE(write) << "a write is never silently repeated";
  EXPECT_EQ(write.error().code(), Errc::kDb);
  ASSERT_TRUE(store_->SetServerSetting("k", "w")) << "the next call reconnects";
  EXPECT_EQ(server_->QueryValue("SELECT value FROM server_settings WHERE field='k'", db_name_),
            "w");
}

TEST_F(StoreOutageTest, NamedLockIsLostWithTheConnection) {
  ASSERT_TRUE(store_->GetLock("mgfs:reaper", 0));
  KillOurConnections();
  ASSERT_TRUE(store_->Ping());  // reconnects
  auto factory = MakeStoreFactory(options_);
  auto other = (*factory)->Create();
  ASSERT_TRUE(other);
  auto got = (*other)->GetLock("mgfs:reaper", 0);
  ASSERT_TRUE(got);
  EXPECT_TRUE(*got) << "the server dropped the lock with the killed session";
}

TEST_F(StoreOutageTest, HungServerTimesOutInsteadOfHanging) {
  server_->Pause();
  auto start = Clock::now();
  auto ping = store_->Ping();
  auto elapsed = Clock::now() - start;
  server_->Resume();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code(), Errc::kDb);
  // Read timeout 3 s (+ a reconnect attempt bounded by the 2 s connect timeout).
  EXPECT_LT(elapsed, std::chrono::seconds(30));
  ASSERT_TRUE(store_->Ping()) << store_->Ping().error().message();
}

}  // namespace
}  // namespace mog::tracker
