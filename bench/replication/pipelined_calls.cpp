#include "bench/replication/pipelined_calls.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "bench/tracker/line_connection.h"

namespace mog::bench {
namespace {

// Requests [begin, end) on one connection; returns "" or the transport error.
std::string RunSlice(const std::string& host, uint16_t port, const std::vector<std::string>& lines,
                     size_t begin, size_t end, size_t window, double timeout_s,
                     std::vector<Reply>* replies) {
  Socket socket;
  if (std::string err = socket.Connect(host, port, timeout_s); !err.empty()) return err;
  std::string buffer;
  for (size_t first = begin; first < end; first += window) {
    const size_t last = std::min(end, first + window);
    std::string batch;
    for (size_t i = first; i < last; ++i) batch += lines[i];
    if (std::string err = socket.SendAll(batch); !err.empty()) return "send: " + err;
    size_t next = first;
    // Every read either completes a line or adds bytes; the socket timeout bounds each read.
    while (next < last) {
      if (auto line = TakeLine(&buffer)) {
        (*replies)[next++] = ParseReply(*line);
        continue;
      }
      if (std::string err = socket.ReadSome(&buffer); !err.empty()) return "read: " + err;
    }
  }
  return "";
}

}  // namespace

PipelinedResult PipelinedCalls(const std::string& host, uint16_t port,
                               const std::vector<std::string>& request_lines, int connections,
                               size_t window, double timeout_s) {
  PipelinedResult result;
  result.replies.resize(request_lines.size());
  const size_t n = request_lines.size();
  const size_t conns = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(connections), n));
  const size_t per = (n + conns - 1) / conns;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (size_t c = 0; c < conns; ++c) {
    const size_t begin = c * per;
    const size_t end = std::min(n, begin + per);
    if (begin >= end) break;
    threads.emplace_back([&, begin, end] {
      std::string err = RunSlice(host, port, request_lines, begin, end, std::max<size_t>(1, window),
                                 timeout_s, &result.replies);
      if (!err.empty()) {
        std::lock_guard lock(mu);
        if (result.error.empty()) result.error = err;
      }
    });
  }
  for (auto& t : threads) t.join();
  return result;
}

}  // namespace mog::bench
