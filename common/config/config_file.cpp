#include "common/config/config_file.h"

#include <fstream>
#include <sstream>

namespace mog {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

[[noreturn]] void Fail(std::string_view filename, int line, std::string_view what,
                       std::string_view text) {
  std::ostringstream msg;
  msg << filename << ":" << line << ": " << what << ": " << text;
  throw ConfigError(msg.str());
}

// The text before the line's comment. hash_anywhere: s/#.*// (mogstored, the Utils tools);
// else a '#' first on the line, or s/\s+#.*// (mogilefsd, mogstats).
std::string_view StripComment(std::string_view line, bool hash_anywhere) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '#') continue;
    if (hash_anywhere || i == 0) return line.substr(0, i);
    if (IsSpace(line[i - 1])) {
      while (i > 0 && IsSpace(line[i - 1])) --i;
      return line.substr(0, i);
    }
  }
  return line;
}

// ^\s*(\w+)\s*=\s*(.+?)\s*$ after stripping the comment. A line that does not match is an
// error (strict, mogstored) or skipped (the tools).
ConfigLine ParseEqualsLine(std::string_view raw, std::string_view filename, int line_no,
                           bool hash_anywhere, bool strict) {
  std::string_view line = Trim(StripComment(raw, hash_anywhere));
  if (line.empty()) return {};
  size_t i = 0;
  while (i < line.size() && IsWordChar(line[i])) ++i;
  std::string_view key = line.substr(0, i);
  std::string_view rest = Trim(line.substr(i));
  if (key.empty() || rest.empty() || rest.front() != '=') {
    if (strict) Fail(filename, line_no, "Unknown config syntax", raw);
    return {};
  }
  std::string_view after = StripComment(raw, hash_anywhere);
  after = after.substr(after.find('=') + 1);
  std::string_view value = Trim(after);
  if (value.empty() && (strict || after.empty())) {
    if (strict) Fail(filename, line_no, "Unknown config syntax", raw);
    return {};
  }
  // The Utils tools' Perl regex backtracks onto the last blank: `class = # x` gives " ".
  if (value.empty()) value = after.substr(after.size() - 1);
  return {std::string(key), std::string(value), line_no};
}

// ^\s*([\w.]+)\s+=?\s*(.+?)\s*$ after stripping the comment.
ConfigLine ParseTrackerLine(std::string_view raw, std::string_view filename, int line_no) {
  std::string_view line = Trim(StripComment(raw, /*hash_anywhere=*/false));
  if (line.empty()) return {};
  size_t i = 0;
  while (i < line.size() && (IsWordChar(line[i]) || line[i] == '.')) ++i;
  std::string_view key = line.substr(0, i);
  if (key.empty() || i >= line.size() || !IsSpace(line[i])) {
    Fail(filename, line_no, "Malformed config file", raw);
  }
  std::string_view rest = Trim(line.substr(i));
  if (!rest.empty() && rest.front() == '=') rest = Trim(rest.substr(1));
  if (rest.empty()) Fail(filename, line_no, "Malformed config file", raw);
  return {std::string(key), std::string(rest), line_no};
}

ConfigLine ParseLine(std::string_view raw, ConfigDialect dialect, std::string_view filename,
                     int line_no) {
  switch (dialect) {
    case ConfigDialect::kTracker:
      return ParseTrackerLine(raw, filename, line_no);
    case ConfigDialect::kEqualsWithComments:
      return ParseEqualsLine(raw, filename, line_no, /*hash_anywhere=*/true, /*strict=*/true);
    case ConfigDialect::kUtils:
      return ParseEqualsLine(raw, filename, line_no, /*hash_anywhere=*/true, /*strict=*/false);
    case ConfigDialect::kMogstats:
      return ParseEqualsLine(raw, filename, line_no, /*hash_anywhere=*/false, /*strict=*/false);
  }
  return {};
}

}  // namespace

std::vector<ConfigLine> ParseConfigText(std::string_view text, ConfigDialect dialect,
                                        std::string_view filename) {
  std::vector<ConfigLine> out;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    ++line_no;
    ConfigLine parsed = ParseLine(raw, dialect, filename, line_no);
    if (!parsed.key.empty()) out.push_back(std::move(parsed));
    if (end == text.size()) break;
    pos = end + 1;
  }
  return out;
}

std::vector<ConfigLine> ReadConfigFile(const std::string& path, ConfigDialect dialect) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("Config file " + path + " doesn't exist.");
  std::ostringstream buf;
  buf << in.rdbuf();
  return ParseConfigText(buf.str(), dialect, path);
}

}  // namespace mog
