#include "storaged/sidechannel/command.h"

#include <cctype>

namespace mog::storage {
namespace {

// Perl's \s and \w on bytes (the side channel is not UTF-8 aware upstream either).
bool IsPerlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool AllNonSpace(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (IsPerlSpace(c)) return false;
  }
  return true;
}
bool AllWordChars(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsWordChar(c)) return false;
  }
  return true;
}
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Perlbal's management interpreter, reduced to what mogstored exposes safely: whitespace
// and comments normalised, command lower-cased up to the first '=', `version`/`uptime`/`help`
// answered, everything else an error line. Output lines are joined by "\r\n" plus a final
// "\r\n", so "no output" is a bare "\r\n".
std::string ManagementReply(std::string_view raw, const ServerFacts& facts) {
  std::string cmd(raw.substr(0, raw.find('#')));
  size_t begin = 0;
  while (begin < cmd.size() && IsPerlSpace(cmd[begin])) ++begin;
  size_t end = cmd.size();
  while (end > begin && IsPerlSpace(cmd[end - 1])) --end;
  std::string normalised;
  for (size_t i = begin; i < end; ++i) {
    if (IsPerlSpace(cmd[i])) {
      if (normalised.empty() || normalised.back() != ' ') normalised += ' ';
    } else {
      normalised += cmd[i];
    }
  }
  size_t eq = normalised.find('=');
  std::string lowered = Lower(normalised.substr(0, eq));
  if (eq != std::string::npos) lowered += normalised.substr(eq);
  if (lowered.empty()) return "\r\n";

  size_t word_end = 0;
  while (word_end < lowered.size() && IsWordChar(lowered[word_end])) ++word_end;
  if (word_end == 0) return "ERROR: invalid command\r\n";
  std::string base = lowered.substr(0, word_end);

  if (base == "version" || base == "uptime") {
    if (lowered != base) return "ERROR: The '" + base + "' command takes no arguments\r\n";
    return "starttime " + std::to_string(static_cast<long long>(facts.start_time)) + "\r\nuptime " +
           std::to_string(static_cast<long long>(facts.now - facts.start_time)) + "\r\nversion " +
           std::string(kSideChannelVersion) + "\r\n.\r\n";
  }
  if (base == "help") {
    // Perlbal lists its management commands; ours are these (the side-channel verbs
    // themselves were never listed upstream either).
    return "help\r\nuptime\r\nversion\r\n.\r\n";
  }
  return "ERROR: unknown command: " + base + "\r\n";
}

}  // namespace

std::string_view AlgorithmName(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kMd5 ? "MD5" : "SHA-1";
}

SideChannelCommand ParseSideChannelLine(std::string_view line, const ServerFacts& facts) {
  if (line.substr(0, 5) == "size ") {
    std::string_view uri = line.substr(5);
    if (AllNonSpace(uri)) {
      if (uri.find("..") != std::string_view::npos) {
        return ReplyCommand{std::string(kUriInvalidReply)};
      }
      return SizeCommand{std::string(uri)};
    }
  }
  if (Lower(line) == "watch") return WatchCommand{};

  for (DigestAlgorithm algorithm : {DigestAlgorithm::kMd5, DigestAlgorithm::kSha1}) {
    std::string prefix = std::string(AlgorithmName(algorithm)) + " ";
    if (line.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = line.substr(prefix.size());
    size_t space = rest.find(' ');
    std::string_view uri = rest.substr(0, space);
    std::string_view reason =
        space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    bool matches = AllNonSpace(uri) && (space == std::string_view::npos || AllWordChars(reason));
    if (!matches) break;
    if (uri.find("..") != std::string_view::npos) {
      return ReplyCommand{std::string(kUriInvalidReply)};
    }
    return DigestCommand{algorithm, std::string(uri), reason == "fsck"};
  }
  const std::string lowered = Lower(line);
  if (lowered == "shutdown" || lowered == "shutdown graceful") return ShutdownCommand{};
  return ReplyCommand{ManagementReply(line, facts)};
}

std::string SizeReply(std::string_view uri, int64_t size) {
  return std::string(uri) + " " + std::to_string(size < 0 ? -1 : size) + "\r\n";
}

std::string DigestReply(std::string_view uri, DigestAlgorithm algorithm, std::string_view hex) {
  return std::string(uri) + " " + std::string(AlgorithmName(algorithm)) + "=" + std::string(hex) +
         "\r\n";
}

std::string DigestMissingReply(std::string_view uri, DigestAlgorithm algorithm) {
  return DigestReply(uri, algorithm, "-1");
}

std::string ReadErrorReply(std::string_view uri, uint64_t offset) {
  return "ERR read " + std::string(uri) + " at " + std::to_string(offset) + " failed\r\n";
}

}  // namespace mog::storage
