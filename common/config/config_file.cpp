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

// ^\s*(\w+)\s*=\s*(.+?)\s*$ after stripping '#...'
ConfigLine ParseEqualsLine(std::string_view raw, std::string_view filename, int line_no) {
  std::string_view line = raw;
  if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  line = Trim(line);
  if (line.empty()) return {};
  size_t i = 0;
  while (i < line.size() && IsWordChar(line[i])) ++i;
  std::string_view key = line.substr(0, i);
  std::string_view rest = Trim(line.substr(i));
  if (key.empty() || rest.empty() || rest.front() != '=') {
    Fail(filename, line_no, "Unknown config syntax", raw);
  }
  std::string_view value = Trim(rest.substr(1));
  if (value.empty()) Fail(filename, line_no, "Unknown config syntax", raw);
  return {std::string(key), std::string(value), line_no};
}

// ^\s*([\w.]+)\s+=?\s*(.+?)\s*$ ; lines starting with '#' are comments.
ConfigLine ParseTrackerLine(std::string_view raw, std::string_view filename, int line_no) {
  std::string_view line = Trim(raw);
  if (line.empty() || line.front() == '#') return {};
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
    ConfigLine parsed = dialect == ConfigDialect::kTracker
                            ? ParseTrackerLine(raw, filename, line_no)
                            : ParseEqualsLine(raw, filename, line_no);
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
