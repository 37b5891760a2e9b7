// mogfiledebug's report: the file_debug reply grouped by prefix (fid_, tempfile_, replqueue_,
// ...), each device path checked (HEAD) or fetched (GET + MD5), laid out as MogileFS-Utils
// 2.30 prints it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/reply_args.h"

namespace mog::cli {

enum class PathsMode { kPrint, kStat, kFetch };

struct PathCheck {
  std::string path;
  std::string status_line;            // "200 OK", "404 Not Found", ...
  std::optional<int64_t> length;      // stat: Content-Length; fetch: bytes received
  std::optional<std::string> mtime;   // Last-Modified
  std::string md5_hex;                // fetch only
};

// devpath_<devid> URLs, by devid.
std::vector<std::string> DebugPaths(const client::ReplyArgs& details);

// The complete output; `checks` holds one entry per DebugPaths() element for stat/fetch.
std::string FormatFileDebug(const client::ReplyArgs& details, PathsMode mode,
                            const std::vector<PathCheck>& checks);

}  // namespace mog::cli
