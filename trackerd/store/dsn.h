// Perl DBI data source names, as mogilefsd.conf's db_dsn, mogstats' db_dsn and `mogadm slave
// add --dsn` take them, parsed the way DBI and DBD::mysql (`DBD::mysql::_OdbcParse`) do:
//
//   DBI:mysql:mogilefs                                  database only (local socket)
//   DBI:mysql:mogilefs:host=127.0.0.1;port=3306          ':' and ';' both separate attributes
//   DBI:mysql:mogilefs:db1:3307                          bare pieces fill database, host, port
//   DBI:mysql:database=mogilefs;host=db1;port=3307       db / dbname / database, host / hostname
//   DBI:mysql:mogilefs;mysql_socket=/run/x.sock          socket instead of the default one
//   DBI:mysql:mogilefs:host=[::1];port=3307              brackets around an IPv6 host
//
// The scheme `dbi` and the attribute names are matched case-insensitively (DBD::mysql is
// case-sensitive and silently ignores `HOST=`); empty pieces are skipped; `(attr=>v)` after the
// driver name (DBI's driver attributes) is accepted and ignored.
//
// Host semantics are the MySQL client library's, as under DBD::mysql: no host, or `localhost`,
// means the Unix socket (`mysql_socket` or the client default), even when a port is given; any
// other host (`127.0.0.1`, `::1`, a name) means TCP to that host.
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
  std::string host;      // "" = client default (localhost / socket); IPv6 without brackets
  std::optional<uint16_t> port;
  std::string socket;  // mysql_socket
  // DBD::mysql's timeouts in seconds (mysql_connect_timeout, mysql_read_timeout,
  // mysql_write_timeout); unset = the program's default.
  std::optional<unsigned> connect_timeout;
  std::optional<unsigned> read_timeout;
  std::optional<unsigned> write_timeout;
  // `user=` / `password=` in the DSN override db_user / db_pass, as under DBD::mysql.
  std::optional<std::string> user;
  std::optional<std::string> password;
  // Attributes we do not interpret (mysql_compression, mysql_ssl, ...), by name as written.
  std::map<std::string, std::string> extra;

  // True when the MySQL client library will connect over TCP (host given, not "localhost").
  bool UsesTcp() const;
  // "host:port", "[v6]:port", "socket /path" or "local socket": where a connection goes.
  std::string Describe() const;
};

// Errc::kFailure with "Invalid DSN '<text>': <reason>" for an empty DSN, one that is not
// `dbi:<driver>:<attributes>` (scheme case-insensitive), a bad port or timeout, an unclosed
// '[', or more bare pieces than database, host and port.
Result<Dsn> ParseDsn(std::string_view text);

// Inverse for the common fields: DBI:mysql:database=<db>;host=<h>[;port=<p>][;mysql_socket=<s>]
// (an IPv6 host is written in brackets).
std::string FormatMySqlDsn(const Dsn& dsn);

}  // namespace mog::tracker
