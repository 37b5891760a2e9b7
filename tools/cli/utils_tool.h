// The common front end of the MogileFS-Utils tools (MogileFS::Utils): Getopt::Long-style
// options (`--opt=value`, `--opt value`, unique prefixes) plus --help, --trackers, --domain,
// --conf; config files (see tool_config.h). Exit codes (deliberately unlike upstream, whose
// abort_usage exits 0 for everything): --help prints the usage on stdout and exits 0; a bad
// or unknown option, or a missing required one, prints the reason and the usage on stderr and
// exits 2; other failures print on stderr and exit non-zero. With no arguments at all the
// tool still runs on what its config files give (upstream prints the usage).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tools/cli/error_text.h"
#include "tools/cli/tool_config.h"
#include "client/client_error.h"

namespace mog::cli {

// Where config files are looked for; tests point these elsewhere.
struct ToolEnvironment {
  std::optional<std::string> home;
  std::optional<std::string> mogutilsconf;
  std::string system_file = "/etc/mogilefs/mogilefs.conf";
  static ToolEnvironment FromProcess();
};

// One tool option as in Getopt::Long: "key=s" (string), "count=i" (integer) or "flag".
struct ToolOption {
  std::string spec;
};

enum class ParseOutcome {
  kRun,         // options parsed, config files read
  kHelp,        // --help: print the usage on stdout, exit 0
  kUsageError,  // bad option (already explained on stderr): usage on stderr, exit 2
};

// Exit code of a usage error (as most Unix tools).
inline constexpr int kUsageExit = 2;

class UtilsTool {
 public:
  UtilsTool(std::string program, std::string usage, std::vector<ToolOption> options);

  // Throws std::runtime_error for an unreadable config file.
  ParseOutcome Parse(int argc, const char* const* argv, const ToolEnvironment& env);
  // For kHelp / kUsageError: prints the usage where it belongs and returns the exit code.
  int UsageExit(ParseOutcome outcome) const;
  // "<program>: <message>" and the usage on stderr, exit 2.
  [[noreturn]] void UsageError(const std::string& message) const;
  // The value of a required option (command line or config file), or a UsageError naming it.
  std::string Require(const std::string& name) const;

  std::string UsageText() const;
  const ConfigMap& config() const { return config_; }
  // Value of a key from the command line or config files.
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  const std::vector<std::string>& trackers() const { return trackers_; }

 private:
  std::string program_;
  std::string usage_;
  std::vector<ToolOption> options_;
  ConfigMap config_;
  std::vector<std::string> trackers_;
};

// Getopt::Long's stderr complaint for an OptionTable parse error ("Unknown option: foo\n").
std::string GetoptComplaint(const std::string& option_table_error);

// Prints `message` (plus a newline unless it has one) to stderr and exits with `code`.
[[noreturn]] void Die(const std::string& message, int code = 255);

// How a failed call is worded: transport failures as MogileFS::Backend croaks
// ("MogileFS::Backend: <text>"), everything else as "<prefix><errstr>".
std::string DescribeFailure(const std::string& prefix, const client::ClientError& error);
// The same, naming what the request was about where the tracker's text does not
// (tools/cli/error_text.h): "Error fetching file info: unknown_key: no file with key 'k' in
// domain 'd'".
std::string DescribeFailure(const std::string& prefix, const client::ClientError& error,
                            const ErrorContext& context);

// Runs `body`, turning escaped exceptions into Die(); returns its exit code.
int RunTool(int (*body)(int, const char* const*), int argc, const char* const* argv);

}  // namespace mog::cli
