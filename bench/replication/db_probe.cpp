#include "bench/replication/db_probe.h"

#include <cstdlib>

#include <mysql.h>

namespace mog::bench {

DbProbe::~DbProbe() {
  if (db_) mysql_close(db_);
}

std::string DbProbe::Connect(const std::string& host, uint16_t port, const std::string& user,
                             const std::string& pass, const std::string& db) {
  db_ = mysql_init(nullptr);
  if (!db_) return "mysql_init failed";
  unsigned int timeout = 30;
  mysql_options(db_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
  if (!mysql_real_connect(db_, host.c_str(), user.c_str(), pass.c_str(), db.c_str(), port, nullptr,
                          0)) {
    return "connect to MySQL " + host + ":" + std::to_string(port) + ": " + mysql_error(db_);
  }
  // Each poll must see the rows the tracker committed since the last one.
  if (mysql_query(db_, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED") != 0 ||
      mysql_autocommit(db_, 1) != 0) {
    return std::string("session setup: ") + mysql_error(db_);
  }
  return "";
}

std::optional<int64_t> DbProbe::Int(const std::string& sql) {
  auto rows = Pairs(sql);
  if (!rows) return std::nullopt;
  if (rows->empty()) return 0;
  return rows->front().first;
}

std::optional<std::vector<std::pair<int64_t, int64_t>>> DbProbe::Pairs(const std::string& sql) {
  if (mysql_query(db_, sql.c_str()) != 0) {
    error_ = mysql_error(db_);
    return std::nullopt;
  }
  MYSQL_RES* res = mysql_store_result(db_);
  if (!res) {
    error_ = mysql_field_count(db_) ? mysql_error(db_) : "statement returned no rows";
    return std::nullopt;
  }
  std::vector<std::pair<int64_t, int64_t>> out;
  const unsigned fields = mysql_num_fields(res);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    auto num = [&](unsigned i) -> int64_t {
      return i < fields && row[i] ? std::strtoll(row[i], nullptr, 10) : 0;
    };
    out.emplace_back(num(0), num(1));
  }
  mysql_free_result(res);
  return out;
}

std::string DbProbe::Quote(const std::string& text) {
  std::string out(text.size() * 2 + 1, '\0');
  const unsigned long n = mysql_real_escape_string(db_, out.data(), text.data(), text.size());
  out.resize(n);
  return "'" + out + "'";
}

}  // namespace mog::bench
