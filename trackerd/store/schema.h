// MogileFS 2.73's MySQL schema as data: the CREATE TABLE statements in upstream's order and
// the idempotent upgrade steps (reference §4.1, §4.5). Pure text, no database access; the
// installer (schema_installer.h) applies it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mog::tracker {

inline constexpr int kSchemaVersion = 17;

struct TableSchema {
  std::string_view name;
  // CREATE TABLE with `fid INT UNSIGNED` as the first fid column.
  std::string_view create_sql;
};

// All tables, in creation order.
const std::vector<TableSchema>& SchemaTables();

// The CREATE statement for `table` with the fid width chosen: big_fids rewrites the FIRST
// `fid INT` to `fid BIGINT` (upstream's rule; `fromdevid`, `devid`, `logid` untouched).
std::string CreateTableSql(const TableSchema& table, bool big_fids);

// One upgrade step: applied when `needed(column_type)` holds for the current type of
// table.column ("" = column missing). Statements run in order.
struct UpgradeStep {
  std::string_view name;
  std::string_view table;
  std::string_view column;
  bool (*needed)(std::string_view column_type);
  std::vector<std::string_view> statements;
};
const std::vector<UpgradeStep>& SchemaUpgrades();

}  // namespace mog::tracker
