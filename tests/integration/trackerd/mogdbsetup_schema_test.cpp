// build/bin/mogdbsetup against a private MariaDB: the created schema must be upstream 2.73's
// column for column (information_schema), re-runs and upgrades must be harmless.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/mariadb.h"
#include "tests/support/process.h"

namespace mog::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// table -> "column type nullable default" lines in ordinal order, as MariaDB 10.x reports
// them for a fresh install (BIGINT fids).
const std::map<std::string, std::vector<std::string>>& ExpectedColumns() {
  static const std::map<std::string, std::vector<std::string>> kColumns = {
      {"domain", {"dmid smallint(5) unsigned NO NULL", "namespace varchar(255) YES NULL"}},
      {"class",
       {"dmid smallint(5) unsigned NO NULL", "classid tinyint(3) unsigned NO NULL",
        "classname varchar(50) YES NULL", "mindevcount tinyint(3) unsigned NO NULL",
        "hashtype tinyint(3) unsigned YES NULL", "replpolicy varchar(255) YES NULL"}},
      {"file",
       {"fid bigint(20) unsigned NO NULL", "dmid smallint(5) unsigned NO NULL",
        "dkey varchar(255) YES NULL", "length bigint(20) unsigned YES NULL",
        "classid tinyint(3) unsigned NO NULL", "devcount tinyint(3) unsigned NO NULL"}},
      {"tempfile",
       {"fid bigint(20) unsigned NO NULL", "createtime int(10) unsigned NO NULL",
        "classid tinyint(3) unsigned NO NULL", "dmid smallint(5) unsigned NO NULL",
        "dkey varchar(255) YES NULL", "devids varchar(60) YES NULL"}},
      {"file_to_delete", {"fid bigint(20) unsigned NO NULL"}},
      {"unreachable_fids",
       {"fid bigint(20) unsigned NO NULL", "lastupdate int(10) unsigned NO NULL"}},
      {"file_on", {"fid bigint(20) unsigned NO NULL", "devid mediumint(8) unsigned NO NULL"}},
      {"file_on_corrupt",
       {"fid bigint(20) unsigned NO NULL", "devid mediumint(8) unsigned NO NULL"}},
      {"host",
       {"hostid mediumint(8) unsigned NO NULL",
        "status enum('alive','dead','down','readonly') YES NULL",
        "http_port mediumint(8) unsigned YES 7500", "http_get_port mediumint(8) unsigned YES NULL",
        "hostname varchar(40) YES NULL", "hostip varchar(15) YES NULL",
        "altip varchar(15) YES NULL", "altmask varchar(18) YES NULL"}},
      {"device",
       {"devid mediumint(8) unsigned NO NULL", "hostid mediumint(8) unsigned NO NULL",
        "status enum('alive','dead','down','readonly','drain') YES NULL",
        "weight mediumint(9) YES 100", "mb_total int(10) unsigned YES NULL",
        "mb_used int(10) unsigned YES NULL", "mb_asof int(10) unsigned YES NULL"}},
      {"server_settings", {"field varchar(50) NO NULL", "value text YES NULL"}},
      {"file_to_replicate",
       {"fid bigint(20) unsigned NO NULL", "nexttry int(10) unsigned NO NULL",
        "fromdevid int(10) unsigned YES NULL", "failcount tinyint(3) unsigned NO 0",
        "flags smallint(5) unsigned NO 0"}},
      {"file_to_delete_later",
       {"fid bigint(20) unsigned NO NULL", "delafter int(10) unsigned NO NULL"}},
      {"fsck_log",
       {"logid int(10) unsigned NO NULL", "utime int(10) unsigned NO NULL",
        "fid bigint(20) unsigned YES NULL", "evcode char(4) YES NULL",
        "devid mediumint(8) unsigned YES NULL"}},
      {"file_to_queue",
       {"fid bigint(20) unsigned NO NULL", "devid int(10) unsigned YES NULL",
        "type tinyint(3) unsigned NO NULL", "nexttry int(10) unsigned NO NULL",
        "failcount tinyint(3) unsigned NO 0", "flags smallint(5) unsigned NO 0",
        "arg text YES NULL"}},
      {"file_to_delete2",
       {"fid bigint(20) unsigned NO NULL", "nexttry int(10) unsigned NO NULL",
        "failcount tinyint(3) unsigned NO 0"}},
      {"checksum",
       {"fid bigint(20) unsigned NO NULL", "hashtype tinyint(3) unsigned NO NULL",
        "checksum varbinary(64) NO NULL"}},
  };
  return kColumns;
}

std::map<std::string, std::vector<std::string>> ActualColumns(MariaDbServer& db,
                                                              const std::string& name) {
  Rows rows = db.Query(
      "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
      "IFNULL(TRIM(BOTH '\\'' FROM COLUMN_DEFAULT), 'NULL') FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA = '" +
      name + "' ORDER BY TABLE_NAME, ORDINAL_POSITION");
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& r : rows) out[r[0]].push_back(r[1] + " " + r[2] + " " + r[3] + " " + r[4]);
  return out;
}

// "table key_name unique columns" for every index.
std::vector<std::string> Indexes(MariaDbServer& db, const std::string& name,
                                 const std::string& table) {
  Rows rows = db.Query(
      "SELECT INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) "
      "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '" +
      name + "' AND TABLE_NAME = '" + table +
      "' GROUP BY INDEX_NAME, NON_UNIQUE ORDER BY INDEX_NAME");
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r[0] + (r[1] == "0" ? " unique " : " ") + r[2]);
  std::sort(out.begin(), out.end());  // byte order: "PRIMARY" first
  return out;
}

TEST(MogdbsetupTest, CreatesEveryTableWithUpstreamColumnsKeysAndEngine) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("setup");
  db.CreateDatabaseWithMogdbsetup(name);

  EXPECT_EQ(ActualColumns(db, name), ExpectedColumns());
  EXPECT_EQ(db.QueryValue("SELECT value FROM server_settings WHERE field='schema_version'", name),
            "17");
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM server_settings", name), "1");
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='" +
                          name + "' AND ENGINE <> 'InnoDB'"),
            "0");

  EXPECT_EQ(Indexes(db, name, "file"),
            (std::vector<std::string>{"PRIMARY unique fid", "devcount dmid,classid,devcount",
                                      "dkey unique dmid,dkey"}));
  EXPECT_EQ(Indexes(db, name, "host"),
            (std::vector<std::string>{"PRIMARY unique hostid", "altip unique altip",
                                      "hostip unique hostip", "hostname unique hostname"}));
  EXPECT_EQ(Indexes(db, name, "class"), (std::vector<std::string>{"PRIMARY unique dmid,classid",
                                                                  "dmid unique dmid,classname"}));
  EXPECT_EQ(Indexes(db, name, "file_to_queue"),
            (std::vector<std::string>{"PRIMARY unique fid,type", "type_nexttry type,nexttry"}));
  EXPECT_EQ(Indexes(db, name, "file_to_delete2"),
            (std::vector<std::string>{"PRIMARY unique fid", "nexttry nexttry"}));
  EXPECT_EQ(Indexes(db, name, "file_on"),
            (std::vector<std::string>{"PRIMARY unique fid,devid", "devid devid"}));
  // The MogileFS user can work in the database (and only the root created it).
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM mysql.user WHERE User='" +
                          std::string(MariaDbServer::kUser) + "'"),
            "2");
}

TEST(MogdbsetupTest, RunningTwiceIsHarmless) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("twice");
  db.CreateDatabaseWithMogdbsetup(name);
  db.Exec("INSERT INTO domain VALUES (1, 'keepme')", name);
  db.Exec("INSERT INTO file VALUES (7, 1, 'k', 3, 0, 1)", name);

  CommandResult again = db.RunMogdbsetup(name, {"--yes", "--verbose"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("already up-to-date"), std::string::npos) << again.output;
  EXPECT_EQ(again.output.find("CREATE TABLE"), std::string::npos) << again.output;
  EXPECT_EQ(ActualColumns(db, name), ExpectedColumns());
  EXPECT_EQ(db.QueryValue("SELECT namespace FROM domain WHERE dmid=1", name), "keepme");
  EXPECT_EQ(db.QueryValue("SELECT dkey FROM file WHERE fid=7", name), "k");
  EXPECT_EQ(db.QueryValue("SELECT value FROM server_settings WHERE field='schema_version'", name),
            "17");
}

TEST(MogdbsetupTest, UpgradesAnOldSchemaKeepingDataAndIntFids) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("upgrade");
  db.Exec("CREATE DATABASE " + name);
  // A schema as very old releases left it: no get port/altip, small device sizes, no weight,
  // no mb_asof, old status enums, VARCHAR settings, no queue arg, no class replpolicy/hashtype.
  db.Exec(
      "CREATE TABLE host (hostid MEDIUMINT UNSIGNED NOT NULL PRIMARY KEY, "
      "status ENUM('alive','dead','down'), http_port MEDIUMINT UNSIGNED DEFAULT 7500, "
      "hostname VARCHAR(40), hostip VARCHAR(15), UNIQUE (hostname), UNIQUE (hostip)) "
      "ENGINE=InnoDB",
      name);
  db.Exec(
      "CREATE TABLE device (devid MEDIUMINT UNSIGNED NOT NULL, hostid MEDIUMINT UNSIGNED "
      "NOT NULL, status ENUM('alive','dead','down'), mb_total MEDIUMINT UNSIGNED, mb_used "
      "MEDIUMINT UNSIGNED, PRIMARY KEY (devid), INDEX (status)) ENGINE=InnoDB",
      name);
  db.Exec(
      "CREATE TABLE class (dmid SMALLINT UNSIGNED NOT NULL, classid TINYINT UNSIGNED NOT "
      "NULL, PRIMARY KEY (dmid,classid), classname VARCHAR(50), UNIQUE (dmid,classname), "
      "mindevcount TINYINT UNSIGNED NOT NULL) ENGINE=InnoDB",
      name);
  db.Exec(
      "CREATE TABLE server_settings (field VARCHAR(50) PRIMARY KEY, value VARCHAR(255)) "
      "ENGINE=InnoDB",
      name);
  db.Exec(
      "CREATE TABLE file (fid INT UNSIGNED NOT NULL, PRIMARY KEY (fid), dmid SMALLINT "
      "UNSIGNED NOT NULL, dkey VARCHAR(255), UNIQUE dkey (dmid, dkey), length BIGINT "
      "UNSIGNED, classid TINYINT UNSIGNED NOT NULL, devcount TINYINT UNSIGNED NOT NULL, "
      "INDEX devcount (dmid,classid,devcount)) ENGINE=InnoDB",
      name);
  db.Exec(
      "CREATE TABLE file_to_queue (fid INT UNSIGNED NOT NULL, devid INT UNSIGNED, type "
      "TINYINT UNSIGNED NOT NULL, nexttry INT UNSIGNED NOT NULL, failcount TINYINT "
      "UNSIGNED NOT NULL default '0', flags SMALLINT UNSIGNED NOT NULL default '0', "
      "PRIMARY KEY (fid, type), INDEX type_nexttry (type,nexttry)) ENGINE=InnoDB",
      name);
  db.Exec("INSERT INTO host VALUES (1, 'alive', 7500, 'h1', '10.0.0.1')", name);
  db.Exec("INSERT INTO device VALUES (5, 1, 'dead', 1000, 10)", name);
  db.Exec("INSERT INTO class VALUES (1, 1, 'photos', 3)", name);
  db.Exec("INSERT INTO file VALUES (42, 1, 'old-key', 10, 1, 2)", name);
  db.Exec("INSERT INTO server_settings VALUES ('schema_version', '10')", name);

  // Without --yes the upgrade question defaults to... an answer is required: say yes.
  CommandResult r = RunCommand(
      {BinPath("mogdbsetup"), "--dbhost=127.0.0.1", "--dbport=" + std::to_string(db.port()),
       "--dbname=" + name, "--dbuser=" + std::string(MariaDbServer::kUser),
       "--dbpass=" + std::string(MariaDbServer::kPassword)},
      std::chrono::seconds(120), "y\ny\ny\ny\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;

  auto actual = ActualColumns(db, name);
  for (const auto& [table, columns] : ExpectedColumns()) {
    std::vector<std::string> expected = columns;
    if (table == "file" || table == "file_to_queue") {
      // An existing INT file table keeps INT fids everywhere (no silent widening).
      for (auto& c : expected) {
        if (c.rfind("fid bigint(20) unsigned", 0) == 0) c.replace(4, 19, "int(10) unsigned");
      }
    }
    if (table == "file_to_queue") continue;  // checked below (column order differs)
    if (table == "class") {
      // Upgrade adds replpolicy before hashtype (upstream's step order).
      expected = {"dmid smallint(5) unsigned NO NULL", "classid tinyint(3) unsigned NO NULL",
                  "classname varchar(50) YES NULL",    "mindevcount tinyint(3) unsigned NO NULL",
                  "replpolicy varchar(255) YES NULL",  "hashtype tinyint(3) unsigned YES NULL"};
    }
    if (table != "file" && table != "host" && table != "device" && table != "class" &&
        table != "server_settings") {
      // Tables created by this run follow the existing INT fid width.
      for (auto& c : expected) {
        if (c.rfind("fid bigint(20) unsigned", 0) == 0) c.replace(4, 19, "int(10) unsigned");
      }
    }
    EXPECT_EQ(actual[table], expected) << table;
  }
  EXPECT_EQ(actual["file_to_queue"].back(), "arg text YES NULL");
  EXPECT_EQ(db.QueryValue("SELECT CONCAT(hostname, ' ', hostip, ' ', status) FROM host", name),
            "h1 10.0.0.1 alive");
  EXPECT_EQ(db.QueryValue("SELECT CONCAT(devid, ' ', status, ' ', mb_total, ' ', weight) FROM "
                          "device",
                          name),
            "5 dead 1000 100");
  EXPECT_EQ(db.QueryValue("SELECT dkey FROM file WHERE fid=42", name), "old-key");
  EXPECT_EQ(db.QueryValue("SELECT value FROM server_settings WHERE field='schema_version'", name),
            "17");
}

TEST(MogdbsetupTest, NoSchemaBumpLeavesVersionUnset) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("nobump");
  CommandResult r = db.RunMogdbsetup(name, {"--yes", "--noschemabump"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM server_settings", name), "0");
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='" +
                          name + "'"),
            "17");
}

TEST(MogdbsetupTest, RefusesANewerSchema) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("newer");
  db.CreateDatabaseWithMogdbsetup(name);
  db.Exec("UPDATE server_settings SET value='18' WHERE field='schema_version'", name);
  CommandResult r = db.RunMogdbsetup(name, {"--yes"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("18"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("17"), std::string::npos) << r.output;
  EXPECT_EQ(db.QueryValue("SELECT value FROM server_settings WHERE field='schema_version'", name),
            "18");
}

TEST(MogdbsetupTest, WithoutYesTheFirstQuestionDefaultsToNo) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("prompt");
  CommandResult r = RunCommand({BinPath("mogdbsetup"), "--dbhost=127.0.0.1",
                                "--dbport=" + std::to_string(db.port()), "--dbname=" + name},
                               std::chrono::seconds(60), "\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("[N/y]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Stopped"), std::string::npos) << r.output;
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE "
                          "SCHEMA_NAME='" +
                          name + "'"),
            "0");
}

TEST(MogdbsetupTest, PrefixOptionsAndSocketWork) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("prefix");
  CommandResult r =
      RunCommand({BinPath("mogdbsetup"), "--yes", "--dbsock=" + db.socket_path(), "--dbna=" + name,
                  "--dbrootpass=", "--dbus=other_user", "--dbpass=secret"},
                 std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(db.QueryValue("SELECT value FROM server_settings WHERE field='schema_version'", name),
            "17");
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM mysql.user WHERE User='other_user'"), "2");
}

TEST(MogdbsetupTest, BadRootCredentialsFailClearly) {
  MariaDbServer& db = MariaDbServer::Shared();
  std::string name = db.UniqueDatabaseName("badroot");
  CommandResult r = db.RunMogdbsetup(name, {"--yes", "--dbrootpassword=wrong", "--dbuser=nobody"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("root user (root)"), std::string::npos) << r.output;
}

TEST(MogdbsetupTest, UnknownOptionIsRejected) {
  CommandResult r = RunCommand({BinPath("mogdbsetup"), "--bogus"}, std::chrono::seconds(20));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("bogus"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace mog::test
