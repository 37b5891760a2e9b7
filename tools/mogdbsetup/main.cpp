// mogdbsetup: creates or upgrades the MogileFS metadata database (reference §4.5). Same
// options as upstream's tool (unique prefixes accepted, so --dbpass / --dbrootpass work) plus
// --dbsocket to reach a server by its Unix socket.
//
// Procedure: connect as the MogileFS user; if that fails connect as the admin ("root") user,
// create the database and grant the user access, then connect as the user again; create the
// missing tables, run the upgrade steps and record schema_version 17. Never drops anything,
// so running it again is harmless.
#include <cstdlib>
#include <iostream>
#include <string>

#include "common/config/option_table.h"
#include "trackerd/store/dsn.h"
#include "trackerd/store/mysql_connection.h"
#include "trackerd/store/schema.h"
#include "trackerd/store/schema_installer.h"

namespace {

using mog::OptionKind;
using mog::OptionSpec;
using mog::tracker::MySqlConnection;
using mog::tracker::MySqlConnectParams;

mog::OptionTable MakeOptions() {
  auto value = [](std::string name, std::string def, std::string help) {
    OptionSpec s;
    s.name = std::move(name);
    s.kind = OptionKind::kValue;
    s.default_value = std::move(def);
    s.help = std::move(help);
    return s;
  };
  auto optional_value = [&](std::string name, std::string help) {
    OptionSpec s = value(std::move(name), "", std::move(help));
    s.kind = OptionKind::kOptionalValue;
    return s;
  };
  auto flag = [](std::string name, std::string help) {
    OptionSpec s;
    s.name = std::move(name);
    s.kind = OptionKind::kFlag;
    s.help = std::move(help);
    return s;
  };
  return mog::OptionTable(
      "mogdbsetup",
      {
          flag("verbose", "Print each step and every SQL statement run."),
          value("dbhost", "localhost", "Database server host name or IP."),
          value("dbport", "", "Database server port (client default if empty)."),
          value("dbsocket", "", "Database server Unix socket (extension; overrides host)."),
          value("dbname", "mogilefs", "Database to create or upgrade."),
          value("dbrootuser", "root",
                "Administrator user, only needed to create the database and the user."),
          optional_value("dbrootpassword", "Administrator password (empty by default)."),
          value("dbuser", "mogile", "User the trackers connect as; created if needed."),
          optional_value("dbpassword", "Password of --dbuser (empty by default)."),
          value("type", "MySQL", "Store type: MySQL (Postgres and SQLite are not supported)."),
          value("plugins", "", "Comma-separated plugin list (accepted; none ship)."),
          flag("yes", "Answer yes to every question (no prompts)."),
          flag("noschemabump", "Do not record the new schema_version."),
          flag("help", "Show this help."),
      });
}

bool g_yes = false;
bool g_verbose = false;

// Asks on the terminal; an empty answer takes the default, "y..." is yes, anything else stops.
bool Confirm(const std::string& question, bool default_yes = true) {
  if (g_yes) return true;
  std::cout << "\n" << question << (default_yes ? " [Y/n]: " : " [N/y]: ") << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) answer.clear();
  size_t start = answer.find_first_not_of(" \t\r");
  if (start == std::string::npos) {
    if (default_yes) return true;
    std::cerr << "Stopped.\n";
    std::exit(1);
  }
  if (answer[start] == 'y' || answer[start] == 'Y') return true;
  std::cerr << "Stopped.\n";
  std::exit(1);
}

void Status(const std::string& line) {
  if (g_verbose) std::cerr << line << "\n";
}

[[noreturn]] void Die(const std::string& message) {
  std::cerr << message << "\n";
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  mog::OptionTable options = MakeOptions();
  mog::Settings settings;
  try {
    settings = options.ParseCommandLine(argc, argv);
  } catch (const mog::ConfigError& e) {
    std::cerr << e.what() << "\n\n" << options.Help();
    return 1;
  }
  if (options.GetBool(settings, "help")) {
    std::cout << options.Help();
    return 0;
  }
  g_yes = options.GetBool(settings, "yes");
  g_verbose = options.GetBool(settings, "verbose");

  std::string type = options.Get(settings, "type");
  if (type != "MySQL" && type != "mysql") {
    Die("Store type '" + type + "' is not supported; only MySQL (MariaDB) is.");
  }

  Confirm(
      "This will create or upgrade your MogileFS database; existing data is kept.\n"
      "Run with --help for the options, --yes to skip these questions.\n\nContinue?",
      false);

  MySqlConnectParams user;
  user.host = options.Get(settings, "dbhost");
  user.socket = options.Get(settings, "dbsocket");
  std::string port = options.Get(settings, "dbport");
  if (!port.empty()) {
    try {
      int p = std::stoi(port);
      if (p <= 0 || p > 65535) throw std::out_of_range(port);
      user.port = static_cast<uint16_t>(p);
    } catch (const std::exception&) {
      Die("Invalid --dbport '" + port + "'");
    }
  }
  user.database = options.Get(settings, "dbname");
  user.user = options.Get(settings, "dbuser");
  user.pass = options.Get(settings, "dbpassword");
  user.connect_timeout_seconds = 10;
  user.read_write_timeout_seconds = 600;  // ALTERs on big tables take a while

  mog::tracker::Dsn shown;
  shown.database = user.database;
  shown.host = user.host;
  if (user.port) shown.port = user.port;
  shown.socket = user.socket;

  auto conn = MySqlConnection::Connect(user);
  if (!conn) {
    Status("Couldn't connect to the database as the MogileFS user (" + conn.error().message() +
           "); trying the administrator user...");
    MySqlConnectParams root = user;
    root.database = "mysql";
    root.user = options.Get(settings, "dbrootuser");
    root.pass = options.Get(settings, "dbrootpassword");
    auto admin = MySqlConnection::Connect(root);
    if (!admin) {
      mog::tracker::Dsn root_dsn = shown;
      root_dsn.database = "mysql";
      Die("Failed to connect to " + mog::tracker::FormatMySqlDsn(root_dsn) +
          " as specified root user (" + root.user + "): " + admin.error().message());
    }
    Status("Connected to the database as the administrator user.");
    MySqlConnection& a = **admin;
    Confirm("Create/upgrade database '" + user.database + "'?");
    std::string create =
        "CREATE DATABASE IF NOT EXISTS " + MySqlConnection::QuoteIdentifier(user.database);
    Status("Running SQL: " + create + ";");
    if (auto r = a.ExecText(create); !r) {
      Die("Failed to create database '" + user.database + "': " + r.error().message());
    }
    Confirm("Grant all privileges on database '" + user.database + "' to user '" + user.user +
            "', connecting from anywhere?");
    for (const char* from : {"%", "localhost"}) {
      // MariaDB syntax: GRANT ... IDENTIFIED BY creates the user or resets its password.
      std::string grant =
          "GRANT ALL PRIVILEGES ON " + MySqlConnection::QuoteIdentifier(user.database) + ".* TO " +
          a.Quote(user.user) + "@" + a.Quote(from) + " IDENTIFIED BY " + a.Quote(user.pass);
      Status("Running SQL: GRANT ALL PRIVILEGES ON " + user.database + ".* TO " + user.user + "@'" +
             from + "' IDENTIFIED BY <password>;");
      if (auto r = a.ExecText(grant); !r) {
        Die("Failed to grant privileges: " + r.error().message());
      }
    }
    conn = MySqlConnection::Connect(user);
    if (!conn) {
      Die("Failed to connect to the database as the regular user, even after creating it and "
          "granting privileges as the administrator: " +
          conn.error().message());
    }
  }

  mog::tracker::SchemaInstallOptions install;
  install.schema_bump = !options.GetBool(settings, "noschemabump");
  const char* unsafe = std::getenv("USE_UNSAFE_MYSQL");
  install.allow_non_innodb = unsafe != nullptr && *unsafe != '\0' && std::string(unsafe) != "0";
  const char* fidsize = std::getenv("MOG_FIDSIZE");
  install.force_big_fids = fidsize != nullptr && std::string(fidsize) == "big";
  install.status = Status;
  install.confirm = [](const std::string& q) { return Confirm(q); };
  install.warn = [](const std::string& w) { std::cerr << w << "\n"; };
  if (auto r = mog::tracker::InstallSchema(**conn, install); !r) {
    Die(r.error().message() + "\nDatabase upgrade failed.");
  }
  if (!install.schema_bump) {
    std::cerr << "\n*\n* --noschemabump given: schema_version NOT set to "
              << mog::tracker::kSchemaVersion << ".\n*\n";
  }
  if (g_verbose) std::cerr << "Done.\n";
  return 0;
}
