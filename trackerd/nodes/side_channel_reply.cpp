#include "trackerd/nodes/side_channel_reply.h"

#include <charconv>

namespace mog::tracker {

std::string DigestRequestLine(DigestAlg alg, std::string_view path, std::string_view reason) {
  std::string line(DigestAlgName(alg));
  line.append(" ").append(path);
  if (!reason.empty()) line.append(" ").append(reason);
  line.append("\r\n");
  return line;
}

DigestLine ParseDigestLine(std::string_view line, DigestAlg alg, std::string_view path) {
  DigestLine out;
  std::string prefix(path);
  prefix.append(" ").append(DigestAlgName(alg)).append("=");
  if (!line.starts_with(prefix)) return out;
  std::string_view value = line.substr(prefix.size());
  if (value == "-1") {
    out.kind = DigestLineKind::kMissing;
    return out;
  }
  const size_t want = alg == DigestAlg::kMd5 ? 32 : 40;
  if (value.size() != want) return out;
  for (char c : value) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return out;
  }
  out.kind = DigestLineKind::kDigest;
  out.hex = std::string(value);
  return out;
}

bool WatchParser::Feed(std::string_view bytes) {
  pending_.append(bytes);
  bool completed = false;
  size_t start = 0;
  for (size_t nl = pending_.find('\n', start); nl != std::string::npos;
       nl = pending_.find('\n', start)) {
    std::string_view line(pending_.data() + start, nl - start);
    start = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == ".") {
      latest_ = std::move(building_);
      building_.clear();
      completed = true;
      continue;
    }
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;  // e.g. "ERR iostat unavailable"
    uint32_t devid = 0;
    auto [ptr, ec] = std::from_chars(line.data(), line.data() + tab, devid);
    if (ec != std::errc() || ptr != line.data() + tab) continue;
    building_[devid] = std::string(line.substr(tab + 1));
  }
  pending_.erase(0, start);
  if (pending_.size() > kMaxPending) {
    overflowed_ = true;
    pending_.clear();
  }
  return completed;
}

}  // namespace mog::tracker
