// Reader for the `key = value` config files of the MogileFS daemons and tools. Each program's
// file has its own upstream grammar, chosen by Dialect; errors name the file and line.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mog {

// Thrown at start-up only: a config error stops the program with its message.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ConfigDialect {
  // mogstored and the client tools: `key = value`, '#' starts a comment anywhere.
  kEqualsWithComments,
  // mogilefsd: `key<space>[=]value`, '#' only as the first non-blank; `key=value` is malformed.
  kTracker,
};

struct ConfigLine {
  std::string key;
  std::string value;
  int line = 0;
};

std::vector<ConfigLine> ParseConfigText(std::string_view text, ConfigDialect dialect,
                                        std::string_view filename);
// Throws ConfigError("Config file <f> doesn't exist.") when missing.
std::vector<ConfigLine> ReadConfigFile(const std::string& path, ConfigDialect dialect);

}  // namespace mog
