#include "tools/cli/file_debug_format.h"

#include <algorithm>

#include "tools/cli/sprintf.h"

namespace mog::cli {
namespace {

using Parts = std::map<std::string, std::map<std::string, std::string>>;

// "replqueue_fromdevid" -> parts["replqueue"]["fromdevid"], splitting at the last '_' as
// upstream's greedy s/^(\w+)_//.
Parts GroupParts(const client::ReplyArgs& details) {
  Parts parts;
  for (const auto& [key, value] : details.values()) {
    if (key.starts_with("devpath_")) continue;
    const size_t underscore = key.rfind('_');
    if (underscore == std::string::npos || underscore == 0) continue;
    parts[key.substr(0, underscore)][key.substr(underscore + 1)] = value;
  }
  return parts;
}

bool PerlTrue(const std::string& v) { return !v.empty() && v != "0"; }

std::string EmitResults(bool need_hash, const Parts& parts, const std::vector<PathCheck>& checks) {
  std::string out;
  std::optional<int64_t> len;
  if (auto fid = parts.find("fid"); fid != parts.end() && fid->second.count("length")) {
    len = client::PerlInt(fid->second.at("length"));
  }
  if (!len) out += "No length, cannot verify content length";
  std::string first_hash;
  for (const PathCheck& check : checks) {
    out += "\nResults for path: " + check.path + "\n";
    if (check.status_line.find("404") != std::string::npos) {
      out += " - ERROR: File copy is missing: " + check.status_line + "\n";
      continue;
    }
    if (need_hash) {
      if (first_hash.empty()) first_hash = check.md5_hex;
      if (first_hash != check.md5_hex) out += " - ERROR: Hash does not match first path!\n";
    }
    if (len && check.length && *len != *check.length) {
      out += " - ERROR: Length does not match file row!\n";
    }
    if (need_hash) out += " - MD5 Hash: " + check.md5_hex + "\n";
    if (check.length) out += " - Length: " + std::to_string(*check.length) + "\n";
    if (check.mtime) out += " - Last-Modified: " + *check.mtime + "\n";
    out += " - HTTP result: " + check.status_line + "\n";
  }
  return out;
}

}  // namespace

std::vector<std::string> DebugPaths(const client::ReplyArgs& details) {
  std::vector<std::pair<int64_t, std::string>> found;
  for (const auto& [key, value] : details.values()) {
    if (key.starts_with("devpath_")) found.emplace_back(client::PerlInt(key.substr(8)), value);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> paths;
  for (auto& [devid, url] : found) paths.push_back(url);
  return paths;
}

std::string FormatFileDebug(const client::ReplyArgs& details, PathsMode mode,
                            const std::vector<PathCheck>& checks) {
  const Parts parts = GroupParts(details);
  const std::vector<std::string> paths = DebugPaths(details);
  std::string out;
  if (paths.empty()) {
    out += "No valid-ish paths found\n";
  } else if (mode == PathsMode::kPrint) {
    out += "Paths...\n";
    for (const auto& path : paths) out += " - " + path + "\n";
  } else if (mode == PathsMode::kStat) {
    out += "Checking status of paths...\n" + EmitResults(false, parts, checks);
  } else {
    out += "Fetching and summing paths...\n" + EmitResults(true, parts, checks);
  }

  out += "\nTempfile and/or queue rows...\n";
  bool found = false;
  for (const char* type : {"tempfile", "replqueue", "delqueue", "rebqueue", "fsckqueue"}) {
    auto it = parts.find(type);
    if (it == parts.end()) continue;
    found = true;
    out += Sprintf("- %12s\n", type);
    for (const auto& [k, v] : it->second) out += Sprintf("  %20s: %20s\n", k.c_str(), v.c_str());
  }
  if (!found) out += "none.\n";

  if (auto fid = parts.find("fid"); fid != parts.end()) {
    out += "\n- File Row:\n";
    for (const auto& [k, v] : fid->second) out += Sprintf("  %8s: %20s\n", k.c_str(), v.c_str());
  } else {
    out +=
        "- ERROR: No file row was found!\n"
        "File may have been deleted or never closed.\n"
        "See above for any matching rows from tempfile or delqueue.\n";
  }
  if (PerlTrue(details.Get("devids"))) out += "\n- Raw devids: " + details.Get("devids") + "\n";
  if (PerlTrue(details.Get("checksum"))) {
    out += "\n- Stored checksum: " + details.Get("checksum") + "\n";
  }
  return out;
}

}  // namespace mog::cli
