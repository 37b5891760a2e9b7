#include "storaged/sidechannel/line_framer.h"

namespace mog::storage {

LineFramer::Status LineFramer::Next(std::string& line) {
  size_t newline = buffer_.find('\n');
  if (newline == std::string::npos) {
    return buffer_.size() > max_line_ ? Status::kTooLong : Status::kNeedMore;
  }
  if (newline > max_line_) return Status::kTooLong;
  size_t end = newline;
  if (end > 0 && buffer_[end - 1] == '\r') --end;
  line.assign(buffer_, 0, end);
  buffer_.erase(0, newline + 1);
  return Status::kLine;
}

}  // namespace mog::storage
