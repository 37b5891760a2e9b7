#include "bench/load/response_head.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mog::bench {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// True if the comma-separated header value lists `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (EqualsNoCase(Trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

HeadResult Malformed(std::string error) {
  HeadResult r;
  r.state = HeadParse::kMalformed;
  r.error = std::move(error);
  return r;
}

}  // namespace

HeadResult ParseResponseHead(std::string_view bytes, bool request_was_head) {
  // Servers end the head with CRLF CRLF; a bare LF LF is tolerated as HTTP/1.1 allows.
  size_t end = bytes.find("\r\n\r\n");
  size_t head_size = end == std::string_view::npos ? 0 : end + 4;
  if (end == std::string_view::npos) {
    size_t lf = bytes.find("\n\n");
    if (lf == std::string_view::npos) return HeadResult{};
    end = lf;
    head_size = lf + 2;
  }
  std::string_view head_text = bytes.substr(0, end);

  size_t line_end = head_text.find('\n');
  std::string_view status_line = Trim(head_text.substr(0, line_end));
  // "HTTP/1.x SSS[ reason]"
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") ||
      !std::isdigit(static_cast<unsigned char>(status_line[7])) || status_line[8] != ' ') {
    return Malformed("bad status line: " + std::string(status_line.substr(0, 80)));
  }
  HeadResult result;
  ResponseHead& head = result.head;
  head.minor_version = status_line[7] - '0';
  std::string_view code = status_line.substr(9, 3);
  auto [ptr, ec] = std::from_chars(code.data(), code.data() + code.size(), head.status);
  if (ec != std::errc() || ptr != code.data() + 3 || head.status < 100 || head.status > 999 ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    return Malformed("bad status code: " + std::string(status_line.substr(0, 80)));
  }

  bool connection_close = false;
  bool connection_keep_alive = false;
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view() : head_text.substr(line_end + 1);
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Malformed("bad header line: " + std::string(line.substr(0, 80)));
    }
    std::string_view name = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsNoCase(name, "Content-Length")) {
      uint64_t length = 0;
      auto [p, e] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (e != std::errc() || p != value.data() + value.size() || value.empty()) {
        return Malformed("bad Content-Length: " + std::string(value.substr(0, 40)));
      }
      if (head.content_length && *head.content_length != length) {
        return Malformed("conflicting Content-Length headers");
      }
      head.content_length = length;
    } else if (EqualsNoCase(name, "Transfer-Encoding")) {
      head.chunked = HasToken(value, "chunked");
    } else if (EqualsNoCase(name, "Connection")) {
      connection_close = connection_close || HasToken(value, "close");
      connection_keep_alive = connection_keep_alive || HasToken(value, "keep-alive");
    }
  }

  bool persistent = head.minor_version >= 1 ? !connection_close
                                            : (connection_keep_alive && !connection_close);
  // Without a length the body is delimited by EOF, so the connection cannot be reused.
  bool delimited = ExpectedBodyBytes(head, request_was_head).has_value();
  head.keep_alive = persistent && delimited && !head.chunked;
  head.head_size = head_size;
  result.state = HeadParse::kComplete;
  return result;
}

std::optional<uint64_t> ExpectedBodyBytes(const ResponseHead& head, bool request_was_head) {
  if (request_was_head || head.status < 200 || head.status == 204 || head.status == 304) {
    return 0;
  }
  if (head.chunked) return std::nullopt;
  return head.content_length;
}

}  // namespace mog::bench
