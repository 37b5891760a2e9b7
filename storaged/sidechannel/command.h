// Side-channel request decoding and reply texts: pure functions from one input line to what
// the session must do, so every byte of the protocol is unit-tested without sockets.
//
// Request grammar (upstream mogstored 2.73 + the Perlbal management fallthrough):
//   size <uri>                     -> SizeCommand
//   MD5|SHA-1 <uri>[ <word>]       -> DigestCommand (word "fsck" serialises per filesystem)
//   watch (any case)               -> WatchCommand
//   shutdown[ graceful] (any case) -> ShutdownCommand (the session decides who may)
//   anything else                  -> ReplyCommand with the management interpreter's answer
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <variant>

namespace mog::storage {

enum class DigestAlgorithm { kMd5, kSha1 };
std::string_view AlgorithmName(DigestAlgorithm algorithm);  // "MD5", "SHA-1"

struct SizeCommand {
  std::string uri;
};
struct DigestCommand {
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  std::string uri;
  bool fsck = false;
};
struct WatchCommand {};
// Upstream's mogstored exits on it. The session obeys only a peer on this host (loopback) and
// then stops the daemon as SIGTERM does (requests in flight finish); others get
// kShutdownRefusedReply.
struct ShutdownCommand {};
// Answered at once with `reply` (already terminated).
struct ReplyCommand {
  std::string reply;
};
using SideChannelCommand =
    std::variant<SizeCommand, DigestCommand, WatchCommand, ReplyCommand, ShutdownCommand>;

// What `version`/`uptime` report.
struct ServerFacts {
  std::time_t start_time = 0;
  std::time_t now = 0;
};

inline constexpr std::string_view kSideChannelVersion = "0.1.0";

// `line` is one request without its "\n" and without one "\r" before it. Never fails:
// every input maps to some command, most often an "ERROR: ..." reply.
SideChannelCommand ParseSideChannelLine(std::string_view line, const ServerFacts& facts);

// Reply texts.
std::string SizeReply(std::string_view uri, int64_t size);  // size < 0: missing ("-1")
std::string DigestReply(std::string_view uri, DigestAlgorithm algorithm, std::string_view hex);
std::string DigestMissingReply(std::string_view uri, DigestAlgorithm algorithm);
std::string ReadErrorReply(std::string_view uri, uint64_t offset);
inline constexpr std::string_view kUriInvalidReply = "ERROR: uri invalid (contains ..)\r\n";
inline constexpr std::string_view kLineTooLongReply = "ERROR: line too long\r\n";
inline constexpr std::string_view kShutdownRefusedReply =
    "ERROR: shutdown is accepted only from this host (loopback)\r\n";

}  // namespace mog::storage
