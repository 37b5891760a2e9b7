#include "tests/support/mariadb.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/net.h"
#include <mysql.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mog::test {
namespace {

std::string FindProgram(const std::string& name) {
  for (const char* dir : {"/usr/sbin/", "/usr/bin/", "/usr/local/sbin/", "/usr/local/bin/"}) {
    std::string path = std::string(dir) + name;
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  throw std::runtime_error(name + " not found (install mariadb-server)");
}

// A root connection over the Unix socket (no password: --auth-root-authentication-method=normal).
struct RootConnection {
  MYSQL* mysql = nullptr;
  RootConnection(const std::string& socket, const std::string& database, int timeout_seconds) {
    mysql = mysql_init(nullptr);
    unsigned timeout = static_cast<unsigned>(timeout_seconds);
    mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &timeout);
    mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
    mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "latin1");
    if (!mysql_real_connect(mysql, "localhost", "root", "",
                            database.empty() ? nullptr : database.c_str(), 0, socket.c_str(), 0)) {
      error = mysql_error(mysql);
      mysql_close(mysql);
      mysql = nullptr;
    }
  }
  ~RootConnection() {
    if (mysql) mysql_close(mysql);
  }
  std::string error;
};

constexpr auto kStartTimeout = std::chrono::seconds(90);

}  // namespace

const char* MariaDbServer::kUser = "mogile";
const char* MariaDbServer::kPassword = "mogpass";

MariaDbServer::MariaDbServer() : dir_("mogtest-mariadb") {
  datadir_ = dir_.Sub("data");
  tmpdir_ = dir_.Sub("tmp");
  if (mkdir(tmpdir_.c_str(), 0700) != 0) throw std::runtime_error("mkdir " + tmpdir_);
  socket_ = dir_.Sub("mysqld.sock");
  log_path_ = dir_.Sub("mariadbd.log");
  std::vector<std::string> install = {
      FindProgram("mariadb-install-db"), "--no-defaults", "--datadir=" + datadir_,
      "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
      // Private temp files: parallel installs in one /tmp
      // collide on internal temp-table names.
      "--tmpdir=" + tmpdir_};
  // mariadbd refuses to run as root unless told which user to be.
  if (geteuid() == 0) install.push_back("--user=root");
  CommandResult r = RunCommand(install, std::chrono::seconds(120));
  if (r.exit_code != 0) {
    throw std::runtime_error("mariadb-install-db failed (" + std::to_string(r.exit_code) + "):\n" +
                             r.output);
  }
  // FreePort can race with another test process; a server that lost the race exits at once
  // and is retried on another port (bounded).
  for (int attempt = 0;; ++attempt) {
    port_ = FreePort("127.0.0.1");
    try {
      StartServer();
      return;
    } catch (const std::runtime_error&) {
      bool port_taken = Log().find("Address already in use") != std::string::npos ||
                        Log().find("Bind on TCP/IP port") != std::string::npos;
      if (!port_taken || attempt >= 3) throw;
      WriteFile(log_path_, "");
    }
  }
}

MariaDbServer::~MariaDbServer() {
  if (server_) server_->Signal(SIGCONT);  // a paused server cannot handle SIGTERM
  if (server_) server_->Stop(std::chrono::seconds(20));
}

MariaDbServer& MariaDbServer::Shared() {
  static MariaDbServer server;
  return server;
}

void MariaDbServer::StartServer() {
  std::vector<std::string> argv = {FindProgram("mariadbd"),
                                   "--no-defaults",
                                   "--datadir=" + datadir_,
                                   "--socket=" + socket_,
                                   "--port=" + std::to_string(port_),
                                   "--bind-address=127.0.0.1",
                                   "--pid-file=" + dir_.Sub("mariadbd.pid"),
                                   "--skip-log-bin",
                                   "--skip-name-resolve",
                                   "--innodb-buffer-pool-size=32M",
                                   "--innodb-log-file-size=16M",
                                   "--innodb-flush-log-at-trx-commit=2",
                                   "--max-connections=300",
                                   "--tmpdir=" + tmpdir_,
                                   "--log-error=" + log_path_};
  if (geteuid() == 0) argv.push_back("--user=root");
  server_ = std::make_unique<ChildProcess>(argv, dir_.Sub("mariadbd.stdout"));
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Ready()) return;
    if (!server_->Running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("mariadbd did not become ready:\n" + Log());
}

bool MariaDbServer::Ready() {
  RootConnection c(socket_, "", 2);
  if (!c.mysql) return false;
  return mysql_query(c.mysql, "SELECT 1") == 0 && [&] {
    MYSQL_RES* res = mysql_store_result(c.mysql);
    if (res) mysql_free_result(res);
    return res != nullptr;
  }();
}

bool MariaDbServer::running() { return server_ && server_->Running(); }

std::string MariaDbServer::Log() const {
  return ReadFileOrEmpty(log_path_) + ReadFileOrEmpty(dir_.Sub("mariadbd.stdout"));
}

void MariaDbServer::Kill9() {
  if (!server_) return;
  server_->Signal(SIGKILL);
  server_->WaitExit(std::chrono::seconds(10));
  server_.reset();
}

void MariaDbServer::Pause() {
  if (!server_) return;
  server_->Signal(SIGSTOP);
  // The stop reaches every thread asynchronously; return once the kernel reports every thread
  // of the process stopped ('T' in /proc/<pid>/task/*/stat), bounded.
  std::string task_dir = "/proc/" + std::to_string(server_->pid()) + "/task";
  WaitUntil(
      [&] {
        std::error_code ec;
        bool all_stopped = true;
        for (const auto& task : std::filesystem::directory_iterator(task_dir, ec)) {
          std::string stat = ReadFileOrEmpty(task.path().string() + "/stat");
          size_t paren = stat.rfind(')');
          if (paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'T') {
            all_stopped = false;
          }
        }
        return !ec && all_stopped;
      },
      std::chrono::seconds(5));
}

void MariaDbServer::Resume() {
  if (server_) server_->Signal(SIGCONT);
}

void MariaDbServer::Restart() {
  if (server_) server_->Stop(std::chrono::seconds(20));
  server_.reset();
  StartServer();
}

std::string MariaDbServer::UniqueDatabaseName(const std::string& prefix) {
  return prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(++next_db_);
}

CommandResult MariaDbServer::RunMogdbsetup(const std::string& name,
                                           const std::vector<std::string>& extra) {
  // MOG_TEST_MOGDBSETUP="/usr/bin/perl /path/to/upstream/mogdbsetup" runs the same tests on a
  // schema made by upstream's tool (compatibility check); words are split on spaces.
  std::vector<std::string> argv;
  if (const char* other = std::getenv("MOG_TEST_MOGDBSETUP"); other && *other) {
    std::istringstream words(other);
    for (std::string w; words >> w;) argv.push_back(w);
  } else {
    argv.push_back(BinPath("mogdbsetup"));
  }
  for (std::string arg :
       {std::string("--dbhost=127.0.0.1"), "--dbport=" + std::to_string(port_), "--dbname=" + name,
        std::string("--dbrootuser=root"), std::string("--dbuser=") + kUser,
        std::string("--dbpassword=") + kPassword}) {
    argv.push_back(arg);
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunCommand(argv, std::chrono::seconds(120));
}

std::string MariaDbServer::CreateDatabaseWithMogdbsetup(const std::string& name) {
  CommandResult r = RunMogdbsetup(name, {"--yes"});
  if (r.exit_code != 0) {
    throw std::runtime_error("mogdbsetup failed (" + std::to_string(r.exit_code) + "):\n" +
                             r.output);
  }
  return "DBI:mysql:database=" + name + ";host=127.0.0.1;port=" + std::to_string(port_);
}

std::vector<std::vector<std::string>> MariaDbServer::Query(const std::string& sql,
                                                           const std::string& database) {
  RootConnection c(socket_, database, 30);
  if (!c.mysql) throw std::runtime_error("cannot connect to test MariaDB: " + c.error);
  if (mysql_real_query(c.mysql, sql.data(), sql.size()) != 0) {
    throw std::runtime_error("SQL failed: " + sql + ": " + mysql_error(c.mysql));
  }
  std::vector<std::vector<std::string>> rows;
  MYSQL_RES* res = mysql_store_result(c.mysql);
  if (!res) return rows;
  unsigned n = mysql_num_fields(res);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    unsigned long* lengths = mysql_fetch_lengths(res);
    std::vector<std::string> out;
    for (unsigned i = 0; i < n; ++i) {
      out.push_back(row[i] ? std::string(row[i], lengths[i]) : std::string("NULL"));
    }
    rows.push_back(std::move(out));
  }
  mysql_free_result(res);
  return rows;
}

std::string MariaDbServer::QueryValue(const std::string& sql, const std::string& database) {
  auto rows = Query(sql, database);
  if (rows.empty() || rows.front().empty()) return "";
  return rows.front().front();
}

void MariaDbServer::Exec(const std::string& sql, const std::string& database) {
  (void)Query(sql, database);
}

}  // namespace mog::test
