// Perl DBI DSNs as found in mogilefsd.conf files in the wild.
#include <gtest/gtest.h>

#include "trackerd/store/dsn.h"
#include "trackerd/store/store.h"

namespace mog::tracker {
namespace {

TEST(StoreDsnTest, KeyValueForm) {
  auto dsn = ParseDsn("DBI:mysql:database=mogilefs;host=127.0.0.1;port=3306");
  ASSERT_TRUE(dsn) << dsn.error().message();
  EXPECT_EQ(dsn->driver, "mysql");
  EXPECT_EQ(dsn->database, "mogilefs");
  EXPECT_EQ(dsn->host, "127.0.0.1");
  ASSERT_TRUE(dsn->port);
  EXPECT_EQ(*dsn->port, 3306);
  EXPECT_EQ(dsn->socket, "");
}

TEST(StoreDsnTest, BareDatabaseWithSocket) {
  auto dsn = ParseDsn("DBI:mysql:mogilefs;host=db1;mysql_socket=/run/mysqld/mysqld.sock");
  ASSERT_TRUE(dsn) << dsn.error().message();
  EXPECT_EQ(dsn->database, "mogilefs");
  EXPECT_EQ(dsn->host, "db1");
  EXPECT_FALSE(dsn->port);
  EXPECT_EQ(dsn->socket, "/run/mysqld/mysqld.sock");
}

TEST(StoreDsnTest, DefaultDsnHasOnlyTheDatabase) {
  auto dsn = ParseDsn("DBI:mysql:mogilefs");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->database, "mogilefs");
  EXPECT_EQ(dsn->host, "");
  EXPECT_FALSE(dsn->port);
}

TEST(StoreDsnTest, SchemeAndDriverAreCaseInsensitiveAndAliasesWork) {
  auto dsn = ParseDsn("dbi:MySQL:db=x;hostname=h;port=1");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->driver, "mysql");
  EXPECT_EQ(dsn->database, "x");
  EXPECT_EQ(dsn->host, "h");
  dsn = ParseDsn("DBI:mysql:dbname=y");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->database, "y");
}

TEST(StoreDsnTest, OldColonForm) {
  auto dsn = ParseDsn("DBI:mysql:mogilefs:db.example.com:3307");
  ASSERT_TRUE(dsn) << dsn.error().message();
  EXPECT_EQ(dsn->database, "mogilefs");
  EXPECT_EQ(dsn->host, "db.example.com");
  EXPECT_EQ(*dsn->port, 3307);
}

TEST(StoreDsnTest, UnknownAttributesAreKeptEmptyPiecesIgnored) {
  auto dsn = ParseDsn("DBI:mysql:database=m;;mysql_connect_timeout=5;");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->database, "m");
  EXPECT_EQ(dsn->extra.at("mysql_connect_timeout"), "5");
}

TEST(StoreDsnTest, OtherDriversParse) {
  auto dsn = ParseDsn("DBI:SQLite:dbname=/var/lib/mogile.db");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->driver, "sqlite");
  EXPECT_EQ(dsn->database, "/var/lib/mogile.db");
}

TEST(StoreDsnTest, RejectsMalformed) {
  for (const char* bad :
       {"", "mysql:database=x", "DBI:", "DBI::x", "DSN:mysql:x", "DBI:mysql:database=x;port=abc",
        "DBI:mysql:database=x;port=0", "DBI:mysql:database=x;port=70000", "DBI:mysql:x;host",
        "DBI:mysql:a:b:c:d"}) {
    auto dsn = ParseDsn(bad);
    EXPECT_FALSE(dsn) << bad;
    if (!dsn) {
      EXPECT_EQ(dsn.error().code(), Errc::kFailure);
      EXPECT_NE(dsn.error().message().find("DSN"), std::string::npos) << bad;
    }
  }
}

TEST(StoreDsnTest, FormatRoundTrips) {
  Dsn d;
  d.database = "mogilefs";
  d.host = "127.0.0.1";
  d.port = 13306;
  std::string text = FormatMySqlDsn(d);
  EXPECT_EQ(text, "DBI:mysql:database=mogilefs;host=127.0.0.1;port=13306");
  auto back = ParseDsn(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->database, d.database);
  EXPECT_EQ(back->host, d.host);
  EXPECT_EQ(back->port, d.port);
}

TEST(StoreDsnTest, FactoryRejectsNonMysqlDrivers) {
  StoreOptions options;
  options.dsn = "DBI:Pg:dbname=mogilefs";
  auto factory = MakeStoreFactory(options);
  ASSERT_FALSE(factory);
  EXPECT_NE(factory.error().message().find("pg"), std::string::npos);
}

}  // namespace
}  // namespace mog::tracker
