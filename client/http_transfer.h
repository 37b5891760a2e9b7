// HTTP transfers between a client and storage nodes (Boost.Beast, synchronous with deadlines).
// Bodies are streamed in bounded chunks: a file is never held in memory whole.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>

#include "client/client_error.h"

namespace mog::client {

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{3000};
  // Longest wait for any progress while sending or receiving (a stall fails the transfer).
  std::chrono::milliseconds io_timeout{10000};
  // Wait for the status line after an upload body; the node may fsync before answering.
  std::chrono::milliseconds response_timeout{30000};
  size_t chunk_size = 1 << 20;
};

// Called with bytes done so far and the total (0 if unknown).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

// PUTs exactly `length` bytes read from `source` to `url` with a Content-Length. Only a 2xx
// status is success; otherwise the error text says what the node answered.
ClientResult<void> HttpPut(const std::string& url, std::istream& source, uint64_t length,
                           const HttpOptions& options = {}, const ProgressFn& progress = {});

struct HttpGetOutcome {
  int status = 0;           // 0 when no response was received
  std::string status_line;  // "<code> <reason>", as LWP's status_line
  uint64_t bytes = 0;       // body bytes handed to the sink
  int64_t content_length = -1;  // the Content-Length header, -1 if absent
  std::string last_modified;    // the Last-Modified header, "" if absent
  bool ok() const { return status >= 200 && status < 300; }
};

// Receives each body chunk of a 2xx response; returning false aborts the transfer.
using BodySink = std::function<bool(const char* data, size_t size)>;

// GETs `url`. The body is streamed to `sink` only for 2xx statuses. A failure to connect
// gives status 500 and an LWP-like line ("500 Can't connect to h:p (reason)").
HttpGetOutcome HttpGet(const std::string& url, const BodySink& sink,
                       const HttpOptions& options = {}, const ProgressFn& progress = {},
                       bool head_only = false);

}  // namespace mog::client
