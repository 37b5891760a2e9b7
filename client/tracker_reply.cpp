#include "client/tracker_reply.h"

#include <map>
#include <string>

#include "common/protocol/line_codec.h"

namespace mog::client {

ClientResult<ReplyArgs> ParseTrackerReply(std::string_view line) {
  Reply reply = ParseReply(line);
  if (reply.ok) {
    std::map<std::string, std::string> values;
    for (const auto& [name, value] : reply.args.items()) values[name] = value;
    return ReplyArgs(std::move(values));
  }
  if (!reply.malformed) return ClientError::Tracker(reply.errcode, reply.errstr);
  std::string_view shown = line;
  while (!shown.empty() && (shown.back() == '\n' || shown.back() == '\r')) shown.remove_suffix(1);
  return ClientError::Transport("invalid response from server: [" + std::string(shown) + "]");
}

}  // namespace mog::client
