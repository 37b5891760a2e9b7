// A table of options per program (one row per upstream key) that drives the command line, the
// config file and --help, as Getopt::Long does upstream: `--name=value`, `--name value`,
// single-letter aliases, unique prefixes of long names.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config_file.h"

namespace mog {

enum class OptionKind {
  kFlag,           // --name (value "1"); --noname / --no-name sets "0" where negatable
  kValue,          // --name=value or --name value
  kOptionalValue,  // --name or --name=value
  kList,           // repeatable; values are joined with ','
};

struct OptionSpec {
  std::string name;                  // canonical long name, also the config-file key
  std::vector<std::string> aliases;  // other names: "s", "skipconfig", "listener_jobs"
  OptionKind kind = OptionKind::kValue;
  std::string default_value;
  std::string help;
  bool in_config_file = true;  // false: command line only (e.g. mogstored's skipconfig)
  bool negatable = false;      // accepts --no<name>
};

// Values by canonical name; unset names fall back to the spec's default.
class Settings {
 public:
  void Set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  std::optional<std::string> Raw(const std::string& name) const;
  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

class OptionTable {
 public:
  OptionTable(std::string program, std::vector<OptionSpec> specs);

  // Throws ConfigError naming the offending argument. Non-option arguments go to *positional
  // (error if positional is null).
  Settings ParseCommandLine(int argc, const char* const* argv,
                            std::vector<std::string>* positional = nullptr) const;
  // Applies config-file lines; `override_existing` decides who wins over the command line.
  void ApplyConfig(const std::vector<ConfigLine>& lines, std::string_view filename,
                   Settings* settings, bool override_existing) const;

  // Value of `name` in settings, else its default.
  std::string Get(const Settings& settings, const std::string& name) const;
  long long GetInt(const Settings& settings, const std::string& name) const;
  // Perl truthiness: "" and "0" are false.
  bool GetBool(const Settings& settings, const std::string& name) const;

  std::string Help() const;
  const OptionSpec* Find(std::string_view name, bool allow_prefix) const;

 private:
  std::string program_;
  std::vector<OptionSpec> specs_;
};

}  // namespace mog
