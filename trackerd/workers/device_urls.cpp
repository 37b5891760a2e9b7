#include "trackerd/workers/device_urls.h"

#include <openssl/evp.h>

#include "common/fid/fid_path.h"
#include "common/protocol/url_codec.h"
#include "trackerd/nodes/node_url.h"

namespace mog::tracker {
namespace {

const Host* HostOf(const ClusterSnapshot& snap, DevId devid) {
  const Device* dev = snap.FindDevice(devid);
  return dev ? snap.FindHost(dev->row.hostid) : nullptr;
}

uint16_t PutPort(const Host& host) {
  return static_cast<uint16_t>(host.row.http_port.value_or(7500));
}

uint16_t GetPort(const Host& host) {
  if (host.row.http_get_port && *host.row.http_get_port != 0) {
    return static_cast<uint16_t>(*host.row.http_get_port);
  }
  return PutPort(host);
}

}  // namespace

std::optional<std::string> FidPutUrl(const ClusterSnapshot& snap, DevId devid, Fid fid) {
  const Host* host = HostOf(snap, devid);
  if (!host) return std::nullopt;
  return MakeNodeUrl(host->row.hostip, PutPort(*host), FormatFidPath(devid, fid));
}

std::optional<std::string> FidGetUrl(const ClusterSnapshot& snap, DevId devid, Fid fid) {
  const Host* host = HostOf(snap, devid);
  if (!host) return std::nullopt;
  return MakeNodeUrl(host->row.hostip, GetPort(*host), FormatFidPath(devid, fid));
}

std::string DeviceHostIp(const ClusterSnapshot& snap, DevId devid) {
  const Host* host = HostOf(snap, devid);
  return host ? host->row.hostip : std::string();
}

std::optional<std::string> HexToBytes(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexDigitValue(hex[i]);
    const int lo = HexDigitValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string BytesToBase64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

}  // namespace mog::tracker
