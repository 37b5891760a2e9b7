#include "tools/cli/file_formats.h"

#include "tools/cli/sprintf.h"

namespace mog::cli {

std::string FormatFileInfo(const std::string& key, const client::ReplyArgs& info,
                           const std::vector<std::string>& paths) {
  std::string out = "- file: " + key + "\n";
  for (const auto& [name, value] : info.values()) {  // std::map: sorted like Perl's sort keys
    out += Sprintf("  %8s: %20s\n", name.c_str(), value.c_str());
  }
  for (const std::string& path : paths) out += " - " + path + "\n";
  return out;
}

std::string FormatFid(const client::FidInfo& fid) {
  // Sorted field names: class devcount domain key length.
  return "fid " + fid.fid + "\n" + "class " + fid.klass + "\n" + "devcount " + fid.devcount +
         "\n" + "domain " + fid.domain + "\n" + "key " + fid.key + "\n" + "length " +
         fid.length + "\n\n";
}

}  // namespace mog::cli
