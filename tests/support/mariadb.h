// A private MariaDB server for one integration-test binary: mariadb-install-db into a temp
// datadir, mariadbd on its own socket, a free 127.0.0.1 port and pid file, stopped (SIGTERM,
// then SIGKILL) when the object dies. Tests share one server (Shared()) and make a fresh
// database each with CreateDatabaseWithMogdbsetup, which runs the real build/bin/mogdbsetup.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace mog::test {

class MariaDbServer {
 public:
  // Starts a server; throws std::runtime_error (with the server log) if it is not ready in
  // a bounded time.
  MariaDbServer();
  ~MariaDbServer();
  MariaDbServer(const MariaDbServer&) = delete;
  MariaDbServer& operator=(const MariaDbServer&) = delete;

  // The server for this test binary, started on first use and stopped at exit.
  static MariaDbServer& Shared();

  uint16_t port() const { return port_; }
  const std::string& socket_path() const { return socket_; }
  // The MogileFS user mogdbsetup creates (and its password).
  static const char* kUser;
  static const char* kPassword;

  // A database name not used before by this process ("<prefix>_<n>").
  std::string UniqueDatabaseName(const std::string& prefix = "mogtest");
  // Runs build/bin/mogdbsetup --yes against this server for database `name` (as root over
  // TCP, creating kUser); returns DBI:mysql:database=<name>;host=127.0.0.1;port=<port>.
  // Throws with mogdbsetup's output if it fails.
  std::string CreateDatabaseWithMogdbsetup(const std::string& name);
  // Runs mogdbsetup with extra arguments (after the connection ones); returns its result.
  CommandResult RunMogdbsetup(const std::string& name, const std::vector<std::string>& extra);

  // Runs SQL as root over the socket; rows with NULL as "NULL". Throws on SQL errors.
  std::vector<std::vector<std::string>> Query(const std::string& sql,
                                              const std::string& database = "");
  // First column of the first row, or "" if no row.
  std::string QueryValue(const std::string& sql, const std::string& database = "");
  void Exec(const std::string& sql, const std::string& database = "");

  // Outage simulation: SIGKILL the server (no shutdown) / start it again on the same port
  // and datadir (waits until ready).
  void Kill9();
  void Restart();
  // A hung server: SIGSTOP / SIGCONT (connections stay open but nothing answers).
  void Pause();
  void Resume();
  bool running();
  std::string Log() const;

 private:
  void StartServer();
  bool Ready();

  TempDir dir_;
  std::string datadir_;
  std::string tmpdir_;
  std::string socket_;
  std::string log_path_;
  uint16_t port_ = 0;
  int next_db_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace mog::test
