// Perl DBI DSNs as mogilefsd.conf, mogstats and `mogadm slave add` take them, parsed as
// DBD::mysql::_OdbcParse does: one row per form found in set-up guides and in the wild.
#include <gtest/gtest.h>

#include "trackerd/store/dsn.h"
#include "trackerd/store/mysql_store.h"
#include "trackerd/store/store.h"

namespace mog::tracker {
namespace {

struct Good {
  const char* text;
  const char* database;
  const char* host;
  int port;  // 0 = none
  const char* socket;
  bool tcp;
};

TEST(StoreDsnTest, ParsesEveryFormAsDbdMysql) {
  const Good kCases[] = {
      {"DBI:mysql:mogilefs", "mogilefs", "", 0, "", false},
      {"DBI:mysql:mogilefs:host=h", "mogilefs", "h", 0, "", true},
      // The set-up guide's lines (part 1 and part 2).
      {"DBI:mysql:mogilefs:host=127.0.0.1", "mogilefs", "127.0.0.1", 0, "", true},
      {"DBI:mysql:mogilefs:host=192.168.30.100", "mogilefs", "192.168.30.100", 0, "", true},
      {"DBI:mysql:mogilefs:host=h;port=3307", "mogilefs", "h", 3307, "", true},
      {"DBI:mysql:mogilefs:host=127.0.0.1;port=3396", "mogilefs", "127.0.0.1", 3396, "", true},
      {"DBI:mysql:mogilefs:h:3307", "mogilefs", "h", 3307, "", true},
      {"DBI:mysql:mogilefs;h;3307", "mogilefs", "h", 3307, "", true},
      {"DBI:mysql:database=mogilefs;host=h;port=3307", "mogilefs", "h", 3307, "", true},
      {"DBI:mysql:database=mogilefs:host=h:port=3307", "mogilefs", "h", 3307, "", true},
      {"dbi:mysql:dbname=m;hostname=h", "m", "h", 0, "", true},
      {"DBI:mysql:db=m;host=h", "m", "h", 0, "", true},
      {"DBI:mysql:mogilefs;mysql_socket=/run/x.sock", "mogilefs", "", 0, "/run/x.sock", false},
      {"DBI:mysql:mogilefs;host=db1;mysql_socket=/run/mysqld/mysqld.sock", "mogilefs", "db1", 0,
       "/run/mysqld/mysqld.sock", true},
      {"DBI:mysql:mogilefs:host=[::1];port=3307", "mogilefs", "::1", 3307, "", true},
      {"DBI:mysql:mogilefs:host=[fe80::1%eth0]", "mogilefs", "fe80::1%eth0", 0, "", true},
      {"DBI:mysql:mogilefs:[::1]:3307", "mogilefs", "::1", 3307, "", true},
      // `localhost` is the Unix socket, as in libmysqlclient under DBD::mysql, port or not.
      {"DBI:mysql:mogilefs:host=localhost;port=3307", "mogilefs", "localhost", 3307, "", false},
      {"DBI:mysql:mogilefs;port=3307", "mogilefs", "", 3307, "", false},
      // A bare piece fills the first of database, host, port not yet given.
      {"DBI:mysql:host=h;mogilefs", "mogilefs", "h", 0, "", true},
      {"DBI:mysql:host=h:mogilefs:3307", "mogilefs", "h", 3307, "", true},
      // Later attributes win; empty pieces are skipped; an empty port is the default.
      {"DBI:mysql:mogilefs:host=a;host=b", "mogilefs", "b", 0, "", true},
      {"DBI:mysql:database=m;;host=h;", "m", "h", 0, "", true},
      {"DBI:mysql:mogilefs:host=h;port=", "mogilefs", "h", 0, "", true},
      // Case of the scheme, driver and attribute names does not matter.
      {"dbi:MySQL:DB=x;HostName=h;PORT=1", "x", "h", 1, "", true},
      // DBI's driver attributes in parentheses are skipped.
      {"dbi:mysql(RaiseError=>1):mogilefs", "mogilefs", "", 0, "", false},
      {"DBI:mysql:", "", "", 0, "", false},
  };
  for (const Good& c : kCases) {
    SCOPED_TRACE(c.text);
    auto dsn = ParseDsn(c.text);
    ASSERT_TRUE(dsn) << dsn.error().message();
    EXPECT_EQ(dsn->driver, "mysql");
    EXPECT_EQ(dsn->database, c.database);
    EXPECT_EQ(dsn->host, c.host);
    if (c.port == 0) {
      EXPECT_FALSE(dsn->port);
    } else {
      ASSERT_TRUE(dsn->port);
      EXPECT_EQ(*dsn->port, c.port);
    }
    EXPECT_EQ(dsn->socket, c.socket);
    EXPECT_EQ(dsn->UsesTcp(), c.tcp);
  }
}

TEST(StoreDsnTest, TimeoutsCredentialsAndOtherAttributes) {
  auto dsn = ParseDsn(
      "DBI:mysql:m:host=h;mysql_connect_timeout=5;mysql_read_timeout=30;mysql_write_timeout=31;"
      "user=u;password=p;mysql_compression=1");
  ASSERT_TRUE(dsn) << dsn.error().message();
  EXPECT_EQ(dsn->connect_timeout, 5u);
  EXPECT_EQ(dsn->read_timeout, 30u);
  EXPECT_EQ(dsn->write_timeout, 31u);
  EXPECT_EQ(dsn->user, "u");
  EXPECT_EQ(dsn->password, "p");
  EXPECT_EQ(dsn->extra.at("mysql_compression"), "1");
}

TEST(StoreDsnTest, OtherDriversParse) {
  auto dsn = ParseDsn("DBI:SQLite:dbname=/var/lib/mogile.db");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->driver, "sqlite");
  EXPECT_EQ(dsn->database, "/var/lib/mogile.db");
}

TEST(StoreDsnTest, RejectsMalformedWithTheReason) {
  struct Bad {
    const char* text;
    const char* reason;  // part of the message after "Invalid DSN '<text>': "
  };
  const Bad kCases[] = {
      {"", "empty"},
      {"mysql:database=x", "must start with DBI:<driver>:"},
      {"DSN:mysql:x", "must start with DBI:<driver>:"},
      {"DBI:", "no driver"},
      {"DBI::mogilefs", "no driver"},
      {"DBI:mysql", "expected ':' after the driver name 'mysql'"},
      {"DBI:my-sql:x", "expected ':' after the driver name 'my'"},
      {"DBI:mysql:database=x;port=abc", "port 'abc' is not a number from 1 to 65535"},
      {"DBI:mysql:database=x;port=0", "port '0' is not a number from 1 to 65535"},
      {"DBI:mysql:database=x;port=70000", "port '70000' is not a number from 1 to 65535"},
      {"DBI:mysql:mogilefs:h:33o7", "port '33o7' is not a number from 1 to 65535"},
      {"DBI:mysql:a:b:3306:d", "unexpected 'd': database, host and port are already given"},
      {"DBI:mysql:mogilefs:host=[::1;port=3307", "'[' without a closing ']'"},
      {"DBI:mysql:m;mysql_connect_timeout=soon", "mysql_connect_timeout 'soon' is not a number"},
      {"DBI:mysql:m;=x", "has no name before '='"},
  };
  for (const Bad& c : kCases) {
    SCOPED_TRACE(c.text);
    auto dsn = ParseDsn(c.text);
    ASSERT_FALSE(dsn);
    EXPECT_EQ(dsn.error().code(), Errc::kFailure);
    const std::string prefix = "Invalid DSN '" + std::string(c.text) + "': ";
    EXPECT_EQ(dsn.error().message().rfind(prefix, 0), 0u) << dsn.error().message();
    EXPECT_NE(dsn.error().message().find(c.reason), std::string::npos) << dsn.error().message();
  }
}

TEST(StoreDsnTest, DescribeSaysWhereTheConnectionGoes) {
  EXPECT_EQ(ParseDsn("DBI:mysql:m:host=127.0.0.1;port=3396")->Describe(), "127.0.0.1:3396");
  EXPECT_EQ(ParseDsn("DBI:mysql:m:host=db1")->Describe(), "db1:3306");
  EXPECT_EQ(ParseDsn("DBI:mysql:m:host=[::1];port=1")->Describe(), "[::1]:1");
  EXPECT_EQ(ParseDsn("DBI:mysql:m")->Describe(), "the local socket");
  EXPECT_EQ(ParseDsn("DBI:mysql:m;mysql_socket=/s")->Describe(), "socket /s");
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
  d.host = "::1";
  back = ParseDsn(FormatMySqlDsn(d));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->host, "::1");
  EXPECT_EQ(back->port, d.port);
}

// What reaches the MySQL client library: the guide's DSN must give a TCP host, never the socket.
TEST(StoreDsnTest, ConnectParamsKeepTheHostAndPort) {
  StoreOptions options;
  options.dsn = "DBI:mysql:mogilefs:host=127.0.0.1;port=3396";
  options.user = "mogile";
  auto p = MySqlStore::ParamsFromOptions(options);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->host, "127.0.0.1");
  EXPECT_EQ(p->port, 3396);
  EXPECT_EQ(p->socket, "");
  EXPECT_EQ(p->database, "mogilefs");
  EXPECT_EQ(p->user, "mogile");
}

TEST(StoreDsnTest, ConnectParamsTakeDsnTimeoutsAndCredentials) {
  StoreOptions options;
  options.dsn = "DBI:mysql:m;mysql_connect_timeout=3;mysql_read_timeout=7;user=u;password=p";
  options.user = "mogile";
  options.pass = "x";
  auto p = MySqlStore::ParamsFromOptions(options);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->connect_timeout_seconds, 3);
  EXPECT_EQ(p->read_write_timeout_seconds, 7);
  EXPECT_EQ(p->user, "u");
  EXPECT_EQ(p->pass, "p");
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
