// The web listener's request handler: GET/HEAD/PUT/DELETE /<domain>/<key> for browsers and
// web applications.
//
// GET/HEAD: key -> paths (PathCache, else get_paths through the client library's tracker
// failover, on the blocking pool) -> the first path that answers: a copy on this node's own
// devices through the Docroot (confined open, sendfile), a copy elsewhere streamed from its
// node in 64 KiB pieces; connect error, 404 or 5xx moves on to the next path and drops the
// cache entry. If-None-Match against the fid's ETag is answered before any node is asked.
// PUT: Bearer token, create_open, the body streamed to the first reachable destination,
// create_close, 201. DELETE: Bearer token, delete. Statuses: bad target 400, failed link 403,
// unknown domain/key 404, no readable copy or no tracker 503 + Retry-After.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "storaged/docroot/docroot.h"
#include "storaged/http/session_handler.h"
#include "storaged/web/path_cache.h"
#include "storaged/web/tracker_pool.h"
#include "storaged/web/web_config.h"
#include "storaged/web/web_target.h"

namespace mog::storage::web {

struct WebCounters {
  std::atomic<uint64_t> tracker_lookups{0};
  std::atomic<uint64_t> cache_hits{0};
  std::atomic<uint64_t> local_serves{0};
  std::atomic<uint64_t> remote_serves{0};
  std::atomic<uint64_t> path_failures{0};
};

class WebService : public http::SessionHandler {
 public:
  // `local_hostports`: "ip:port" under which the tracker names this node's own HTTP listener
  // (its copies are read from `docroot` directly).
  WebService(WebConfig config, const Docroot& docroot, std::vector<std::string> local_hostports);

  boost::asio::awaitable<http::Response> Handle(http::SessionIo& io,
                                                const http::RequestHead& head) override;

  PathCache& cache() { return cache_; }
  const WebCounters& counters() const { return counters_; }

 private:
  struct Lookup;
  enum class Attempt { kServed, kFailed, kBroken };

  boost::asio::awaitable<http::Response> Get(http::SessionIo& io, const http::RequestHead& head,
                                             const WebTarget& target);
  boost::asio::awaitable<http::Response> Put(http::SessionIo& io, const http::RequestHead& head,
                                             const WebTarget& target);
  boost::asio::awaitable<http::Response> Delete(http::SessionIo& io, const http::RequestHead& head,
                                                const WebTarget& target);
  boost::asio::awaitable<Lookup> LookUp(http::SessionIo& io, const WebTarget& target);
  boost::asio::awaitable<Attempt> ServeLocal(http::SessionIo& io, const http::RequestHead& head,
                                             const NodeUrl& url, const WebTarget& target,
                                             const std::string& etag, http::Response* out);
  boost::asio::awaitable<Attempt> ServeRemote(http::SessionIo& io, const http::RequestHead& head,
                                              const NodeUrl& url, const WebTarget& target,
                                              const std::string& etag, http::Response* out);
  bool IsLocal(const NodeUrl& url) const;
  bool Authorized(const http::RequestHead& head) const;

  const WebConfig config_;
  const Docroot& docroot_;
  const std::vector<std::string> local_hostports_;
  PathCache cache_;
  TrackerPool trackers_;
  WebCounters counters_;
};

// "ip:port" strings naming `listen` (every local IPv4 address when it is 0.0.0.0).
std::vector<std::string> LocalHostPorts(const Endpoint& listen);

}  // namespace mog::storage::web
