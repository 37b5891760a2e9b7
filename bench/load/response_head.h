// Parser for the head (status line + headers) of one HTTP/1.x response, as the load generator
// needs it: the status, how many body bytes follow and whether the connection stays open.
// Pure function over bytes so it is tested without sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mog::bench {

struct ResponseHead {
  int status = 0;
  int minor_version = 1;                  // HTTP/1.<minor>
  std::optional<uint64_t> content_length;  // absent: body ends at EOF (unless no-body status)
  bool chunked = false;                    // Transfer-Encoding: chunked (not supported by us)
  bool keep_alive = false;                 // the server keeps the connection after this response
  size_t head_size = 0;                    // bytes up to and including the blank line
};

enum class HeadParse { kComplete, kIncomplete, kMalformed };

struct HeadResult {
  HeadParse state = HeadParse::kIncomplete;
  ResponseHead head;
  std::string error;  // set when kMalformed
};

// Parses the head at the start of `bytes`. kIncomplete: the blank line has not arrived yet.
// `request_was_head` marks responses that never carry a body.
HeadResult ParseResponseHead(std::string_view bytes, bool request_was_head = false);

// Number of body bytes the response announces, 0 for statuses that never have a body
// (1xx, 204, 304) or HEAD; nullopt means "until the server closes".
std::optional<uint64_t> ExpectedBodyBytes(const ResponseHead& head, bool request_was_head);

}  // namespace mog::bench
