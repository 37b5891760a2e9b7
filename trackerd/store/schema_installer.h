// Creates and upgrades the MogileFS schema on a MySQL connection, as mogdbsetup does
// (reference §4.5): version check, missing tables (InnoDB), upgrade steps, schema_version.
// Running it again on an up-to-date database changes nothing.
#pragma once

#include <functional>
#include <string>

#include "common/error/error.h"
#include "trackerd/store/mysql_connection.h"

namespace mog::tracker {

struct SchemaInstallOptions {
  bool schema_bump = true;        // write schema_version = 17 at the end (--noschemabump: false)
  bool allow_non_innodb = false;  // env USE_UNSAFE_MYSQL=1
  bool force_big_fids = false;    // env MOG_FIDSIZE=big
  // Progress lines (--verbose prints them, including every SQL statement).
  std::function<void(const std::string&)> status = [](const std::string&) {};
  // Asked before upgrading an existing schema; false stops with an error.
  std::function<bool(const std::string&)> confirm = [](const std::string&) { return true; };
  // Non-fatal problems (pre-existing non-InnoDB tables).
  std::function<void(const std::string&)> warn = [](const std::string&) {};
};

// schema_version from server_settings; 0 when the table or the row is missing.
int CurrentSchemaVersion(MySqlConnection& conn);

Result<void> InstallSchema(MySqlConnection& conn, const SchemaInstallOptions& options);

}  // namespace mog::tracker
