// The wire form of checksums, "ALG:hex" (MD5 = 16 bytes, SHA-1 = 20 bytes): parsed from
// create_close's `checksum` argument and produced for file_info / file_debug.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "trackerd/nodes/node_client.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

// `^[\w-]+:[0-9a-fA-F]{32,128}$`, a known name, and exactly the digest's length; else nullopt
// (invalid_checksum_format).
std::optional<ChecksumRow> ParseChecksumText(Fid fid, std::string_view text);
// "MD5:0123..." (lower-case hex).
std::string FormatChecksum(const ChecksumRow& row);
std::string HexLower(std::string_view bytes);
// checksum.hashtype / class.hashtype <-> the digest computed on copies (kHashNone: none).
std::optional<DigestAlg> DigestAlgOfHashtype(int hashtype);
int HashtypeOfDigestAlg(DigestAlg alg);

}  // namespace mog::tracker
