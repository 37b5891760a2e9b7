#include "common/protocol/line_codec.h"

#include <cctype>

namespace mog {
namespace {

// Perl's \s (without the vertical-tab subtleties that never matter on this protocol).
bool IsPerlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Perl's \w in byte semantics.
bool IsWordChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_';
}

std::string_view SkipSpaces(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsPerlSpace(s[i])) ++i;
  return s.substr(i);
}

// Shared by both directions; the server drops Perl-false pieces ("" and "0"), the client only
// empty ones (Perl's split already does that for trailing ones).
RequestArgs DecodePairs(std::string_view encoded, bool drop_zero_pieces) {
  RequestArgs args;
  size_t start = 0;
  while (start <= encoded.size()) {
    size_t amp = encoded.find('&', start);
    if (amp == std::string_view::npos) amp = encoded.size();
    std::string_view piece = encoded.substr(start, amp - start);
    start = amp + 1;
    if (piece.empty() || (drop_zero_pieces && piece == "0")) continue;
    // split /=/: first field is the name, second the value, the rest is discarded.
    const size_t eq = piece.find('=');
    std::string_view name = piece.substr(0, eq);
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = piece.substr(eq + 1);
      value = value.substr(0, value.find('='));
    }
    args.Add(UrlDecode(name), UrlDecode(value));
  }
  return args;
}

}  // namespace

void RequestArgs::Add(std::string name, std::string value) {
  for (auto& [n, v] : items_) {
    if (n == name) {
      if (PerlTrue(v)) v.push_back('\0');
      v += value;
      return;
    }
  }
  items_.emplace_back(std::move(name), std::move(value));
}

void RequestArgs::Set(const std::string& name, std::string value) {
  for (auto& [n, v] : items_) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  items_.emplace_back(name, std::move(value));
}

const std::string* RequestArgs::Find(std::string_view name) const {
  for (const auto& [n, v] : items_) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::string RequestArgs::Get(std::string_view name) const {
  const std::string* v = Find(name);
  return v ? *v : std::string();
}

std::optional<std::string> RequestArgs::GetOpt(std::string_view name) const {
  const std::string* v = Find(name);
  if (!v) return std::nullopt;
  return *v;
}

bool RequestArgs::Truthy(std::string_view name) const {
  const std::string* v = Find(name);
  return v && PerlTrue(*v);
}

RequestArgs DecodeArgs(std::string_view encoded) { return DecodePairs(encoded, true); }

RequestLine ParseRequestLine(std::string_view line) {
  RequestLine out;
  if (line.empty()) return out;
  if (line[0] == '!') {
    // ^!(\S+)(?:\s+(.+))?$ ; a line that fails this pattern is handed on as a query.
    size_t i = 1;
    while (i < line.size() && !IsPerlSpace(line[i])) ++i;
    std::string_view name = line.substr(1, i - 1);
    std::string_view rest = line.substr(i);
    std::string_view args = SkipSpaces(rest);
    const bool rest_ok = rest.empty() || !args.empty();
    if (!name.empty() && rest_ok) {
      out.kind = LineKind::kAdmin;
      out.verb = std::string(name);
      out.raw_args = std::string(args);
      return out;
    }
  }
  out.kind = LineKind::kQuery;
  std::string_view s = SkipSpaces(line);
  size_t i = 0;
  while (i < s.size() && IsWordChar(s[i])) ++i;
  if (i == 0) return out;  // no verb: unknown_command
  out.verb.reserve(i);
  for (size_t k = 0; k < i; ++k) {
    out.verb.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[k]))));
  }
  out.raw_args = std::string(SkipSpaces(s.substr(i)));
  return out;
}

std::optional<std::string> TakeLine(std::string* buffer) {
  const size_t nl = buffer->find('\n');
  if (nl == std::string::npos) return std::nullopt;
  size_t end = nl;
  if (end > 0 && (*buffer)[end - 1] == '\r') --end;
  std::string line = buffer->substr(0, end);
  buffer->erase(0, nl + 1);
  return line;
}

std::string EncodeOk(const ArgList& args, const std::optional<std::string>& callid) {
  std::string out = "OK ";
  out += EncodeArgs(args);
  if (callid) {
    if (!args.empty()) out.push_back('&');
    out += "callid=";
    out += UrlEncode(*callid);
  }
  out += "\r\n";
  return out;
}

std::string EncodeErr(Errc code, std::string_view message,
                      const std::optional<std::string>& callid) {
  std::string out = "ERR ";
  out += ErrcToken(code);
  out.push_back(' ');
  // Upstream uses `shift || default`, so a message of "0" also falls back to the default.
  out += UrlEncode(PerlTrue(message) ? message : ErrcDefaultText(code));
  if (callid) {
    out.push_back(' ');
    out += UrlEncode(*callid);
  }
  out += "\r\n";
  return out;
}

std::string EncodeErr(const Error& error, const std::optional<std::string>& callid) {
  return EncodeErr(error.code(), error.message(), callid);
}

std::string EncodeRequest(std::string_view verb, const ArgList& args) {
  std::string out(verb);
  out.push_back(' ');
  out += EncodeArgs(args);
  out += "\r\n";
  return out;
}

Reply ParseReply(std::string_view line) {
  Reply reply;
  auto token_after = [](std::string_view s) {
    size_t i = 0;
    while (i < s.size() && !IsPerlSpace(s[i])) ++i;
    return s.substr(0, i);
  };
  if (line.starts_with("OK") && line.size() > 2 && IsPerlSpace(line[2])) {
    // ^OK\s+\d*\s*(\S*)
    std::string_view rest = SkipSpaces(line.substr(2));
    size_t i = 0;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])) != 0) ++i;
    rest = SkipSpaces(rest.substr(i));
    reply.ok = true;
    reply.args = DecodePairs(token_after(rest), false);
    return reply;
  }
  if (line.starts_with("ERR") && line.size() > 3 && IsPerlSpace(line[3])) {
    // ^ERR\s+(\w+)\s*(\S*)
    std::string_view rest = SkipSpaces(line.substr(3));
    size_t i = 0;
    while (i < rest.size() && IsWordChar(rest[i])) ++i;
    if (i > 0) {
      reply.errcode = std::string(rest.substr(0, i));
      reply.errstr = UrlDecode(token_after(SkipSpaces(rest.substr(i))));
      return reply;
    }
  }
  reply.malformed = true;
  return reply;
}

}  // namespace mog
