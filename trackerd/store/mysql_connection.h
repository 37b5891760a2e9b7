// One MySQL/MariaDB connection through the libmysqlclient API (MariaDB Connector/C): connect
// with timeouts and a fixed connection charset, run prepared statements with bound parameters
// (keys are arbitrary bytes, passed with explicit lengths), fetch rows as bytes. Prepared
// statements are cached per SQL text for the life of the connection.
//
// The connection never reconnects by itself: after a connection-level failure lost() is true
// and the owner (MySqlStore) replaces it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/error/error.h"

struct st_mysql;
struct st_mysql_stmt;

namespace mog::tracker {

// A VARBINARY/BLOB parameter (binary charset, never transcoded or collated).
struct SqlBlob {
  std::string bytes;
};
// A bound parameter. std::string binds as a string in the connection charset (so collation
// rules apply as for upstream's latin1 columns); its bytes are sent verbatim.
using SqlValue = std::variant<std::nullptr_t, int64_t, uint64_t, std::string, SqlBlob>;
using SqlParams = std::vector<SqlValue>;
// A row: each column's bytes (numbers in decimal text), nullopt for NULL.
using SqlRow = std::vector<std::optional<std::string>>;

struct MySqlConnectParams {
  std::string host;   // "" or "localhost" -> Unix socket (client default unless `socket`)
  uint16_t port = 0;  // 0 = client default
  std::string socket;
  std::string database;  // "" = none selected
  std::string user;
  std::string pass;
  int connect_timeout_seconds = 10;
  int read_write_timeout_seconds = 40;
  int write_timeout_seconds = 0;  // > 0: the write timeout instead of read_write_timeout_seconds
  // Upstream's tables are latin1 and its connections use the client default latin1, so
  // bytes round-trip untouched (reference §4.3).
  std::string charset = "latin1";
};

// Server/client error numbers that mean the connection is gone (2006, 2013, ...).
bool IsConnectionLostErrno(unsigned err);

class MySqlConnection {
 public:
  static Result<std::unique_ptr<MySqlConnection>> Connect(const MySqlConnectParams& params);
  ~MySqlConnection();
  MySqlConnection(const MySqlConnection&) = delete;
  MySqlConnection& operator=(const MySqlConnection&) = delete;

  // A prepared statement that returns no rows; returns the affected-row count.
  Result<uint64_t> Exec(std::string_view sql, const SqlParams& params = {});
  // A prepared statement's rows, fully fetched.
  Result<std::vector<SqlRow>> Query(std::string_view sql, const SqlParams& params = {});
  // Statements with no data in them that the server cannot prepare or that are
  // administrative (DDL, GRANT built with Quote(), SHOW ...).
  Result<uint64_t> ExecText(std::string_view sql);
  Result<std::vector<SqlRow>> QueryText(std::string_view sql);

  Result<void> Begin();
  Result<void> Commit();
  // Best effort; errors only mark the connection lost.
  void Rollback();

  // AUTO_INCREMENT value of the last INSERT.
  uint64_t last_insert_id() const { return last_insert_id_; }
  // Error number of the last failure (0 if the last call succeeded).
  unsigned last_errno() const { return last_errno_; }
  bool lost() const { return lost_; }

  // A SQL string literal ('...') escaped for this connection's charset.
  std::string Quote(std::string_view text);
  // A `backquoted` identifier.
  static std::string QuoteIdentifier(std::string_view name);

 private:
  explicit MySqlConnection(st_mysql* mysql) : mysql_(mysql) {}
  Result<st_mysql_stmt*> Prepare(std::string_view sql);
  Result<st_mysql_stmt*> Run(std::string_view sql, const SqlParams& params);
  Error ConnectionError(std::string_view what);
  Error StatementError(st_mysql_stmt* stmt, std::string_view sql);
  Error MakeError(unsigned err, std::string_view message, std::string_view context);
  void DropStatement(std::string_view sql);

  st_mysql* mysql_;
  std::unordered_map<std::string, st_mysql_stmt*> statements_;
  uint64_t last_insert_id_ = 0;
  unsigned last_errno_ = 0;
  bool lost_ = false;
};

}  // namespace mog::tracker
