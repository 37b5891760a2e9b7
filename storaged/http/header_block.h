// The raw request header block, before Beast parses it. Perlbal accepts bare "\n" line ends
// ("GET / HTTP/1.0\n\n"); Beast's parser insists on CRLF, so bare LFs are rewritten first.
// Also the few upstream answers that depend on the raw text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mog::storage::http {

// Length of the header block including its terminating blank line ("\r\n\r\n", "\n\n" or a
// mix), or npos while incomplete.
size_t FindHeaderEnd(std::string_view data);

bool HasBareLineFeed(std::string_view block);
// Every "\n" not preceded by "\r" becomes "\r\n".
std::string NormalizeLineEnds(std::string_view block);

// The numeric value of a negative Content-Length header ("-5"), for upstream's
// "Content-length of -5 is invalid." answer.
std::optional<long long> NegativeContentLength(std::string_view block);

}  // namespace mog::storage::http
