#include "trackerd/store/mysql_connection.h"

#include <cstring>
#include <mutex>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

namespace mog::tracker {
namespace {

constexpr unsigned kReprepareErrno = 1615;  // ER_NEED_REPREPARE (after DDL on a table)
constexpr unsigned long kInitialColumnBuffer = 256;

bool IsDuplicateErrno(unsigned err) {
  return err == ER_DUP_ENTRY || err == ER_DUP_KEY || err == ER_DUP_ENTRY_WITH_KEY_NAME;
}

}  // namespace

bool IsConnectionLostErrno(unsigned err) {
  switch (err) {
    case CR_SERVER_GONE_ERROR:     // 2006
    case CR_SERVER_LOST:           // 2013
    case CR_SERVER_LOST_EXTENDED:  // 2055
    case CR_CONNECTION_ERROR:      // 2002
    case CR_CONN_HOST_ERROR:       // 2003
    case CR_COMMANDS_OUT_OF_SYNC:  // 2014: the protocol state is unknown; start over
    case ER_CONNECTION_KILLED:     // 1927
    case ER_SERVER_SHUTDOWN:       // 1053
    case 4031:                     // ER_CLIENT_INTERACTION_TIMEOUT (MariaDB 10.x)
      return true;
    default:
      return false;
  }
}

Result<std::unique_ptr<MySqlConnection>> MySqlConnection::Connect(
    const MySqlConnectParams& params) {
  // The library's global set-up is not thread-safe; query workers connect concurrently.
  static std::once_flag library_once;
  std::call_once(library_once, [] { mysql_library_init(0, nullptr, nullptr); });
  MYSQL* mysql = mysql_init(nullptr);
  if (mysql == nullptr) return Error(Errc::kDb, "mysql_init failed (out of memory)");
  unsigned connect_timeout = static_cast<unsigned>(params.connect_timeout_seconds);
  unsigned rw_timeout = static_cast<unsigned>(params.read_write_timeout_seconds);
  unsigned write_timeout = params.write_timeout_seconds > 0
                               ? static_cast<unsigned>(params.write_timeout_seconds)
                               : rw_timeout;
  mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
  mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_options(mysql, MYSQL_SET_CHARSET_NAME, params.charset.c_str());
  my_bool no = 0;
  mysql_options(mysql, MYSQL_OPT_RECONNECT, &no);  // a silent reconnect would drop locks

  const char* host = params.host.empty() ? nullptr : params.host.c_str();
  const char* socket = params.socket.empty() ? nullptr : params.socket.c_str();
  const char* db = params.database.empty() ? nullptr : params.database.c_str();
  if (mysql_real_connect(mysql, host, params.user.c_str(), params.pass.c_str(), db, params.port,
                         socket, 0) == nullptr) {
    // libmysqlclient: no host or "localhost" is the Unix socket (the port is not used).
    const bool tcp = !params.host.empty() && params.host != "localhost";
    std::string where =
        tcp ? (params.host.find(':') != std::string::npos ? "[" + params.host + "]" : params.host) +
                  ":" + std::to_string(params.port ? params.port : 3306)
            : "localhost through socket " +
                  (params.socket.empty() ? std::string("(client default)") : params.socket);
    Error error(Errc::kDb, "Cannot connect to MySQL at " + where + " as '" + params.user +
                               "': " + mysql_error(mysql) + " (" +
                               std::to_string(mysql_errno(mysql)) + ")");
    mysql_close(mysql);
    return error;
  }
  // Autocommit, as upstream's DBI handles; transactions are explicit.
  mysql_autocommit(mysql, 1);
  return std::unique_ptr<MySqlConnection>(new MySqlConnection(mysql));
}

MySqlConnection::~MySqlConnection() {
  for (auto& [sql, stmt] : statements_) mysql_stmt_close(stmt);
  mysql_close(mysql_);
}

Error MySqlConnection::MakeError(unsigned err, std::string_view message, std::string_view context) {
  last_errno_ = err;
  if (IsConnectionLostErrno(err)) lost_ = true;
  std::string detail = "MySQL error " + std::to_string(err) + ": " + std::string(message);
  if (!context.empty()) detail += " [" + std::string(context) + "]";
  return Error(IsDuplicateErrno(err) ? Errc::kDup : Errc::kDb, std::move(detail));
}

Error MySqlConnection::ConnectionError(std::string_view what) {
  return MakeError(mysql_errno(mysql_), mysql_error(mysql_), what);
}

Error MySqlConnection::StatementError(MYSQL_STMT* stmt, std::string_view sql) {
  return MakeError(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
}

void MySqlConnection::DropStatement(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) return;
  mysql_stmt_close(it->second);
  statements_.erase(it);
}

Result<MYSQL_STMT*> MySqlConnection::Prepare(std::string_view sql) {
  if (auto it = statements_.find(std::string(sql)); it != statements_.end()) return it->second;
  MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
  if (stmt == nullptr) return ConnectionError(sql);
  if (mysql_stmt_prepare(stmt, sql.data(), sql.size()) != 0) {
    Error error = StatementError(stmt, sql);
    mysql_stmt_close(stmt);
    return error;
  }
  statements_.emplace(std::string(sql), stmt);
  return stmt;
}

Result<MYSQL_STMT*> MySqlConnection::Run(std::string_view sql, const SqlParams& params) {
  if (lost_) return Error(Errc::kDb, "MySQL connection lost");
  for (int attempt = 0;; ++attempt) {
    auto prepared = Prepare(sql);
    if (!prepared) return prepared.error();
    MYSQL_STMT* stmt = *prepared;
    if (mysql_stmt_param_count(stmt) != params.size()) {
      return Error(Errc::kDb, "parameter count mismatch [" + std::string(sql) + "]");
    }
    // Storage the binds point into must live until execute returns.
    std::vector<MYSQL_BIND> binds(params.size());
    std::vector<unsigned long> lengths(params.size());
    std::memset(binds.data(), 0, binds.size() * sizeof(MYSQL_BIND));
    for (size_t i = 0; i < params.size(); ++i) {
      MYSQL_BIND& b = binds[i];
      const SqlValue& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) {
        b.buffer_type = MYSQL_TYPE_NULL;
      } else if (auto* s = std::get_if<int64_t>(&v)) {
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = const_cast<int64_t*>(s);
      } else if (auto* u = std::get_if<uint64_t>(&v)) {
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = const_cast<uint64_t*>(u);
        b.is_unsigned = 1;
      } else if (auto* text = std::get_if<std::string>(&v)) {
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = const_cast<char*>(text->data());
        lengths[i] = text->size();
        b.buffer_length = text->size();
        b.length = &lengths[i];
      } else {
        const std::string& bytes = std::get<SqlBlob>(v).bytes;
        b.buffer_type = MYSQL_TYPE_BLOB;
        b.buffer = const_cast<char*>(bytes.data());
        lengths[i] = bytes.size();
        b.buffer_length = bytes.size();
        b.length = &lengths[i];
      }
    }
    if ((!binds.empty() && mysql_stmt_bind_param(stmt, binds.data()) != 0) ||
        mysql_stmt_execute(stmt) != 0) {
      unsigned err = mysql_stmt_errno(stmt);
      if (err == kReprepareErrno && attempt == 0) {
        DropStatement(sql);
        continue;
      }
      Error error = StatementError(stmt, sql);
      // A statement handle in an error state is not reused.
      DropStatement(sql);
      return error;
    }
    last_errno_ = 0;
    return stmt;
  }
}

Result<uint64_t> MySqlConnection::Exec(std::string_view sql, const SqlParams& params) {
  auto stmt = Run(sql, params);
  if (!stmt) return stmt.error();
  uint64_t affected = mysql_stmt_affected_rows(*stmt);
  last_insert_id_ = mysql_stmt_insert_id(*stmt);
  // A statement that (unexpectedly) produced rows must be drained before reuse.
  mysql_stmt_free_result(*stmt);
  return affected;
}

Result<std::vector<SqlRow>> MySqlConnection::Query(std::string_view sql, const SqlParams& params) {
  auto run = Run(sql, params);
  if (!run) return run.error();
  MYSQL_STMT* stmt = *run;
  std::vector<SqlRow> rows;
  unsigned columns = mysql_stmt_field_count(stmt);
  if (columns == 0) return rows;
  if (mysql_stmt_store_result(stmt) != 0) {
    Error error = StatementError(stmt, sql);
    DropStatement(sql);
    return error;
  }
  std::vector<MYSQL_BIND> binds(columns);
  std::memset(binds.data(), 0, binds.size() * sizeof(MYSQL_BIND));
  std::vector<std::string> buffers(columns, std::string(kInitialColumnBuffer, '\0'));
  std::vector<unsigned long> lengths(columns);
  std::vector<my_bool> nulls(columns);
  std::vector<my_bool> truncated(columns);
  for (unsigned c = 0; c < columns; ++c) {
    binds[c].buffer_type = MYSQL_TYPE_STRING;  // numbers arrive as decimal text
    binds[c].buffer = buffers[c].data();
    binds[c].buffer_length = kInitialColumnBuffer;
    binds[c].length = &lengths[c];
    binds[c].is_null = &nulls[c];
    binds[c].error = &truncated[c];
  }
  if (mysql_stmt_bind_result(stmt, binds.data()) != 0) {
    Error error = StatementError(stmt, sql);
    mysql_stmt_free_result(stmt);
    return error;
  }
  while (true) {
    int rc = mysql_stmt_fetch(stmt);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) {
      Error error = StatementError(stmt, sql);
      mysql_stmt_free_result(stmt);
      DropStatement(sql);
      return error;
    }
    SqlRow row(columns);
    for (unsigned c = 0; c < columns; ++c) {
      if (nulls[c]) continue;
      if (lengths[c] <= kInitialColumnBuffer) {
        row[c] = std::string(buffers[c].data(), lengths[c]);
        continue;
      }
      // Longer than the fixed buffer: fetch this column again into a fitting one.
      std::string big(lengths[c], '\0');
      MYSQL_BIND one;
      std::memset(&one, 0, sizeof(one));
      unsigned long big_length = 0;
      one.buffer_type = MYSQL_TYPE_STRING;
      one.buffer = big.data();
      one.buffer_length = big.size();
      one.length = &big_length;
      if (mysql_stmt_fetch_column(stmt, &one, c, 0) != 0) {
        Error error = StatementError(stmt, sql);
        mysql_stmt_free_result(stmt);
        return error;
      }
      big.resize(big_length);
      row[c] = std::move(big);
    }
    rows.push_back(std::move(row));
  }
  mysql_stmt_free_result(stmt);
  return rows;
}

Result<uint64_t> MySqlConnection::ExecText(std::string_view sql) {
  if (lost_) return Error(Errc::kDb, "MySQL connection lost");
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return ConnectionError(sql);
  // Drain any result so the connection stays usable.
  if (MYSQL_RES* res = mysql_store_result(mysql_)) mysql_free_result(res);
  last_errno_ = 0;
  last_insert_id_ = mysql_insert_id(mysql_);
  return static_cast<uint64_t>(mysql_affected_rows(mysql_));
}

Result<std::vector<SqlRow>> MySqlConnection::QueryText(std::string_view sql) {
  if (lost_) return Error(Errc::kDb, "MySQL connection lost");
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return ConnectionError(sql);
  std::vector<SqlRow> rows;
  MYSQL_RES* res = mysql_store_result(mysql_);
  if (res == nullptr) {
    if (mysql_field_count(mysql_) != 0) return ConnectionError(sql);
    return rows;
  }
  unsigned columns = mysql_num_fields(res);
  while (MYSQL_ROW r = mysql_fetch_row(res)) {
    unsigned long* lengths = mysql_fetch_lengths(res);
    SqlRow row(columns);
    for (unsigned c = 0; c < columns; ++c) {
      if (r[c] != nullptr) row[c] = std::string(r[c], lengths[c]);
    }
    rows.push_back(std::move(row));
  }
  mysql_free_result(res);
  last_errno_ = 0;
  return rows;
}

Result<void> MySqlConnection::Begin() {
  auto r = ExecText("START TRANSACTION");
  if (!r) return r.error();
  return {};
}

Result<void> MySqlConnection::Commit() {
  if (lost_) return Error(Errc::kDb, "MySQL connection lost");
  if (mysql_commit(mysql_) != 0) return ConnectionError("COMMIT");
  return {};
}

void MySqlConnection::Rollback() {
  if (lost_) return;
  if (mysql_rollback(mysql_) != 0) (void)ConnectionError("ROLLBACK");
}

std::string MySqlConnection::Quote(std::string_view text) {
  std::string out(text.size() * 2 + 1, '\0');
  unsigned long n = mysql_real_escape_string(mysql_, out.data(), text.data(), text.size());
  out.resize(n);
  return "'" + out + "'";
}

std::string MySqlConnection::QuoteIdentifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

}  // namespace mog::tracker
