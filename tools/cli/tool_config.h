// Config files and option handling shared by the MogileFS-Utils tools, with upstream's quirks:
// * files are read in the order /etc/mogilefs/mogilefs.conf, ~/.mogilefs.conf, $MOGUTILSCONF,
//   --conf=<f>, and for each key the EARLIEST file wins (so the system file beats --conf);
//   options given on the command line override every file;
// * lines are `key = value`; anything else is ignored, '#' starts a comment anywhere (mogstats
//   only strips '#' preceded by whitespace); read by the one config reader, common/config;
// * `trackers` is split on ',' without trimming and ':7001' is appended to entries without a
//   ':<digits>'; a key containing "class" whose value is "default" becomes "".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mog::cli {

using ConfigMap = std::map<std::string, std::string>;

enum class CommentRule {
  kHashAnywhere,         // s/#.*//
  kHashAfterWhitespace,  // s/\s+#.*// (mogstats)
};

// Parses `key = value` lines; lines not matching ^\s*(\w+)\s*=\s*(.+?)\s*$ are ignored. The
// first occurrence of a key within the text wins.
ConfigMap ParseToolConfigText(std::string_view text, CommentRule rule);

// Merges files in order, earliest file winning per key; missing or empty paths are skipped.
// Throws std::runtime_error("unable to open <f>: <reason>") for an existing unreadable file.
ConfigMap ReadConfigFiles(const std::vector<std::string>& paths, CommentRule rule);

// The file list of the Utils tools (mogupload, mogfetch, ...), in precedence order.
std::vector<std::string> UtilsConfigPaths(const std::optional<std::string>& home,
                                          const std::optional<std::string>& mogutilsconf,
                                          const std::optional<std::string>& conf_option,
                                          const std::string& system_file =
                                              "/etc/mogilefs/mogilefs.conf");

// "a:1,b" -> {"a:1", "b:7001"} (no trimming, as upstream).
std::vector<std::string> SplitUtilsTrackers(const std::string& value);
// mogadm's rule: split on \s*,\s*, entries kept as given.
std::vector<std::string> SplitAdminTrackers(const std::string& value);

}  // namespace mog::cli
