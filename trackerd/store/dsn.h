// Perl DBI data source names as mogilefsd.conf's db_dsn and mogdbsetup write them:
//   DBI:mysql:database=mogilefs;host=127.0.0.1;port=3306
//   DBI:mysql:mogilefs;host=db1;mysql_socket=/run/mysqld/mysqld.sock
//   DBI:mysql:mogilefs:db1:3306            (DBD::mysql's old colon form)
// Parsed into parts so the MySQL client library can be called without a DBI layer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/error/error.h"

namespace mog::tracker {

struct Dsn {
  std::string driver;    // lower-cased: "mysql", "pg", "sqlite", ...
  std::string database;  // "" = none given
  std::string host;      // "" = client default (localhost / socket)
  std::optional<uint16_t> port;
  std::string socket;  // mysql_socket
  // Attributes we do not interpret (mysql_connect_timeout, ...), by name as written.
  std::map<std::string, std::string> extra;
};

// Errc::kFailure with a message naming the problem for anything that is not
// `dbi:<driver>:<attributes>` (scheme case-insensitive) or has a bad port.
Result<Dsn> ParseDsn(std::string_view text);

// Inverse for the common fields: DBI:mysql:database=<db>;host=<h>[;port=<p>][;mysql_socket=<s>]
std::string FormatMySqlDsn(const Dsn& dsn);

}  // namespace mog::tracker
