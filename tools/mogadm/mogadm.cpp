#include "tools/mogadm/mogadm.h"

#include <cctype>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "tools/cli/tool_config.h"
#include "tools/mogadm/command_table.h"
#include "tools/mogadm/mogadm_runner.h"
#include "tools/mogadm/texts.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace mog::mogadm {

MogadmEnvironment MogadmEnvironment::FromProcess() {
  MogadmEnvironment env;
  if (const char* home = std::getenv("HOME")) env.home = home;
  if (const char* system_file = std::getenv("MOG_SYSTEM_CONF")) env.system_file = system_file;
  return env;
}

client::Admin& Runner::NewAdmin(const std::optional<std::string>& only_tracker) {
  client::TrackerOptions options;
  options.reply_timeout = std::chrono::seconds(timeout_seconds);
  std::vector<std::string> hosts = only_tracker ? std::vector<std::string>{*only_tracker} : trackers;
  connections_.push_back(std::make_unique<client::TrackerConnection>(hosts, options));
  admins_.push_back(std::make_unique<client::Admin>(*connections_.back()));
  return *admins_.back();
}

void Runner::Ok(const std::string& message) {
  if (verbose && !message.empty()) out_ << message << "\n";
  throw Exit{0};
}

void Runner::Fail(const std::string& message) {
  out_.flush();
  err_ << message << "\n";
  throw Exit{1};
}

void Runner::FailText(const std::string& text) { Fail(text); }

void Runner::Die(const std::string& message) {
  out_.flush();
  err_ << message << (message.ends_with("\n") ? "" : "\n");
  throw Exit{255};
}

// Upstream prints the help on stdout and exits 1; a refused command line is a usage error.
void Runner::HelpDie(const std::string& message) {
  out_.flush();
  err_ << TopCommandHelp(topcmd, verb, message);
  throw Exit{kUsageExit};
}

void Runner::FailWith(const std::string& prefix, const client::ClientError& error,
                      const cli::ErrorContext& context) {
  if (error.kind == client::ClientError::Kind::kTransport) Die("MogileFS::Backend: " + error.text);
  Fail(prefix + cli::ExplainError(error, context));
}

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ProbeLocalTracker() {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code result = asio::error::would_block;
  socket.async_connect({asio::ip::make_address("127.0.0.1"), 7001},
                       [&](boost::system::error_code ec) { result = ec; });
  io.run_for(std::chrono::seconds(1));
  return !result;
}

// Getopt::Long for one verb's options: `--name=v`, `--name v`, unique prefixes, flags.
struct OptSpec {
  std::string name;
  char type = 0;  // 's', 'i' or 0 for a flag
};

std::vector<OptSpec> VerbOptions(const VerbSpec& spec) {
  std::vector<OptSpec> out;
  for (const auto& [key, desc] : spec.opts) {
    if (key.starts_with("<")) continue;
    OptSpec o;
    const size_t eq = key.find('=');
    o.name = key.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (eq != std::string::npos) o.type = key[eq + 1];
    out.push_back(o);
  }
  return out;
}

// Returns false (after printing Getopt's complaint) on a bad option.
bool ParseVerbOptions(const std::vector<OptSpec>& specs, std::vector<std::string>& argv,
                      CommandArgs& args, std::ostream& err) {
  static const std::regex kInteger(R"([-+]?\d+)");
  size_t i = 0;
  while (i < argv.size()) {
    const std::string& arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') break;  // require_order: stop at the first non-option
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (auto eq = body.find('='); eq != std::string::npos) {
      value = body.substr(eq + 1);
      body.erase(eq);
    }
    body = Lower(body);  // Getopt::Long ignores case
    const OptSpec* found = nullptr;
    int matches = 0;
    for (const auto& s : specs) {
      if (s.name == body) {
        found = &s;
        matches = 1;
        break;
      }
      if (s.name.starts_with(body)) {
        found = &s;
        ++matches;
      }
    }
    if (matches != 1) {
      err << (matches > 1 ? "Option " + body + " is ambiguous\n" : "Unknown option: " + body + "\n");
      return false;
    }
    ++i;
    if (found->type == 0) {
      if (value) {
        err << "Option " << found->name << " does not take an argument\n";
        return false;
      }
      args[found->name] = "1";
      continue;
    }
    if (!value) {
      if (i >= argv.size()) {
        err << "Option " << found->name << " requires an argument\n";
        return false;
      }
      value = argv[i++];
    }
    if (found->type == 'i' && !std::regex_match(*value, kInteger)) {
      err << "Value \"" << *value << "\" invalid for option " << found->name
          << " (number expected)\n";
      return false;
    }
    args[found->name] = *value;
  }
  return true;
}

void Dispatch(Runner& r, std::vector<std::string> argv) {
  const auto& commands = Commands();
  const TopCommand& top = commands.at(r.topcmd);
  if (r.topcmd == "check" || r.topcmd == "stats") {
    if (!argv.empty()) {
      r.err() << "Unknown options/arguments to '" << r.topcmd << "' command: " << argv.front()
              << "\n";
      throw Exit{kUsageExit};
    }
    if (r.topcmd == "stats") r.Fail("mogadm stats is deprecated by new 'mogstats' utility");
    CheckCommand(r);
    return;
  }
  // `mogadm host` is how one asks for a command's help (stdout, exit 0); an unknown verb is
  // a usage error naming it.
  if (argv.empty()) {
    r.out() << TopCommandHelp(r.topcmd, "", "");
    throw Exit{0};
  }
  if (!top.verbs.count(argv.front())) {
    r.err() << "mogadm: unknown command '" << r.topcmd << " " << argv.front() << "'\n"
            << TopCommandHelp(r.topcmd, "", "");
    throw Exit{kUsageExit};
  }
  r.verb = argv.front();
  argv.erase(argv.begin());
  const VerbSpec& spec = top.verbs.at(r.verb);

  CommandArgs args;
  if (!spec.args.empty()) {
    std::istringstream words(spec.args);
    std::string word;
    while (words >> word) {
      if (word == "[opts]") continue;
      const std::string name = word.substr(1, word.size() - 2);
      if (argv.empty()) r.HelpDie("Missing argument '" + name + "'");
      std::string value = argv.front();
      argv.erase(argv.begin());
      static const std::regex kDev(R"(dev(\d+))");
      std::smatch m;
      if (name == "devid" && std::regex_match(value, m, kDev)) value = m[1].str();
      if (value.starts_with("-")) r.HelpDie("Unexpected option.  Expected argument '" + name + "'");
      args[name] = value;
    }
    if (!argv.empty() && !argv.front().starts_with("-")) r.HelpDie("Unexpected extra argument.");
  } else if (!argv.empty()) {
    r.HelpDie("Unexpected arguments when expecting none.");
  }
  if (!spec.opts.empty()) {
    if (!ParseVerbOptions(VerbOptions(spec), argv, args, r.err())) r.HelpDie();
  }

  if (r.topcmd == "host") return HostCommand(r, r.verb, args);
  if (r.topcmd == "device") return DeviceCommand(r, r.verb, args);
  if (r.topcmd == "domain" || r.topcmd == "class") return DomainClassCommand(r, r.verb, args);
  if (r.topcmd == "slave" || r.topcmd == "settings") return SlaveSettingsCommand(r, r.verb, args);
  return FsckRebalanceCommand(r, r.verb, args);
}

}  // namespace

int RunMogadm(const std::vector<std::string>& all_args, std::ostream& out, std::ostream& err,
              const MogadmEnvironment& env) {
  Runner r(out, err);
  try {
    // Global options (before the command): Getopt with require_order + pass_through.
    std::map<std::string, std::string> opts;
    static const std::vector<std::pair<std::string, bool>> kGlobal = {
        {"trackers", true}, {"config", true}, {"lib", true}, {"help", false}, {"verbose", false}};
    size_t i = 0;
    while (i < all_args.size()) {
      const std::string& arg = all_args[i];
      if (arg == "--") {
        ++i;
        break;
      }
      if (arg.size() < 2 || arg[0] != '-') break;
      std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
      std::optional<std::string> value;
      if (auto eq = body.find('='); eq != std::string::npos) {
        value = body.substr(eq + 1);
        body.erase(eq);
      }
      body = Lower(body);
      const std::pair<std::string, bool>* found = nullptr;
      int matches = 0;
      for (const auto& g : kGlobal) {
        if (g.first == body) {
          found = &g;
          matches = 1;
          break;
        }
        if (!body.empty() && g.first.starts_with(body)) {
          found = &g;
          ++matches;
        }
      }
      if (matches != 1) break;  // passed through: becomes the (unknown) command
      ++i;
      if (found->second) {
        if (!value) {
          if (i >= all_args.size()) {
            err << "mogadm: option --" << found->first << " needs a value\n" << UsageText();
            throw Exit{kUsageExit};
          }
          value = all_args[i++];
        }
        opts[found->first] = *value;
      } else {
        opts[found->first] = "1";
      }
    }
    std::vector<std::string> rest(all_args.begin() + static_cast<std::ptrdiff_t>(i), all_args.end());

    std::vector<std::string> files = {env.system_file,
                                      env.home ? *env.home + "/.mogilefs.conf" : std::string()};
    if (opts.count("config")) files.push_back(opts["config"]);
    try {
      for (auto& [key, value] : cli::ReadConfigFiles(files, cli::CommentRule::kHashAnywhere)) {
        opts.emplace(key, value);  // command line first, then the earliest file
      }
    } catch (const std::exception& e) {
      r.Die(std::string(e.what()) + "\n");
    }

    if (opts.count("help") && opts["help"] != "0" && !opts["help"].empty()) {
      out << UsageText();
      throw Exit{0};
    }
    if (rest.empty()) {
      err << "mogadm: no command given\n" << UsageText();
      throw Exit{kUsageExit};
    }
    if (!Commands().count(rest.front())) {
      err << "mogadm: unknown " << (rest.front().starts_with("-") ? "option" : "command") << " '"
          << rest.front() << "'\n"
          << UsageText();
      throw Exit{kUsageExit};
    }
    r.topcmd = rest.front();
    rest.erase(rest.begin());
    r.verbose = opts.count("verbose") && !opts["verbose"].empty() && opts["verbose"] != "0";
    if (opts.count("trackers")) r.trackers = cli::SplitAdminTrackers(opts["trackers"]);
    if (r.trackers.empty()) {
      if (env.probe_local_tracker && ProbeLocalTracker()) {
        r.trackers = {"127.0.0.1:7001"};
      } else {
        r.FailText(kNoTrackers);
      }
    }
    static const std::regex kDigits(R"([0-9]+)");
    if (opts.count("timeout") && std::regex_match(opts["timeout"], kDigits)) {
      r.timeout_seconds = std::atoi(opts["timeout"].c_str());
    }
    Dispatch(r, rest);
    return 0;
  } catch (const Exit& e) {
    out.flush();
    return e.code;
  }
}

}  // namespace mog::mogadm
