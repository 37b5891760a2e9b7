#include "storaged/http/response.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>

namespace mog::storage::http {
namespace {

bool ContainsToken(std::string_view value, std::string_view token) {
  // Perlbal matches /\b<token>\b/i; header values are short, a case-insensitive scan will do.
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (size_t i = 0; i + token.size() <= value.size(); ++i) {
    bool match = true;
    for (size_t j = 0; j < token.size() && match; ++j) match = lower(value[i + j]) == token[j];
    if (!match) continue;
    bool left_ok = i == 0 || !is_word(value[i - 1]) || !is_word(token.front());
    size_t end = i + token.size();
    bool right_ok = end == value.size() || !is_word(value[end]) || !is_word(token.back());
    if (left_ok && right_ok) return true;
  }
  return false;
}

}  // namespace

std::string_view StatusText(int code) {
  switch (code) {
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Permanent Redirect";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 416: return "Request range not satisfiable";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

std::string HttpDate(std::time_t t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string_view HttpDateMemo::Get(std::time_t t) {
  if (t != time_ || text_.empty()) {
    text_ = HttpDate(t);
    time_ = t;
  }
  return text_;
}

HeadWriter::HeadWriter(int code) {
  out_.reserve(384);  // a file response's head is ~300 bytes
  out_ += "HTTP/1.0 ";
  AddDecimal(code);
  out_ += ' ';
  out_ += StatusText(code);
  out_ += "\r\n";
}

HeadWriter::HeadWriter(std::string_view version, int code, std::string_view reason) {
  out_.reserve(512);
  out_ += version;
  out_ += ' ';
  AddDecimal(code);
  out_ += ' ';
  out_ += reason;
  out_ += "\r\n";
}

void HeadWriter::AddDecimal(uint64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out_.append(digits, end);
}

void HeadWriter::Add(std::string_view name, std::string_view value) {
  out_ += name;
  out_ += ": ";
  out_ += value;
  out_ += "\r\n";
}

void HeadWriter::AddNumber(std::string_view name, uint64_t value) {
  out_ += name;
  out_ += ": ";
  AddDecimal(value);
  out_ += "\r\n";
}

void HeadWriter::AddConnection(bool keep_alive) {
  if (keep_alive) {
    Add("Connection", "keep-alive");
    Add("Keep-Alive", "timeout=30, max=100");
  } else {
    Add("Connection", "close");
  }
}

std::string HeadWriter::Finish() && {
  out_ += "\r\n";
  return std::move(out_);
}

std::string SerializeHead(int code, const HeaderList& headers) {
  HeadWriter writer(code);
  for (const auto& [name, value] : headers) writer.Add(name, value);
  return std::move(writer).Finish();
}

bool ClientWantsKeepAlive(const RequestHead& request) {
  if (request.version < 11 && !ContainsToken(request.connection, "keep-alive")) return false;
  return !ContainsToken(request.connection, "close");
}

void AddConnectionHeaders(bool keep_alive, HeaderList* headers) {
  if (keep_alive) {
    headers->emplace_back("Connection", "keep-alive");
    headers->emplace_back("Keep-Alive", "timeout=30, max=100");
  } else {
    headers->emplace_back("Connection", "close");
  }
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Response SimpleResponse(int code, std::string_view message, const RequestHead& request,
                        bool body_unread) {
  Response response;
  response.status = code;
  HeaderList headers;
  std::string body;
  if (code != 204 && code != 304) {
    body = "<h1>" + std::to_string(code);
    std::string_view text = StatusText(code);
    if (!text.empty()) {
      body += " - ";
      body += text;
    }
    body += "</h1>\n";
    body += message;
    headers.emplace_back("Content-Type", "text/html");
    headers.emplace_back("Content-Length", std::to_string(body.size()));
  }
  headers.emplace_back("Server", "Perlbal");
  // Every simple response has a length (or is a 204/304), so only the client's wish and an
  // unread request body decide.
  response.keep_alive = !body_unread && ClientWantsKeepAlive(request);
  AddConnectionHeaders(response.keep_alive, &headers);
  response.head = SerializeHead(code, headers);
  if (!request.IsHead()) response.body = std::move(body);
  return response;
}

}  // namespace mog::storage::http
