// Client-side parsing of one tracker reply line, as MogileFS::Backend does:
// `^OK\s+\d*\s*(\S*)` -> decoded args (repeated names joined with '\0');
// `^ERR\s+(\w+)\s*(\S*)` -> error token and decoded text; anything else is invalid.
#pragma once

#include <string_view>

#include "client/client_error.h"
#include "client/reply_args.h"

namespace mog::client {

ClientResult<ReplyArgs> ParseTrackerReply(std::string_view line);

}  // namespace mog::client
