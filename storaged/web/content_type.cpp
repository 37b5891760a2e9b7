#include "storaged/web/content_type.h"

#include <algorithm>

namespace mog::storage::web {

std::string_view WebContentType(std::string_view key) {
  const size_t slash = key.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size() || name.size() - dot > 9) {
    return "application/octet-stream";
  }
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
    return static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  });
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"bmp", "image/bmp"},
      {"ico", "image/x-icon"},
      {"svg", "image/svg+xml"},
      {"tif", "image/tiff"},
      {"tiff", "image/tiff"},
      {"mp4", "video/mp4"},
      {"m4v", "video/x-m4v"},
      {"webm", "video/webm"},
      {"mov", "video/quicktime"},
      {"ogv", "video/ogg"},
      {"mp3", "audio/mpeg"},
      {"m4a", "audio/mp4"},
      {"ogg", "audio/ogg"},
      {"oga", "audio/ogg"},
      {"wav", "audio/wav"},
      {"flac", "audio/flac"},
      {"json", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css"},
      {"js", "text/javascript"},
      {"mjs", "text/javascript"},
      {"xml", "application/xml"},
      {"pdf", "application/pdf"},
      {"zip", "application/zip"},
      {"gz", "application/gzip"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
  };
  for (const auto& entry : kTypes) {
    if (entry.ext == ext) return entry.type;
  }
  return "application/octet-stream";
}

const std::vector<std::string>& DefaultInlineTypes() {
  static const std::vector<std::string> kDefault = {
      "image/jpeg", "image/png", "image/gif", "image/webp",
      "image/avif", "image/bmp", "video/*",   "audio/*",
  };
  return kDefault;
}

bool IsInlineType(std::string_view content_type, const std::vector<std::string>& inline_types) {
  // Parameters ("; charset=utf-8") do not take part.
  if (const size_t semi = content_type.find(';'); semi != std::string_view::npos) {
    content_type = content_type.substr(0, semi);
  }
  for (const std::string& entry : inline_types) {
    if (entry.size() >= 2 && entry.ends_with("/*")) {
      if (content_type.starts_with(std::string_view(entry).substr(0, entry.size() - 1))) {
        return true;
      }
    } else if (entry == content_type) {
      return true;
    }
  }
  return false;
}

std::string AttachmentDisposition(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const size_t slash = key.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  std::string ascii;
  std::string encoded;
  for (unsigned char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_';
    ascii += plain ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  if (ascii.empty()) return "attachment";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace mog::storage::web
