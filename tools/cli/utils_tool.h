// The common front end of the MogileFS-Utils tools (MogileFS::Utils): Getopt::Long-style
// options (`--opt=value`, `--opt value`, unique prefixes) plus --help, --trackers, --domain,
// --conf; config files (see tool_config.h); usage on stdout with exit 0 for no arguments,
// --help or a bad option; fatal errors on stderr with a non-zero exit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tools/cli/tool_config.h"
#include "tools/client/client_error.h"

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

class UtilsTool {
 public:
  UtilsTool(std::string program, std::string usage, std::vector<ToolOption> options);

  // False means "print usage and exit 0" (no arguments, --help, unknown/bad option).
  // Throws std::runtime_error for an unreadable config file.
  bool Parse(int argc, const char* const* argv, const ToolEnvironment& env);

  std::string UsageText() const { return "Usage: " + program_ + " " + usage_ + "\n"; }
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

// Runs `body`, turning escaped exceptions into Die(); returns its exit code.
int RunTool(int (*body)(int, const char* const*), int argc, const char* const* argv);

}  // namespace mog::cli
