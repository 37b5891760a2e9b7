// The tracker protocol's URL-style encoding, byte-compatible with mogilefsd 2.73 and
// MogileFS::Client: every byte outside [A-Za-z0-9_,\-./\\: ] becomes %XX (upper-case hex),
// then spaces become '+'.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mog {

std::string UrlEncode(std::string_view raw);
// '+' -> space, then %XX (either case) -> byte; malformed '%' sequences stay literal.
std::string UrlDecode(std::string_view encoded);

// The value of one hex digit (either case), or -1: every %XX and hex-text decoder uses it.
int HexDigitValue(char c);

// Ordered name/value pairs; order is kept for golden transcripts (upstream's is hash order).
using ArgList = std::vector<std::pair<std::string, std::string>>;

// "k=v&k2=v2" with both sides encoded.
std::string EncodeArgs(const ArgList& args);

}  // namespace mog
