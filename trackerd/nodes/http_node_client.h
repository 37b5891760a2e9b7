// NodeClient over Boost.Beast: every exchange runs as a coroutine, either on background I/O
// threads (the caller waits on a future) or, with io_threads = 0, on the calling thread's own
// event loop; the public calls are synchronous either way, so query workers and the Monitor's
// probe tasks can simply call them. Deadlines come from beast::tcp_stream expiry.
//
// What goes on the wire (as upstream 2.73, §5.1): path-only targets; GET as HTTP/1.0 with
// `Connection: keep-alive`, other methods HTTP/1.1; `Host: <ip>:<port>`;
// `User-Agent: MogileFS::Connection::HTTP/2.73`; bodies with Content-Length and
// `Content-Type: application/octet-stream`. Replication copies use HTTP/1.0 GET/PUT without Host,
// like upstream's raw-socket copy, with TCP_NODELAY.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "trackerd/nodes/node_client.h"

namespace mog::tracker {

struct HttpNodeClientOptions {
  // node_timeout (workers) or conn_timeout (Monitor): per connect and per wait for bytes.
  std::chrono::milliseconds timeout{2000};
  // conn_pool_size: idle keep-alive connections kept for reuse, across all nodes.
  size_t pool_size = 20;
  // Threads running the exchanges. 0: each calling thread runs its own exchanges on an event
  // loop and idle-connection pool of its own (pool_size each) -- no hand-off between threads
  // per call, for long-lived callers such as the replicate workers; a short-lived thread's
  // connections close when it ends.
  int io_threads = 1;
  // Server setting skip_mkcol, read at each Mkcol call (null = never skip).
  std::function<bool()> skip_mkcol;
  std::chrono::seconds mkcol_cache_ttl{3600};
  std::string user_agent = "MogileFS::Connection::HTTP/2.73";
};

class HttpNodeClient final : public NodeClient {
 public:
  explicit HttpNodeClient(HttpNodeClientOptions options = {});
  ~HttpNodeClient() override;
  HttpNodeClient(const HttpNodeClient&) = delete;
  HttpNodeClient& operator=(const HttpNodeClient&) = delete;

  NodeResult<HeadInfo> HeadSize(const std::string& url) override;
  MkcolOutcome Mkcol(const std::string& url) override;
  NodeResult<HttpReply> Get(const std::string& url, size_t max_body = 1 << 20) override;
  NodeResult<HttpReply> Put(const std::string& url, std::string_view body,
                            const HttpHeaders& headers = {}) override;
  NodeResult<int> Delete(const std::string& url) override;
  NodeResult<DigestReply> Digest(const DigestRequest& request) override;
  boost::system::result<CopyReply, CopyError> Copy(const CopyRequest& request) override;

  // Test hooks: idle pooled connections, and how many TCP connections were opened so far.
  size_t TEST_idle_connections() const;
  size_t TEST_connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mog::tracker
