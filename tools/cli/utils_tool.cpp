#include "tools/cli/utils_tool.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <regex>

#include "common/config/option_table.h"

namespace mog::cli {
namespace {

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

}  // namespace

std::string GetoptComplaint(const std::string& option_table_error) {
  static const std::regex kUnknown(R"(Unknown option: -*([^=]*).*)");
  std::smatch m;
  if (std::regex_match(option_table_error, m, kUnknown)) return "Unknown option: " + m[1].str() + "\n";
  return option_table_error + "\n";  // "Option key requires an argument", as Getopt says it
}

ToolEnvironment ToolEnvironment::FromProcess() {
  ToolEnvironment env;
  env.home = Env("HOME");
  env.mogutilsconf = Env("MOGUTILSCONF");
  if (auto system_file = Env("MOG_SYSTEM_CONF")) env.system_file = *system_file;
  return env;
}

UtilsTool::UtilsTool(std::string program, std::string usage, std::vector<ToolOption> options)
    : program_(std::move(program)), usage_(std::move(usage)), options_(std::move(options)) {
  for (const char* common : {"help", "trackers=s", "domain=s", "conf=s"}) {
    options_.push_back({common});
  }
}

std::string UtilsTool::UsageText() const {
  return "Usage: " + program_ + " " + usage_ + "\n" +
         "Options may also come from config files (key = value, e.g. trackers = host:7001):\n"
         "  /etc/mogilefs/mogilefs.conf, ~/.mogilefs.conf, $MOGUTILSCONF, --conf=<file>\n"
         "  (for each key the first of these files that sets it wins; the command line wins\n"
         "  over every file).\n";
}

int UtilsTool::UsageExit(ParseOutcome outcome) const {
  if (outcome == ParseOutcome::kHelp) {
    std::cout << UsageText();
    return 0;
  }
  std::cout.flush();
  std::cerr << UsageText();
  return kUsageExit;
}

void UtilsTool::UsageError(const std::string& message) const {
  std::cout.flush();
  const std::string name = program_.substr(program_.rfind('/') + 1);
  std::cerr << name << ": " << message << "\n" << UsageText();
  std::cerr.flush();
  std::exit(kUsageExit);
}

std::string UtilsTool::Require(const std::string& name) const {
  auto value = Get(name);
  if (!value || value->empty()) {
    UsageError("--" + name + " is required");
  }
  return *value;
}

ParseOutcome UtilsTool::Parse(int argc, const char* const* argv, const ToolEnvironment& env) {
  std::vector<OptionSpec> specs;
  std::vector<std::string> integers;
  for (const ToolOption& option : options_) {
    OptionSpec spec;
    const size_t eq = option.spec.find('=');
    spec.name = option.spec.substr(0, eq);
    spec.kind = eq == std::string::npos ? OptionKind::kFlag : OptionKind::kValue;
    if (option.spec.ends_with("=i")) integers.push_back(spec.name);
    specs.push_back(std::move(spec));
  }
  // Getopt::Long ignores case and accepts any unique abbreviation (even one letter); expand
  // option names to their canonical spelling before the table sees them.
  std::vector<std::string> expanded(argv, argv + argc);
  for (size_t i = 1; i < expanded.size(); ++i) {
    std::string& arg = expanded[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    const size_t dashes = arg[1] == '-' ? 2 : 1;
    const size_t eq = arg.find('=');
    std::string name = arg.substr(dashes, eq == std::string::npos ? std::string::npos : eq - dashes);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const OptionSpec* match = nullptr;
    std::vector<std::string> candidates;
    for (const OptionSpec& spec : specs) {
      if (spec.name == name) {
        match = &spec;
        candidates = {spec.name};
        break;
      }
      if (!name.empty() && spec.name.starts_with(name)) {
        match = &spec;
        candidates.push_back(spec.name);
      }
    }
    if (candidates.size() > 1) {
      std::sort(candidates.begin(), candidates.end());
      std::string list;
      for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
      std::cerr << "Option " << name << " is ambiguous (" << list << ")\n";
      return ParseOutcome::kUsageError;
    }
    if (candidates.empty()) continue;  // left for the table to reject
    arg = "--" + match->name + (eq == std::string::npos ? "" : arg.substr(eq));
    if (match->kind == OptionKind::kValue && eq == std::string::npos) ++i;  // skip its value
  }
  std::vector<const char*> expanded_argv;
  for (const std::string& arg : expanded) expanded_argv.push_back(arg.c_str());
  OptionTable table(program_, specs);
  Settings settings;
  std::vector<std::string> ignored_positional;  // Getopt leaves them in @ARGV, unused
  try {
    settings = table.ParseCommandLine(argc, expanded_argv.data(), &ignored_positional);
  } catch (const ConfigError& e) {
    std::cerr << GetoptComplaint(e.what());
    return ParseOutcome::kUsageError;
  }
  if (!ignored_positional.empty()) {
    // Getopt::Long leaves them in @ARGV and upstream ignores them; a stray word is almost
    // always a forgotten --option= (`mogupload --key=k along.jpg`), so say so.
    std::cerr << "Unexpected argument: " << ignored_positional.front()
              << " (every value needs its --option=)\n";
    return ParseOutcome::kUsageError;
  }
  static const std::regex kInteger(R"([-+]?\d+)");
  for (const std::string& name : integers) {
    if (auto v = settings.Raw(name); v && !std::regex_match(*v, kInteger)) {
      std::cerr << "Value \"" << *v << "\" invalid for option " << name << " (number expected)\n";
      return ParseOutcome::kUsageError;
    }
  }
  std::optional<std::string> conf;
  if (auto v = settings.Raw("conf")) conf = *v;
  config_ = ReadConfigFiles(UtilsConfigPaths(env.home, env.mogutilsconf, conf, env.system_file),
                            CommentRule::kHashAnywhere);
  for (const auto& [name, value] : settings.values()) config_[name] = value;
  for (auto& [name, value] : config_) {
    if (name.find("class") != std::string::npos && value == "default") value.clear();
  }
  if (auto it = config_.find("trackers"); it != config_.end()) {
    trackers_ = SplitUtilsTrackers(it->second);
  }
  if (settings.Has("help") && settings.Raw("help") != "0") return ParseOutcome::kHelp;
  return ParseOutcome::kRun;
}

std::optional<std::string> UtilsTool::Get(const std::string& name) const {
  auto it = config_.find(name);
  if (it == config_.end()) return std::nullopt;
  return it->second;
}

std::string UtilsTool::GetOr(const std::string& name, const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

void Die(const std::string& message, int code) {
  std::cout.flush();
  std::cerr << message;
  if (message.empty() || message.back() != '\n') std::cerr << "\n";
  std::cerr.flush();
  std::exit(code);
}

std::string DescribeFailure(const std::string& prefix, const client::ClientError& error) {
  if (error.kind == client::ClientError::Kind::kTransport) {
    return "MogileFS::Backend: " + error.text;
  }
  return prefix + error.errstr();
}

std::string DescribeFailure(const std::string& prefix, const client::ClientError& error,
                            const ErrorContext& context) {
  if (error.kind == client::ClientError::Kind::kTransport) return DescribeFailure(prefix, error);
  return prefix + ExplainError(error, context);
}

int RunTool(int (*body)(int, const char* const*), int argc, const char* const* argv) {
  try {
    return body(argc, argv);
  } catch (const std::exception& e) {
    Die(e.what());
  }
}

}  // namespace mog::cli
