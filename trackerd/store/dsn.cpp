#include "trackerd/store/dsn.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mog::tracker {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsSeparator(char c) { return c == ':' || c == ';'; }

// DBD::mysql's loop body: the next piece of `rest` up to a ':' or ';' (a '[' before the first
// separator extends the piece to its ']', so "host=[::1]" is one piece), with the brackets
// removed. Returns false with `why` set when a '[' is never closed.
bool NextPiece(std::string_view& rest, std::string& piece, std::string& why) {
  size_t end = 0;
  while (end < rest.size() && !IsSeparator(rest[end]) && rest[end] != '[') ++end;
  if (end < rest.size() && rest[end] == '[') {
    size_t close = rest.find(']', end);
    if (close == std::string_view::npos) {
      why = "'[' without a closing ']' in '" + std::string(rest) + "'";
      return false;
    }
    end = close + 1;
    while (end < rest.size() && !IsSeparator(rest[end])) ++end;
  }
  piece.clear();
  for (char c : rest.substr(0, end)) {
    if (c != '[' && c != ']') piece.push_back(c);
  }
  rest = end < rest.size() ? rest.substr(end + 1) : std::string_view();
  return true;
}

bool ParseNumber(std::string_view text, unsigned max, unsigned* value) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v > max) {
    return false;
  }
  *value = v;
  return true;
}

}  // namespace

// Connector/C and libmysqlclient compare with strcmp: only lower-case "localhost" is the socket.
bool Dsn::UsesTcp() const { return !host.empty() && host != "localhost"; }

std::string Dsn::Describe() const {
  if (!UsesTcp()) return socket.empty() ? "the local socket" : "socket " + socket;
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port.value_or(3306));
}

Result<Dsn> ParseDsn(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error(Errc::kFailure, "Invalid DSN '" + std::string(text) + "': " + why);
  };
  if (text.empty()) return bad("empty (expected e.g. DBI:mysql:mogilefs:host=127.0.0.1)");

  // DBI: /^dbi:(\w*?)(?:\((.*?)\))?:/i
  if (text.size() < 4 || Lower(text.substr(0, 4)) != "dbi:") {
    return bad("must start with DBI:<driver>: (e.g. DBI:mysql:mogilefs)");
  }
  std::string_view rest = text.substr(4);
  size_t n = 0;
  while (n < rest.size() && IsWordChar(rest[n])) ++n;
  if (n == 0) return bad("no driver after 'DBI:' (e.g. DBI:mysql:mogilefs)");
  Dsn dsn;
  dsn.driver = Lower(rest.substr(0, n));
  rest.remove_prefix(n);
  if (!rest.empty() && rest.front() == '(') {
    size_t close = rest.find(')');
    if (close == std::string_view::npos) return bad("'(' after the driver name is never closed");
    rest.remove_prefix(close + 1);
  }
  if (rest.empty() || rest.front() != ':') {
    return bad("expected ':' after the driver name '" + std::string(text.substr(4, n)) + "'");
  }
  rest.remove_prefix(1);

  // DBD::mysql::_OdbcParse($dsn, $hash, ['database', 'host', 'port']).
  bool have_database = false, have_host = false, have_port = false;
  auto set_port = [&](std::string_view value) -> bool {
    have_port = true;
    if (value.empty()) {  // DBD::mysql: an empty port is the default port
      dsn.port.reset();
      return true;
    }
    unsigned v = 0;
    if (!ParseNumber(value, 65535, &v) || v == 0) return false;
    dsn.port = static_cast<uint16_t>(v);
    return true;
  };
  auto bad_port = [&](std::string_view value) {
    return bad("port '" + std::string(value) + "' is not a number from 1 to 65535");
  };
  std::string piece, why;
  while (!rest.empty()) {
    if (!NextPiece(rest, piece, why)) return bad(why);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    if (eq == std::string::npos) {
      if (!have_database) {
        dsn.database = piece;
        have_database = true;
      } else if (!have_host) {
        dsn.host = piece;
        have_host = true;
      } else if (!have_port) {
        if (!set_port(piece)) return bad_port(piece);
      } else {
        return bad("unexpected '" + piece + "': database, host and port are already given");
      }
      continue;
    }
    std::string name = piece.substr(0, eq);
    std::string key = Lower(name);
    std::string value = piece.substr(eq + 1);
    if (key == "database" || key == "db" || key == "dbname") {
      dsn.database = value;
      have_database = true;
    } else if (key == "host" || key == "hostname") {
      dsn.host = value;
      have_host = true;
    } else if (key == "port") {
      if (!set_port(value)) return bad_port(value);
    } else if (key == "mysql_socket") {
      dsn.socket = value;
    } else if (key == "mysql_connect_timeout" || key == "mysql_read_timeout" ||
               key == "mysql_write_timeout") {
      unsigned v = 0;
      if (!ParseNumber(value, 86400 * 365, &v)) {
        return bad(name + " '" + value + "' is not a number of seconds");
      }
      (key == "mysql_connect_timeout" ? dsn.connect_timeout
       : key == "mysql_read_timeout"  ? dsn.read_timeout
                                      : dsn.write_timeout) = v;
    } else if (key == "user") {
      dsn.user = value;
    } else if (key == "password") {
      dsn.password = value;
    } else if (name.empty()) {
      return bad("attribute '" + piece + "' has no name before '='");
    } else {
      dsn.extra[name] = value;
    }
  }
  return dsn;
}

std::string FormatMySqlDsn(const Dsn& dsn) {
  std::string out = "DBI:mysql:database=" + dsn.database;
  if (!dsn.host.empty()) {
    out += ";host=" + (dsn.host.find(':') != std::string::npos ? "[" + dsn.host + "]" : dsn.host);
  }
  if (dsn.port) out += ";port=" + std::to_string(*dsn.port);
  if (!dsn.socket.empty()) out += ";mysql_socket=" + dsn.socket;
  return out;
}

}  // namespace mog::tracker
