#include "trackerd/nodes/digest_hasher.h"

#include <stdexcept>

#include <openssl/evp.h>

namespace mog::tracker {

struct DigestHasher::Ctx {
  EVP_MD_CTX* md = nullptr;
  ~Ctx() { EVP_MD_CTX_free(md); }
};

DigestHasher::DigestHasher(DigestAlg alg) : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  const EVP_MD* type = alg == DigestAlg::kMd5 ? EVP_md5() : EVP_sha1();
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, type, nullptr) != 1) {
    throw std::runtime_error("EVP_DigestInit_ex failed");
  }
}

DigestHasher::~DigestHasher() = default;

void DigestHasher::Update(const void* data, size_t size) {
  if (size > 0) EVP_DigestUpdate(ctx_->md, data, size);
}

std::string DigestHasher::FinalRaw() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md, out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string DigestHasher::FinalHex() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string raw = FinalRaw();
  std::string hex;
  hex.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  return hex;
}

std::string DigestHasher::FinalBase64() {
  std::string raw = FinalRaw();
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(n);
  return out;
}

std::string DigestHex(DigestAlg alg, std::string_view data) {
  DigestHasher h(alg);
  h.Update(data);
  return h.FinalHex();
}

std::string DigestBase64(DigestAlg alg, std::string_view data) {
  DigestHasher h(alg);
  h.Update(data);
  return h.FinalBase64();
}

}  // namespace mog::tracker
