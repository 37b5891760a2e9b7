#include "storaged/sidechannel/file_digest.h"

#include <cerrno>
#include <memory>
#include <vector>

#include <openssl/evp.h>

#include <fcntl.h>
#include <unistd.h>

namespace mog::storage {

FileDigestResult DigestFile(int fd, DigestAlgorithm algorithm,
                            const std::function<bool()>& should_stop, size_t chunk_size) {
  FileDigestResult result;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const EVP_MD* md = algorithm == DigestAlgorithm::kMd5 ? EVP_md5() : EVP_sha1();
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    result.status = FileDigestResult::Status::kReadError;
    return result;
  }
  // A hint only: the kernel reads ahead harder; failure changes nothing.
  (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  std::vector<unsigned char> buffer(chunk_size);
  uint64_t offset = 0;
  for (;;) {
    if (should_stop && should_stop()) {
      result.status = FileDigestResult::Status::kCancelled;
      return result;
    }
    ssize_t n = pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result.status = FileDigestResult::Status::kReadError;
      result.offset = offset;
      return result;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  result.hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    result.hex += kHex[digest[i] >> 4];
    result.hex += kHex[digest[i] & 0xf];
  }
  return result;
}

}  // namespace mog::storage
