#include "storaged/web/secure_link.h"

#include <charconv>
#include <string>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace mog::storage::web {
namespace {

std::string Base64Url(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size - i == 1) {
    const unsigned v = data[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (size - i == 2) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

}  // namespace

std::string SecureLinkHash(std::string_view expires, std::string_view uri,
                           std::string_view secret) {
  std::string input;
  input.reserve(expires.size() + uri.size() + 1 + secret.size());
  input.append(expires).append(uri).append(" ").append(secret);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_md5(), nullptr);
  return Base64Url(digest, length);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool SecureLinkValid(std::string_view md5_arg, std::string_view expires_arg, std::string_view uri,
                     std::string_view secret, std::time_t now) {
  if (md5_arg.empty() || expires_arg.empty() || expires_arg.size() > 19) return false;
  long long expires = 0;
  auto [end, ec] =
      std::from_chars(expires_arg.data(), expires_arg.data() + expires_arg.size(), expires);
  if (ec != std::errc() || end != expires_arg.data() + expires_arg.size() || expires <= 0) {
    return false;
  }
  // nginx accepts the hash with or without base64 padding.
  while (!md5_arg.empty() && md5_arg.back() == '=') md5_arg.remove_suffix(1);
  const bool hash_ok = ConstantTimeEquals(md5_arg, SecureLinkHash(expires_arg, uri, secret));
  return hash_ok && expires >= static_cast<long long>(now);
}

std::string PercentEncodePath(std::string_view decoded) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(decoded.size() * 3 / 2);
  for (unsigned char c : decoded) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string ByKeyTarget(std::string_view domain, std::string_view key, std::string_view secret,
                        long long expires) {
  std::string decoded = "/";
  decoded.append(domain).append("/").append(key);
  std::string target = PercentEncodePath(decoded);
  if (secret.empty()) return target;
  const std::string e = std::to_string(expires);
  return target + "?md5=" + SecureLinkHash(e, decoded, secret) + "&expires=" + e;
}

}  // namespace mog::storage::web
