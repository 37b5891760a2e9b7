// Where a fid's copy lives on a device, as the workers address it: the PUT port (http_port,
// default 7500) for writes and DELETE, the GET port (http_get_port if set) for reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "trackerd/state/cluster_state.h"

namespace mog::tracker {

// nullopt when the device or its host is unknown to the snapshot.
std::optional<std::string> FidPutUrl(const ClusterSnapshot& snap, DevId devid, Fid fid);
std::optional<std::string> FidGetUrl(const ClusterSnapshot& snap, DevId devid, Fid fid);
// The host's IP for side-channel requests ("" if unknown).
std::string DeviceHostIp(const ClusterSnapshot& snap, DevId devid);

// Raw digest bytes <-> lower-case hex; HexToBytes returns nullopt for malformed input.
std::optional<std::string> HexToBytes(const std::string& hex);
std::string BytesToBase64(const std::string& bytes);

}  // namespace mog::tracker
