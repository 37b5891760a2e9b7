// Tracker connections for the web listener's blocking-pool threads: a free list of
// client-library TrackerConnections (each with the client library's failover over the
// configured trackers), borrowed for one call and handed back, so concurrent lookups never
// share a socket and an idle listener holds few connections.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/client.h"
#include "client/tracker_connection.h"

namespace mog::storage::web {

class TrackerPool {
 public:
  TrackerPool(std::vector<std::string> trackers, client::TrackerOptions options,
              size_t max_idle = 16);

  // Runs `fn(client::Client&)` for `domain` on a borrowed connection (blocking).
  template <typename F>
  auto With(const std::string& domain, F&& fn) {
    std::unique_ptr<client::TrackerConnection> conn = Acquire();
    client::Client client(*conn, domain);
    auto result = fn(client);
    Release(std::move(conn));
    return result;
  }

 private:
  std::unique_ptr<client::TrackerConnection> Acquire();
  void Release(std::unique_ptr<client::TrackerConnection> conn);

  const std::vector<std::string> trackers_;
  const client::TrackerOptions options_;
  const size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<client::TrackerConnection>> idle_;  // GUARDED_BY(mutex_)
};

}  // namespace mog::storage::web
