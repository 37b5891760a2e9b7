#include "storaged/http/request_line.h"

namespace mog::storage::http {
namespace {

// tchar (RFC 9110 section 5.6.2), as Beast's is_token_char.
bool IsTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Any octet but controls, space and DEL, as Beast's is_pathchar.
bool IsTargetChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f;
}

// Why `line` cannot be a request line (`complete`: it is all of it) or cannot begin one (it is
// what has arrived so far); empty when it can.
std::string_view Problem(std::string_view line, bool complete) {
  const size_t n = line.size();
  size_t i = 0;
  while (i < n && IsTokenChar(line[i])) ++i;
  if (i > kMethodLimit) return "method too long";
  if (i == n) {
    if (!complete) return {};
    return n == 0 ? "empty request line" : "no request target";
  }
  if (line[i] != ' ') return i == 0 ? "bad character in method" : "bad character after method";
  if (i == 0) return "no method";
  const size_t target_start = ++i;
  while (i < n && IsTargetChar(line[i])) ++i;
  if (i == n) {
    if (!complete) return {};
    return i == target_start ? "no request target" : "no HTTP version";
  }
  if (line[i] != ' ') return "bad character in request target";
  if (i == target_start) return "no request target";
  // HTTP-version = "HTTP/" DIGIT "." DIGIT, nothing after it.
  constexpr std::string_view kShape = "HTTP/9.9";
  const std::string_view version = line.substr(i + 1);
  if (version.empty()) return complete ? "no HTTP version" : std::string_view();
  if (version.size() > kShape.size()) return "bad HTTP version";
  for (size_t k = 0; k < version.size(); ++k) {
    const bool digit = version[k] >= '0' && version[k] <= '9';
    if (kShape[k] == '9' ? !digit : version[k] != kShape[k]) return "bad HTTP version";
  }
  if (version.size() < kShape.size()) return complete ? "bad HTTP version" : std::string_view();
  if (version != "HTTP/1.0" && version != "HTTP/1.1") return "unsupported HTTP version";
  return {};
}

}  // namespace

std::string_view RequestLineError(std::string_view line) { return Problem(line, true); }

RequestStart CheckRequestStart(std::string_view buffered, size_t limit) {
  RequestStart start;
  if (buffered.starts_with("\r\n")) {
    start.skip = 2;
  } else if (buffered.starts_with('\n')) {
    start.skip = 1;
  }
  const std::string_view rest = buffered.substr(start.skip);
  const size_t lf = rest.find('\n');
  std::string_view line = rest.substr(0, lf);
  // A CR just before the LF ends the line; one at the end of an unfinished line may be the
  // first half of its CRLF. Any other CR is a bad character.
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::string_view why = Problem(line, lf != std::string_view::npos);
  if (why.empty() && line.size() > limit) why = "request line too long";
  if (!why.empty()) {
    start.verdict = RequestStart::kInvalid;
    start.reason = why;
  } else if (lf != std::string_view::npos) {
    start.verdict = RequestStart::kValid;
  }
  return start;
}

}  // namespace mog::storage::http
