// Splits the side channel's input stream into request lines. A line ends at "\n"; one "\r"
// before it is dropped, so "\r\n" and bare "\n" both work (upstream wedged on a bare "\n").
// Input is bounded: a line longer than `max_line` is reported instead of buffered.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mog::storage {

class LineFramer {
 public:
  explicit LineFramer(size_t max_line = 64 * 1024) : max_line_(max_line) {}

  void Append(std::string_view bytes) { buffer_.append(bytes); }

  enum class Status { kLine, kNeedMore, kTooLong };
  // kLine: `line` holds the next request; kTooLong: the pending line exceeds max_line
  // (the framer is then unusable: the connection should be closed).
  Status Next(std::string& line);

  bool HasCompleteLine() const { return buffer_.find('\n') != std::string::npos; }
  size_t buffered() const { return buffer_.size(); }

 private:
  size_t max_line_;
  std::string buffer_;
};

}  // namespace mog::storage
