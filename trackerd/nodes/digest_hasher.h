// Incremental MD5 / SHA-1 over OpenSSL EVP, for digests computed on the tracker (HTTP fallback
// of the side channel, replication streams).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "trackerd/nodes/node_client.h"

namespace mog::tracker {

class DigestHasher {
 public:
  explicit DigestHasher(DigestAlg alg);
  ~DigestHasher();
  DigestHasher(const DigestHasher&) = delete;
  DigestHasher& operator=(const DigestHasher&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  std::string FinalHex();          // lower-case hex; the hasher is spent afterwards
  std::string FinalBase64();       // padded base64 (Content-MD5 form)

 private:
  std::string FinalRaw();
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// One-shot helpers.
std::string DigestHex(DigestAlg alg, std::string_view data);
std::string DigestBase64(DigestAlg alg, std::string_view data);

}  // namespace mog::tracker
