#include "tools/cli/tool_config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

#include "common/config/config_file.h"

namespace mog::cli {
namespace {

bool Exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

ConfigMap ParseToolConfigText(std::string_view text, CommentRule rule) {
  // The one config reader of every program (common/config); the Utils dialects skip lines that
  // are not `key = value`, as upstream's tools do.
  const ConfigDialect dialect =
      rule == CommentRule::kHashAnywhere ? ConfigDialect::kUtils : ConfigDialect::kMogstats;
  ConfigMap out;
  for (auto& line : ParseConfigText(text, dialect, "")) {
    out.emplace(std::move(line.key), std::move(line.value));
  }
  return out;
}

ConfigMap ReadConfigFiles(const std::vector<std::string>& paths, CommentRule rule) {
  ConfigMap merged;
  for (const std::string& path : paths) {
    if (path.empty() || !Exists(path)) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("unable to open " + path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    for (auto& [key, value] : ParseToolConfigText(text.str(), rule)) merged.emplace(key, value);
  }
  return merged;
}

std::vector<std::string> UtilsConfigPaths(const std::optional<std::string>& home,
                                          const std::optional<std::string>& mogutilsconf,
                                          const std::optional<std::string>& conf_option,
                                          const std::string& system_file) {
  std::vector<std::string> paths{system_file};
  paths.push_back(home ? *home + "/.mogilefs.conf" : std::string());
  paths.push_back(mogutilsconf.value_or(""));
  paths.push_back(conf_option.value_or(""));
  return paths;
}

std::vector<std::string> SplitUtilsTrackers(const std::string& value) {
  static const std::regex kPort(":\\d+");
  std::vector<std::string> out;
  size_t pos = 0;
  // Perl's split drops trailing empty fields.
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    std::string item = value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    out.push_back(item);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  for (auto& item : out) {
    if (!std::regex_search(item, kPort)) item += ":7001";
  }
  return out;
}

std::vector<std::string> SplitAdminTrackers(const std::string& value) {
  static const std::regex kSep("\\s*,\\s*");
  std::vector<std::string> out;
  for (std::sregex_token_iterator it(value.begin(), value.end(), kSep, -1), end; it != end; ++it) {
    out.push_back(*it);
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

}  // namespace mog::cli
