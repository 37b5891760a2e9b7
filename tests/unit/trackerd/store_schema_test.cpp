// The schema text itself: table order, fid width rewriting and upgrade-step predicates.
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "trackerd/store/schema.h"

namespace mog::tracker {
namespace {

TEST(StoreSchemaTest, TablesInUpstreamOrder) {
  std::vector<std::string> names;
  for (const auto& t : SchemaTables()) names.emplace_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "domain", "class", "file", "tempfile", "file_to_delete", "unreachable_fids",
                       "file_on", "file_on_corrupt", "host", "device", "server_settings",
                       "file_to_replicate", "file_to_delete_later", "fsck_log", "file_to_queue",
                       "file_to_delete2", "checksum"}));
  EXPECT_EQ(kSchemaVersion, 17);
}

TEST(StoreSchemaTest, EachCreateNamesItsTable) {
  for (const auto& t : SchemaTables()) {
    EXPECT_EQ(t.create_sql.find("CREATE TABLE " + std::string(t.name) + " ("), 0u) << t.name;
  }
}

TEST(StoreSchemaTest, BigFidsRewriteOnlyTheFirstFidColumn) {
  for (const auto& t : SchemaTables()) {
    std::string small = CreateTableSql(t, false);
    std::string big = CreateTableSql(t, true);
    EXPECT_EQ(small, std::string(t.create_sql));
    bool has_fid = std::regex_search(small, std::regex(R"(\bfid INT UNSIGNED)"));
    if (!has_fid) {
      EXPECT_EQ(big, small) << t.name;
      continue;
    }
    EXPECT_NE(big.find("fid BIGINT UNSIGNED"), std::string::npos) << t.name;
    EXPECT_EQ(big.find("fid INT UNSIGNED"), std::string::npos) << t.name;
    // Other columns keep their widths.
    for (const char* col : {"devid MEDIUMINT", "fromdevid INT", "logid INT", "devid INT"}) {
      if (small.find(col) != std::string::npos) {
        EXPECT_NE(big.find(col), std::string::npos) << t.name << " " << col;
      }
    }
  }
}

TEST(StoreSchemaTest, DomainIsUntouchedByBigFids) {
  const auto& domain = SchemaTables().front();
  EXPECT_EQ(CreateTableSql(domain, true), std::string(domain.create_sql));
}

TEST(StoreSchemaTest, UpgradeStepsAreIdempotentOnTheFinalSchema) {
  // Column types as MariaDB reports them for a fully upgraded database: no step may fire.
  std::map<std::pair<std::string, std::string>, std::string> final_types = {
      {{"host", "http_get_port"}, "mediumint(8) unsigned"},
      {{"host", "altip"}, "varchar(15)"},
      {{"device", "mb_asof"}, "int(10) unsigned"},
      {{"device", "weight"}, "mediumint(9)"},
      {{"device", "status"}, "enum('alive','dead','down','readonly','drain')"},
      {{"class", "replpolicy"}, "varchar(255)"},
      {{"server_settings", "value"}, "text"},
      {{"file_to_queue", "arg"}, "text"},
      {{"device", "mb_total"}, "int(10) unsigned"},
      {{"device", "mb_used"}, "int(10) unsigned"},
      {{"class", "hashtype"}, "tinyint(3) unsigned"},
      {{"host", "status"}, "enum('alive','dead','down','readonly')"},
  };
  for (const auto& step : SchemaUpgrades()) {
    auto it = final_types.find({std::string(step.table), std::string(step.column)});
    ASSERT_NE(it, final_types.end()) << step.name;
    EXPECT_FALSE(step.needed(it->second)) << step.name;
  }
}

TEST(StoreSchemaTest, UpgradeStepsFireOnOldTypes) {
  std::map<std::string, std::string> old_type = {
      {"add_host_getport", ""},
      {"add_host_altip", ""},
      {"add_device_asof", ""},
      {"add_device_weight", ""},
      {"add_device_readonly", "enum('alive','dead','down')"},
      {"add_device_drain", "enum('alive','dead','down','readonly')"},
      {"add_class_replpolicy", ""},
      {"modify_server_settings_value", "varchar(255)"},
      {"add_file_to_queue_arg", ""},
      {"modify_device_size_total", "mediumint(8) unsigned"},
      {"modify_device_size_used", "mediumint(8) unsigned"},
      {"add_class_hashtype", ""},
      {"add_host_readonly", "enum('alive','dead','down')"},
  };
  ASSERT_EQ(SchemaUpgrades().size(), old_type.size());
  for (const auto& step : SchemaUpgrades()) {
    auto it = old_type.find(std::string(step.name));
    ASSERT_NE(it, old_type.end()) << step.name;
    EXPECT_TRUE(step.needed(it->second)) << step.name;
    EXPECT_FALSE(step.statements.empty()) << step.name;
    for (auto sql : step.statements) {
      EXPECT_EQ(sql.find("ALTER TABLE " + std::string(step.table) + " "), 0u) << sql;
      EXPECT_EQ(sql.find("DROP"), std::string::npos) << sql;  // never drops data
    }
  }
}

}  // namespace
}  // namespace mog::tracker
