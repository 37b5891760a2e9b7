#include "trackerd/query/server_setting_rules.h"

#include <cctype>
#include <vector>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/network_v4.hpp>

#include "common/protocol/line_codec.h"

namespace mog::tracker {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool StartsWithNoCase(std::string_view v, std::string_view p) {
  if (v.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (Lower(v[i]) != p[i]) return false;
  }
  return true;
}

SettingCheck Ok(std::optional<std::string> v) { return {true, std::move(v), {}}; }
SettingCheck Bad(std::string why) { return {true, std::nullopt, std::move(why)}; }

SettingCheck Bool(const std::string& v) {
  if (!PerlTrue(v)) return Ok("0");
  for (std::string_view p : {"0", "f", "off", "n"}) {
    if (StartsWithNoCase(v, p)) return Ok("0");
  }
  for (std::string_view p : {"1", "t", "on", "y"}) {
    if (StartsWithNoCase(v, p)) return Ok("1");
  }
  return Bad("Unknown format");
}

SettingCheck Num(const std::string& v) {
  if (!PerlTrue(v)) return Ok("0");
  for (char c : v) {
    if (c < '0' || c > '9') return Bad("Must be numeric");
  }
  return Ok(v);
}

bool ValidNetmask(const std::string& text) {
  boost::system::error_code ec;
  if (text.find('/') != std::string::npos) {
    (void)boost::asio::ip::make_network_v4(text, ec);
  } else {
    (void)boost::asio::ip::make_address_v4(text, ec);
  }
  return !ec;
}

SettingCheck NetmaskList(const std::string& v) {
  std::string item;
  for (size_t i = 0; i <= v.size(); ++i) {
    const char c = i < v.size() ? v[i] : ',';
    if (c == ',' || std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!item.empty() && !ValidNetmask(item)) {
        return Bad("Doesn't match an acceptable netmask");
      }
      item.clear();
    } else {
      item.push_back(c);
    }
  }
  return Ok(v);
}

}  // namespace

SettingCheck CheckServerSetting(std::string_view key, const std::optional<std::string>& value) {
  const std::string v = value.value_or("");
  if (key.starts_with("slave_")) return Ok(PerlTrue(v) ? std::optional<std::string>(v) : std::nullopt);
  if (key == "skip_devcount" || key == "skip_mkcol" || key == "case_sensitive_list_keys") {
    return Bool(v);
  }
  if (key == "memcache_servers" || key == "network_zones") return Ok(v);
  if (key == "memcache_ttl" || key == "internal_queue_limit") return Num(v);
  if (key.starts_with("zone_")) return NetmaskList(v);
  if (key.starts_with("queue_")) return Ok(v);
  if (key == "fsck_checksum") {
    if (v == "off") return Ok(v);
    if (v == "class") return Ok(std::nullopt);
    if (v == "MD5" || v == "SHA-1") return Ok(v);
    return Bad("Not a valid checksum algorithm");
  }
  return {};
}

bool ServerSettingIsReadable(std::string_view key) {
  if (key == "fsck_checksum") return true;
  return !key.starts_with("fsck_");
}

}  // namespace mog::tracker
