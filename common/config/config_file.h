// The one reader for the `key = value` config files of every MogileFS program: mogilefsd,
// mogstored, mogstats and the MogileFS-Utils tools (mogadm, mogupload, ...). Each program keeps
// its upstream grammar (Dialect); errors name the file and line.
//
// Comments, in every dialect: a line whose first non-blank is '#', and a trailing comment that
// starts with a '#' preceded by whitespace (`query_jobs = 10   #启动多少个查询工作线程`); any
// bytes, UTF-8 included, may follow. mogstored and the Utils tools also end a line at a '#'
// anywhere, as upstream does; mogilefsd and mogstats keep a '#' that follows a non-blank
// (`db_pass = se#cret`). A value can never contain " #"; no MogileFS value does.
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
  // mogstored: `key = value`; '#' starts a comment anywhere; any other line is an error.
  kEqualsWithComments,
  // mogilefsd: `key<space>[=]value`; `key=value` is malformed (upstream's rule).
  kTracker,
  // MogileFS-Utils tools: `key = value`; '#' starts a comment anywhere; other lines are skipped.
  kUtils,
  // mogstats: `key = value`; other lines are skipped.
  kMogstats,
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
