// The request line, judged as soon as it is buffered and before the rest of the header block:
// a line that cannot start an HTTP/1.x request is refused (400) at once, instead of waiting for
// a blank line that may never come or handing Beast a line it would wait on for more bytes.
// Exactly as strict as Beast's request-line parser (which parses the block afterwards), so no
// request Beast accepts is refused here.
#pragma once

#include <cstddef>
#include <string_view>

namespace mog::storage::http {

// Longest method accepted. The longest registered one ("UPDATEREDIRECTREF") has 17 characters;
// a longer run of token characters is no method, so it is refused before its line ends.
inline constexpr size_t kMethodLimit = 32;

// Why `line` (one request line without its line end) is not `method SP request-target SP
// HTTP-version`, with a token method, a target of visible characters (or obs-text) and HTTP/1.0
// or HTTP/1.1 (upper case, RFC 9112); empty when it is a request line.
std::string_view RequestLineError(std::string_view line);

// The verdict on the first bytes buffered for the next request.
struct RequestStart {
  enum Verdict { kNeedMore, kValid, kInvalid };
  Verdict verdict = kNeedMore;
  size_t skip = 0;          // kValid: bytes of an empty line before the request line, to drop
  std::string_view reason;  // kInvalid: why (static text, for the log)
};

// Looks at `buffered`, the start of a request. One empty line (CRLF or LF) before the request
// line is ignored, as RFC 9112 section 2.2 asks; a second one is an empty request line. The
// request line is judged once its LF has arrived, and before that as soon as what arrived of
// it cannot begin a request line; a line longer than `limit` is refused.
RequestStart CheckRequestStart(std::string_view buffered, size_t limit);

}  // namespace mog::storage::http
