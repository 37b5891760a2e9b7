// Output of the per-file tools, byte for byte as MogileFS-Utils 2.30 prints it.
#pragma once

#include <string>
#include <vector>

#include "client/admin.h"
#include "client/reply_args.h"

namespace mog::cli {

// mogfileinfo: "- file: <key>", the file_info fields sorted ("  %8s: %20s"), " - <path>" each.
std::string FormatFileInfo(const std::string& key, const client::ReplyArgs& info,
                           const std::vector<std::string>& paths);

// moglistfids: per fid "fid <n>" then its fields sorted as "<k> <v>", then a blank line.
std::string FormatFid(const client::FidInfo& fid);

}  // namespace mog::cli
