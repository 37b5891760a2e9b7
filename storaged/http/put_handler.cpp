#include "storaged/http/put_handler.h"

#include <openssl/evp.h>

#include <cstring>

namespace mog::storage::http {

std::string Md5Base64(const unsigned char digest[16]) {
  unsigned char out[32] = {};
  int n = EVP_EncodeBlock(out, digest, 16);
  std::string b64(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  return b64;
}

std::variant<std::unique_ptr<PutUpload>, Outcome> PutUpload::Begin(const Docroot& docroot,
                                                                   const RequestHead& request) {
  auto target = ParsePutTarget(request.target);
  if (auto* refusal = std::get_if<Refusal>(&target)) {
    return Outcome{refusal->status, refusal->message};
  }
  auto path = Docroot::Parse(std::get<std::string>(target));
  if (!path.ok()) {
    if (path.failure.kind == PathError::kNotDevice) {
      return Outcome{404, "Base directory does not exist"};  // only dev<N> trees are writable
    }
    return Outcome{400, "Invalid filename"};
  }
  auto dir = docroot.OpenParentDir(*path.value, /*create_missing=*/true);
  if (!dir.ok()) {
    const PathFailure& f = dir.failure;
    if (f.kind == PathError::kNotFound && f.err != ENOTDIR) {
      // dev<N> missing (a directory level in the way would be ENOTDIR).
      return Outcome{404, "Base directory does not exist"};
    }
    if (f.kind == PathError::kEscape) return Outcome{403, ""};
    return Outcome{500, "Unable to create directory"};
  }
  auto file = std::make_unique<AtomicFile>(*dir.value, path.value->parts.back());
  if (!file->ok()) return Outcome{500, "Internal error"};

  std::string expected;
  if (!request.content_md5.empty()) {
    // Perlbal strips trailing '=' padding (and whitespace) before comparing.
    expected = request.content_md5;
    while (!expected.empty() && (expected.back() == '=' || expected.back() == ' ' ||
                                 expected.back() == '\t')) {
      expected.pop_back();
    }
  }
  const bool check_md5 = !request.content_md5.empty();
  return std::unique_ptr<PutUpload>(
      new PutUpload(std::move(file), std::move(expected), check_md5));
}

PutUpload::PutUpload(std::unique_ptr<AtomicFile> file, std::string expected_md5, bool check_md5)
    : file_(std::move(file)), expected_md5_(std::move(expected_md5)) {
  // Digest only when there is something to check it against (as Perlbal): MD5 of a large
  // body is the most expensive thing a PUT does after the fsync.
  if (check_md5) {
    md5_ = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md5_, EVP_md5(), nullptr);
  }
}

PutUpload::~PutUpload() { EVP_MD_CTX_free(md5_); }

int PutUpload::Append(const char* data, size_t size) {
  if (md5_) EVP_DigestUpdate(md5_, data, size);
  int err = file_->Write(data, size);
  if (err == 0) bytes_written_ += size;
  return err;
}

Outcome PutUpload::Finish() {
  const bool check_md5 = md5_ != nullptr;
  if (check_md5) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_DigestFinal_ex(md5_, digest, &digest_len);
    std::string actual = Md5Base64(digest);
    if (actual != expected_md5_) {
      file_->Abort();
      return {400, "Content-MD5 mismatch, expected: " + expected_md5_ + " actual: " + actual};
    }
  }
  if (file_->Commit() != 0) return {500, "Error saving file"};
  return {check_md5 ? 201 : 200, ""};
}

}  // namespace mog::storage::http
