#include "trackerd/query/checksum_text.h"

#include <cctype>

#include "trackerd/state/cluster_state.h"

namespace mog::tracker {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string HexLower(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

std::optional<ChecksumRow> ParseChecksumText(Fid fid, std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view name = text.substr(0, colon);
  std::string_view hex = text.substr(colon + 1);
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '-') {
      return std::nullopt;
    }
  }
  if (hex.size() < 32 || hex.size() > 128) return std::nullopt;
  for (char c : hex) {
    if (HexDigit(c) < 0) return std::nullopt;
  }
  auto type = HashTypeFromName(name);
  if (!type || *type == kHashNone) return std::nullopt;
  const size_t bytes = *type == kHashMd5 ? 16 : 20;
  if (hex.size() != bytes * 2) return std::nullopt;
  ChecksumRow row;
  row.fid = fid;
  row.hashtype = *type;
  for (size_t i = 0; i < hex.size(); i += 2) {
    row.checksum.push_back(static_cast<char>(HexDigit(hex[i]) * 16 + HexDigit(hex[i + 1])));
  }
  return row;
}

std::string FormatChecksum(const ChecksumRow& row) {
  return std::string(HashTypeName(row.hashtype)) + ":" + HexLower(row.checksum);
}

std::optional<DigestAlg> DigestAlgOfHashtype(int hashtype) {
  if (hashtype == kHashMd5) return DigestAlg::kMd5;
  if (hashtype == kHashSha1) return DigestAlg::kSha1;
  return std::nullopt;
}

int HashtypeOfDigestAlg(DigestAlg alg) { return alg == DigestAlg::kMd5 ? kHashMd5 : kHashSha1; }

}  // namespace mog::tracker
