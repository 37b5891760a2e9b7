// Many tracker requests at once: split over a few connections, each keeping a window of
// requests in flight (the tracker answers pipelined lines in order). Used to queue 2,000
// updateclass commands in well under a second, so that the queueing does not hide the
// replication rate being measured.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/protocol/line_codec.h"

namespace mog::bench {

struct PipelinedResult {
  std::vector<Reply> replies;  // one per request, in request order
  std::string error;           // first transport failure ("" if none); its replies stay !ok
};

PipelinedResult PipelinedCalls(const std::string& host, uint16_t port,
                               const std::vector<std::string>& request_lines, int connections,
                               size_t window, double timeout_s);

}  // namespace mog::bench
