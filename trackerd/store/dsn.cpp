#include "trackerd/store/dsn.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace mog::tracker {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

Result<uint16_t> ParsePort(std::string_view text, std::string_view dsn) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    return Error(Errc::kFailure,
                 "Invalid port '" + std::string(text) + "' in DSN '" + std::string(dsn) + "'");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

Result<Dsn> ParseDsn(std::string_view text) {
  auto bad = [&](std::string why) {
    return Error(Errc::kFailure, "Invalid DSN '" + std::string(text) + "': " + why);
  };
  size_t first = text.find(':');
  if (first == std::string_view::npos || Lower(text.substr(0, first)) != "dbi") {
    return bad("must start with DBI:<driver>:");
  }
  std::string_view rest = text.substr(first + 1);
  size_t second = rest.find(':');
  std::string_view driver = rest.substr(0, second);
  if (driver.empty()) return bad("no driver");
  Dsn dsn;
  dsn.driver = Lower(driver);
  std::string_view attrs = second == std::string_view::npos ? "" : rest.substr(second + 1);
  if (attrs.empty()) return dsn;

  std::vector<std::string_view> pieces = Split(attrs, ';');
  for (size_t i = 0; i < pieces.size(); ++i) {
    std::string_view piece = pieces[i];
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      if (i != 0) return bad("attribute '" + std::string(piece) + "' has no '='");
      // Bare leading word: the database, optionally DBD::mysql's "db:host:port".
      std::vector<std::string_view> fields = Split(piece, ':');
      if (fields.size() > 3) return bad("too many ':' fields");
      dsn.database = std::string(fields[0]);
      if (fields.size() > 1) dsn.host = std::string(fields[1]);
      if (fields.size() > 2 && !fields[2].empty()) {
        auto port = ParsePort(fields[2], text);
        if (!port) return port.error();
        dsn.port = *port;
      }
      continue;
    }
    std::string key = Lower(piece.substr(0, eq));
    std::string_view value = piece.substr(eq + 1);
    if (key == "database" || key == "db" || key == "dbname") {
      dsn.database = std::string(value);
    } else if (key == "host" || key == "hostname") {
      dsn.host = std::string(value);
    } else if (key == "port") {
      auto port = ParsePort(value, text);
      if (!port) return port.error();
      dsn.port = *port;
    } else if (key == "mysql_socket") {
      dsn.socket = std::string(value);
    } else {
      dsn.extra[std::string(piece.substr(0, eq))] = std::string(value);
    }
  }
  return dsn;
}

std::string FormatMySqlDsn(const Dsn& dsn) {
  std::string out = "DBI:mysql:database=" + dsn.database;
  if (!dsn.host.empty()) out += ";host=" + dsn.host;
  if (dsn.port) out += ";port=" + std::to_string(*dsn.port);
  if (!dsn.socket.empty()) out += ";mysql_socket=" + dsn.socket;
  return out;
}

}  // namespace mog::tracker
