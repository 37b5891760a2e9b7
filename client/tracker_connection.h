// A connection to a list of trackers, as MogileFS::Backend but stricter about timeouts:
// * trackers are tried in the given order, starting after the last one that worked; a tracker
//   that refused or timed out on connect is skipped for `dead_retry` and the next one is tried;
// * one socket is kept for successive requests; if sending on a reused socket fails (the
//   tracker closed an idle connection) it reconnects once and resends;
// * a reply that does not arrive within `reply_timeout` fails the request and the socket is
//   CLOSED, so a late reply can never be taken as the answer to the next request.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/protocol/url_codec.h"
#include "client/client_error.h"
#include "client/reply_args.h"

namespace mog::client {

struct TrackerOptions {
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds reply_timeout{3000};
  // How long a tracker that failed to connect is skipped.
  std::chrono::milliseconds dead_retry{5000};
};

class TrackerConnection {
 public:
  // `trackers` are "host:port" strings (port mandatory, as upstream).
  explicit TrackerConnection(std::vector<std::string> trackers, TrackerOptions options = {});
  ~TrackerConnection();
  TrackerConnection(const TrackerConnection&) = delete;
  TrackerConnection& operator=(const TrackerConnection&) = delete;

  // Sends `<command> <encoded args>\r\n` and returns the decoded OK arguments, or the
  // tracker's ERR as ClientError::Kind::kTracker, or a transport error.
  ClientResult<ReplyArgs> Call(std::string_view command, const ArgList& args);

  // Drops the cached socket; the next call connects afresh.
  void Disconnect();
  // "host:port" of the tracker that answered last ("" if none).
  const std::string& last_tracker() const;
  const std::vector<std::string>& trackers() const;
  void set_reply_timeout(std::chrono::milliseconds t);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mog::client
