#include "trackerd/store/schema.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace mog::tracker {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Missing(std::string_view type) { return type.empty(); }
bool Contains(std::string_view type, std::string_view word) {
  return Lower(type).find(word) != std::string::npos;
}
bool LacksReadonly(std::string_view type) { return !Contains(type, "readonly"); }
bool LacksDrain(std::string_view type) { return !Contains(type, "drain"); }
bool NotText(std::string_view type) { return !Contains(type, "text"); }
bool IsMediumint(std::string_view type) { return Contains(type, "mediumint"); }

}  // namespace

const std::vector<TableSchema>& SchemaTables() {
  // Column order, types and key names as upstream creates them; `class.replpolicy` is added
  // by an upgrade step, hence last.
  static const std::vector<TableSchema> kTables = {
      {"domain",
       "CREATE TABLE domain (\n"
       "dmid SMALLINT UNSIGNED NOT NULL PRIMARY KEY,\n"
       "namespace VARCHAR(255),\n"
       "UNIQUE (namespace)\n"
       ")"},
      {"class",
       "CREATE TABLE class (\n"
       "dmid SMALLINT UNSIGNED NOT NULL,\n"
       "classid TINYINT UNSIGNED NOT NULL,\n"
       "PRIMARY KEY (dmid,classid),\n"
       "classname VARCHAR(50),\n"
       "UNIQUE (dmid,classname),\n"
       "mindevcount TINYINT UNSIGNED NOT NULL,\n"
       "hashtype TINYINT UNSIGNED\n"
       ")"},
      {"file",
       "CREATE TABLE file (\n"
       "fid INT UNSIGNED NOT NULL,\n"
       "PRIMARY KEY (fid),\n"
       "dmid SMALLINT UNSIGNED NOT NULL,\n"
       "dkey VARCHAR(255),\n"
       "UNIQUE dkey (dmid, dkey),\n"
       "length BIGINT UNSIGNED,\n"
       "classid TINYINT UNSIGNED NOT NULL,\n"
       "devcount TINYINT UNSIGNED NOT NULL,\n"
       "INDEX devcount (dmid,classid,devcount)\n"
       ")"},
      {"tempfile",
       "CREATE TABLE tempfile (\n"
       "fid INT UNSIGNED NOT NULL AUTO_INCREMENT,\n"
       "PRIMARY KEY (fid),\n"
       "createtime INT UNSIGNED NOT NULL,\n"
       "classid TINYINT UNSIGNED NOT NULL,\n"
       "dmid SMALLINT UNSIGNED NOT NULL,\n"
       "dkey VARCHAR(255),\n"
       "devids VARCHAR(60)\n"
       ")"},
      {"file_to_delete",
       "CREATE TABLE file_to_delete (\n"
       "fid INT UNSIGNED NOT NULL,\n"
       "PRIMARY KEY (fid)\n"
       ")"},
      {"unreachable_fids",
       "CREATE TABLE unreachable_fids (\n"
       "fid INT UNSIGNED NOT NULL,\n"
       "lastupdate INT UNSIGNED NOT NULL,\n"
       "PRIMARY KEY (fid),\n"
       "INDEX (lastupdate)\n"
       ")"},
      {"file_on",
       "CREATE TABLE file_on (\n"
       "fid INT UNSIGNED NOT NULL,\n"
       "devid MEDIUMINT UNSIGNED NOT NULL,\n"
       "PRIMARY KEY (fid, devid),\n"
       "INDEX (devid)\n"
       ")"},
      {"file_on_corrupt",
       "CREATE TABLE file_on_corrupt (\n"
       "fid INT UNSIGNED NOT NULL,\n"
       "devid MEDIUMINT UNSIGNED NOT NULL,\n"
       "PRIMARY KEY (fid, devid)\n"
       ")"},
      {"host",
       "CREATE TABLE host (\n"
       "hostid MEDIUMINT UNSIGNED NOT NULL PRIMARY KEY,\n"
       "status ENUM('alive','dead','down'),\n"
       "http_port MEDIUMINT UNSIGNED DEFAULT 7500,\n"
       "http_get_port MEDIUMINT UNSIGNED,\n"
       "hostname VARCHAR(40),\n"
       "hostip VARCHAR(15),\n"
       "altip VARCHAR(15),\n"
       "altmask VARCHAR(18),\n"
       "UNIQUE (hostname),\n"
       "UNIQUE (hostip),\n"
       "UNIQUE (altip)\n"
       ")"},
      {"device",
       "CREATE TABLE device (\n"
       "devid MEDIUMINT UNSIGNED NOT NULL,\n"
       "hostid MEDIUMINT UNSIGNED NOT NULL,\n"
       "status ENUM('alive','dead','down'),\n"
       "weight MEDIUMINT DEFAULT 100,\n"
       "mb_total INT UNSIGNED,\n"
       "mb_used INT UNSIGNED,\n"
       "mb_asof INT UNSIGNED,\n"
       "PRIMARY KEY (devid),\n"
       "INDEX (status)\n"
       ")"},
      {"server_settings",
       "CREATE TABLE server_settings (\n"
       "field VARCHAR(50) PRIMARY KEY,\n"
       "value TEXT\n"
       ")"},
      {"file_to_replicate",
       "CREATE TABLE file_to_replicate (\n"
       "fid INT UNSIGNED NOT NULL PRIMARY KEY,\n"
       "nexttry INT UNSIGNED NOT NULL,\n"
       "INDEX (nexttry),\n"
       "fromdevid INT UNSIGNED,\n"
       "failcount TINYINT UNSIGNED NOT NULL DEFAULT 0,\n"
       "flags SMALLINT UNSIGNED NOT NULL DEFAULT 0\n"
       ")"},
      {"file_to_delete_later",
       "CREATE TABLE file_to_delete_later (\n"
       "fid INT UNSIGNED NOT NULL PRIMARY KEY,\n"
       "delafter INT UNSIGNED NOT NULL,\n"
       "INDEX (delafter)\n"
       ")"},
      {"fsck_log",
       "CREATE TABLE fsck_log (\n"
       "logid INT UNSIGNED NOT NULL AUTO_INCREMENT,\n"
       "PRIMARY KEY (logid),\n"
       "utime INT UNSIGNED NOT NULL,\n"
       "fid INT UNSIGNED NULL,\n"
       "evcode CHAR(4),\n"
       "devid MEDIUMINT UNSIGNED,\n"
       "INDEX(utime)\n"
       ")"},
      {"file_to_queue",
       "CREATE TABLE file_to_queue (\n"
       "fid INT UNSIGNED NOT NULL,\n"
       "devid INT UNSIGNED,\n"
       "type TINYINT UNSIGNED NOT NULL,\n"
       "nexttry INT UNSIGNED NOT NULL,\n"
       "failcount TINYINT UNSIGNED NOT NULL default '0',\n"
       "flags SMALLINT UNSIGNED NOT NULL default '0',\n"
       "arg TEXT,\n"
       "PRIMARY KEY (fid, type),\n"
       "INDEX type_nexttry (type,nexttry)\n"
       ")"},
      {"file_to_delete2",
       "CREATE TABLE file_to_delete2 (\n"
       "fid INT UNSIGNED NOT NULL PRIMARY KEY,\n"
       "nexttry INT UNSIGNED NOT NULL,\n"
       "failcount TINYINT UNSIGNED NOT NULL default '0',\n"
       "INDEX nexttry (nexttry)\n"
       ")"},
      {"checksum",
       "CREATE TABLE checksum (\n"
       "fid INT UNSIGNED NOT NULL PRIMARY KEY,\n"
       "hashtype TINYINT UNSIGNED NOT NULL,\n"
       "checksum VARBINARY(64) NOT NULL\n"
       ")"},
  };
  return kTables;
}

std::string CreateTableSql(const TableSchema& table, bool big_fids) {
  std::string sql(table.create_sql);
  if (!big_fids) return sql;
  static const std::regex kFirstFidInt(R"(\bfid\s+INT\b)", std::regex::icase);
  return std::regex_replace(sql, kFirstFidInt, "fid BIGINT",
                            std::regex_constants::format_first_only);
}

const std::vector<UpgradeStep>& SchemaUpgrades() {
  // Upstream's order (§4.5); each step checks the live column type first, so re-running is a
  // no-op and nothing is ever dropped.
  static const std::vector<UpgradeStep> kSteps = {
      {"add_host_getport",
       "host",
       "http_get_port",
       Missing,
       {"ALTER TABLE host ADD COLUMN http_get_port MEDIUMINT UNSIGNED AFTER http_port"}},
      {"add_host_altip",
       "host",
       "altip",
       Missing,
       {"ALTER TABLE host ADD COLUMN altip VARCHAR(15) AFTER hostip",
        "ALTER TABLE host ADD COLUMN altmask VARCHAR(18) AFTER altip",
        "ALTER TABLE host ADD UNIQUE altip (altip)"}},
      {"add_device_asof",
       "device",
       "mb_asof",
       Missing,
       {"ALTER TABLE device ADD COLUMN mb_asof INT UNSIGNED AFTER mb_used"}},
      {"add_device_weight",
       "device",
       "weight",
       Missing,
       {"ALTER TABLE device ADD COLUMN weight MEDIUMINT DEFAULT 100 AFTER status"}},
      {"add_device_readonly",
       "device",
       "status",
       LacksReadonly,
       {"ALTER TABLE device MODIFY COLUMN status ENUM('alive','dead','down','readonly')"}},
      {"add_device_drain",
       "device",
       "status",
       LacksDrain,
       {"ALTER TABLE device MODIFY COLUMN status "
        "ENUM('alive','dead','down','readonly','drain')"}},
      {"add_class_replpolicy",
       "class",
       "replpolicy",
       Missing,
       {"ALTER TABLE class ADD COLUMN replpolicy VARCHAR(255)"}},
      {"modify_server_settings_value",
       "server_settings",
       "value",
       NotText,
       {"ALTER TABLE server_settings MODIFY COLUMN value TEXT"}},
      {"add_file_to_queue_arg",
       "file_to_queue",
       "arg",
       Missing,
       {"ALTER TABLE file_to_queue ADD COLUMN arg TEXT"}},
      {"modify_device_size_total",
       "device",
       "mb_total",
       IsMediumint,
       {"ALTER TABLE device MODIFY COLUMN mb_total INT UNSIGNED"}},
      {"modify_device_size_used",
       "device",
       "mb_used",
       IsMediumint,
       {"ALTER TABLE device MODIFY COLUMN mb_used INT UNSIGNED"}},
      {"add_class_hashtype",
       "class",
       "hashtype",
       Missing,
       {"ALTER TABLE class ADD COLUMN hashtype TINYINT UNSIGNED"}},
      {"add_host_readonly",
       "host",
       "status",
       LacksReadonly,
       {"ALTER TABLE host MODIFY COLUMN status ENUM('alive','dead','down','readonly')"}},
  };
  return kSteps;
}

}  // namespace mog::tracker
