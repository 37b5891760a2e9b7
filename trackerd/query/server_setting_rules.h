// Which server_settings keys set_server_setting may write, and how each value is
// canonicalised (tracker.md §7.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mog::tracker {

struct SettingCheck {
  bool writable = false;
  // On success: the canonical value, or nullopt meaning "delete the row".
  std::optional<std::string> value;
  std::string error;  // non-empty: invalid_format with this text
};

SettingCheck CheckServerSetting(std::string_view key, const std::optional<std::string>& value);

// server_settings hides fsck_* state except fsck_checksum.
bool ServerSettingIsReadable(std::string_view key);

}  // namespace mog::tracker
