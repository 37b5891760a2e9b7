// PUT: the target is checked (Perlbal's filename rules, dev<N> must exist), missing parent
// directories are created, and the body streams into an AtomicFile. Finish() verifies an
// optional Content-MD5 and commits (fsync, rename, fsync dir) before any 2xx is sent, so a
// 2xx means the file is on stable storage; an abandoned upload leaves nothing visible.
//
// All calls block on the filesystem; the session runs them off the network threads.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <variant>

#include "storaged/docroot/atomic_file.h"
#include "storaged/docroot/docroot.h"
#include "storaged/http/request_head.h"
#include "storaged/http/request_target.h"

namespace mog::storage::http {

// Status and message for a simple response.
struct Outcome {
  int status = 200;
  std::string message;
  bool operator==(const Outcome&) const = default;
};

class PutUpload {
 public:
  // Validates the target, creates parent directories and the temp file.
  static std::variant<std::unique_ptr<PutUpload>, Outcome> Begin(const Docroot& docroot,
                                                                 const RequestHead& request);
  ~PutUpload();
  PutUpload(const PutUpload&) = delete;
  PutUpload& operator=(const PutUpload&) = delete;

  // Returns 0 or an errno.
  int Append(const char* data, size_t size);
  // 200 (or 201 when a Content-MD5 matched), 400 on a digest mismatch, 500 on a disk error.
  // The target only changes on 2xx.
  Outcome Finish();
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  PutUpload(std::unique_ptr<AtomicFile> file, std::string expected_md5, bool check_md5);

  std::unique_ptr<AtomicFile> file_;
  std::string expected_md5_;  // base64 without '=' padding
  EVP_MD_CTX* md5_ = nullptr;  // only with a Content-MD5 to check
  uint64_t bytes_written_ = 0;
};

// Base64 of the MD5 digest without '=' padding, as Digest::MD5's b64digest.
std::string Md5Base64(const unsigned char digest[16]);

}  // namespace mog::storage::http
