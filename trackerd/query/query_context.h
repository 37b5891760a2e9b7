// What a query command handler sees: the request, this worker's own Store, the cluster cache
// and the shared services. Handlers return the reply pairs or an Error; only the dispatcher
// turns that into "OK ..." / "ERR ..." bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/error/error.h"
#include "common/protocol/line_codec.h"
#include "common/protocol/url_codec.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

class NodeClient;
class RandomSource;

// Shared by every query worker; owned by the Tracker (or a test).
struct QueryServices {
  ClusterState* state = nullptr;
  NodeClient* nodes = nullptr;      // null: no storage-node checks (unit tests)
  RandomSource* random = nullptr;   // null: the process-wide source
  std::string hostname;             // gethostname(), for fsck_host / rebal_host
  Fid min_fidid = 0;                // MAX(file.fid) at start-up (§2.2 fid allocation)
  int mogstored_stream_port = 7501;
  // How long admin mutations wait for the Monitor round that follows them.
  std::chrono::milliseconds monitor_wait{5000};
  // Re-reads domains/classes/hosts/devices/settings into `state` (default: from `store`).
  std::function<Result<void>(Store&)> refresh_cache;
};

struct QueryContext {
  Store& store;
  QueryServices& services;
  const RequestArgs& args;
  std::string client_ip;
  SnapshotPtr snap;  // the cache as of the start of the command

  ClusterState& state() { return *services.state; }
  // `domain` present and known to the cache (exact name) -> its dmid; else no_domain /
  // unreg_domain.
  Result<DmId> CheckDomain();
  // The file named by `domain` + `key`, with the checks in upstream's order: the domain check,
  // then no_key (missing/empty key), then unknown_key.
  Result<FileRow> FileFromDomainKey();
  // The same, with the file's devids read in the same round trip (get_paths).
  Result<FileWithDevids> FileWithDevidsFromDomainKey();
  // The end of every admin mutation: reload the cache from the DB, then ask the Monitor for
  // a round and wait for it (bounded), so the reply is sent once caches are current.
  Result<void> RefreshCacheAndWait();
  // Waits (bounded) until the Monitor completed at least one round since start-up.
  void WaitForFirstMonitorRound();

  // The IP clients should use for `host`: altip when the host has altip+altmask and the
  // request said zone=alt or came from inside altmask.
  std::string HostIp(const Host& host) const;
  // http://ip:http_port/devN/... (create_open/close, deletes) and
  // http://ip:(http_get_port|http_port)/devN/... (get_paths, file_debug).
  std::optional<std::string> PutUrl(DevId devid, Fid fid) const;
  std::optional<std::string> GetUrl(DevId devid, Fid fid) const;
};

// A key is valid when present and non-empty ("0" is a valid key).
inline bool ValidKey(const std::optional<std::string>& key) { return key && !key->empty(); }

// Perl's numeric conversion of a leading decimal integer ("12abc" -> 12, "x" -> 0).
int64_t PerlInt(std::string_view text);

}  // namespace mog::tracker
