#include "trackerd/store/schema_installer.h"

#include <regex>

#include "trackerd/store/schema.h"

namespace mog::tracker {
namespace {

constexpr const char* kNoInnoDb =
    "InnoDB backend is unavailable for use, force creation of tables by setting "
    "USE_UNSAFE_MYSQL=1 in your environment and run this command again.";

Result<bool> TableExists(MySqlConnection& conn, std::string_view table) {
  auto rows = conn.Query(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
      "TABLE_NAME = ?",
      {std::string(table)});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::string> TableEngine(MySqlConnection& conn, std::string_view table) {
  auto rows = conn.Query(
      "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
      "TABLE_NAME = ?",
      {std::string(table)});
  if (!rows) return rows.error();
  if (rows->empty() || !rows->front()[0]) return std::string();
  return *rows->front()[0];
}

// "" when the column does not exist.
Result<std::string> ColumnType(MySqlConnection& conn, std::string_view table,
                               std::string_view column) {
  auto rows = conn.Query(
      "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
      "TABLE_NAME = ? AND COLUMN_NAME = ?",
      {std::string(table), std::string(column)});
  if (!rows) return rows.error();
  if (rows->empty() || !rows->front()[0]) return std::string();
  return *rows->front()[0];
}

Result<bool> InnoDbAvailable(MySqlConnection& conn) {
  auto rows = conn.QueryText("SHOW ENGINES");
  if (!rows) return rows.error();
  for (const auto& r : *rows) {
    if (r.size() < 2 || !r[0] || !r[1]) continue;
    if (*r[0] == "InnoDB") return *r[1] == "YES" || *r[1] == "DEFAULT";
  }
  return false;
}

// Fresh installs get BIGINT fids; an existing INT `file` table keeps INT.
Result<bool> UseBigFids(MySqlConnection& conn, const SchemaInstallOptions& options) {
  if (options.force_big_fids) return true;
  auto type = ColumnType(conn, "file", "fid");
  if (!type) return type.error();
  if (type->empty()) return true;
  static const std::regex kBigint(R"(\bbigint\b)", std::regex::icase);
  return std::regex_search(*type, kBigint);
}

Result<void> CreateTable(MySqlConnection& conn, const TableSchema& table, bool big_fids,
                         const SchemaInstallOptions& options) {
  auto existed = TableExists(conn, table.name);
  if (!existed) return existed.error();
  if (!*existed) {
    std::string sql = CreateTableSql(table, big_fids);
    options.status("Running SQL: " + sql + ";");
    if (auto r = conn.ExecText(sql); !r) {
      return Error(Errc::kDb, "Failed to create table " + std::string(table.name) + ": " +
                                  r.error().message());
    }
  }
  if (options.allow_non_innodb) return {};
  if (!*existed) {
    std::string alter = "ALTER TABLE " + std::string(table.name) + " ENGINE=InnoDB";
    options.status("Running SQL: " + alter + ";");
    if (auto r = conn.ExecText(alter); !r) {
      options.warn("Error altering " + std::string(table.name) +
                   " to InnoDB: " + r.error().message());
    }
  }
  auto engine = TableEngine(conn, table.name);
  if (!engine) return engine.error();
  if (*engine != "InnoDB") {
    if (*existed) {
      options.warn("WARNING: MySQL table that isn't InnoDB: " + std::string(table.name));
    } else {
      return Error(Errc::kDb, "MySQL didn't change table type to InnoDB as requested.\n\n" +
                                  std::string(kNoInnoDb));
    }
  }
  return {};
}

}  // namespace

int CurrentSchemaVersion(MySqlConnection& conn) {
  auto exists = TableExists(conn, "server_settings");
  if (!exists || !*exists) return 0;
  auto rows = conn.Query("SELECT value FROM server_settings WHERE field = 'schema_version'");
  if (!rows || rows->empty() || !rows->front()[0]) return 0;
  try {
    return std::stoi(*rows->front()[0]);
  } catch (const std::exception&) {
    return 0;
  }
}

Result<void> InstallSchema(MySqlConnection& conn, const SchemaInstallOptions& options) {
  int current = CurrentSchemaVersion(conn);
  if (current == kSchemaVersion) {
    options.status("Schema already up-to-date at version " + std::to_string(current) + ".");
  } else {
    if (current > kSchemaVersion) {
      return Error(Errc::kDb, "Your current schema version is " + std::to_string(current) +
                                  ", but this version of mogdbsetup only knows up to " +
                                  std::to_string(kSchemaVersion) + ".  Aborting to be safe.");
    }
    if (current != 0 &&
        !options.confirm("Install/upgrade your schema from version " + std::to_string(current) +
                         " to version " + std::to_string(kSchemaVersion) + "?")) {
      return Error(Errc::kFailure, "Stopped.");
    }
    if (!options.allow_non_innodb) {
      auto innodb = InnoDbAvailable(conn);
      if (!innodb) return innodb.error();
      if (!*innodb) return Error(Errc::kDb, kNoInnoDb);
    }
    auto big = UseBigFids(conn, options);
    if (!big) return big.error();
    for (const TableSchema& table : SchemaTables()) {
      if (auto r = CreateTable(conn, table, *big, options); !r) return r.error();
    }
    for (const UpgradeStep& step : SchemaUpgrades()) {
      auto type = ColumnType(conn, step.table, step.column);
      if (!type) return type.error();
      if (!step.needed(*type)) continue;
      for (std::string_view sql : step.statements) {
        options.status("Running SQL: " + std::string(sql) + ";");
        if (auto r = conn.ExecText(sql); !r) {
          return Error(Errc::kDb, "Upgrade step " + std::string(step.name) +
                                      " failed: " + r.error().message());
        }
      }
    }
  }
  if (options.schema_bump) {
    auto r = conn.Exec("REPLACE INTO server_settings (field, value) VALUES ('schema_version', ?)",
                       {std::to_string(kSchemaVersion)});
    if (!r) return r.error();
  }
  return {};
}

}  // namespace mog::tracker
