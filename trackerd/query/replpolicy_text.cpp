#include "trackerd/query/replpolicy_text.h"

#include <cctype>

namespace mog::tracker {
namespace {

constexpr std::string_view kPrefix = "MogileFS::ReplicationPolicy::";

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// `^\s*\(\s*(\d*)\s*\)\s*`; advances `s` past it.
bool EatCountArgs(std::string_view* s) {
  size_t i = 0;
  auto skip = [&] {
    while (i < s->size() && IsSpace((*s)[i])) ++i;
  };
  skip();
  if (i >= s->size() || (*s)[i] != '(') return false;
  ++i;
  skip();
  while (i < s->size() && std::isdigit(static_cast<unsigned char>((*s)[i])) != 0) ++i;
  skip();
  if (i >= s->size() || (*s)[i] != ')') return false;
  ++i;
  skip();
  s->remove_prefix(i);
  return true;
}

std::optional<std::string> Parse(std::string_view* s);

// Union(policy, policy, ...)
std::optional<std::string> ParseUnion(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && IsSpace((*s)[i])) ++i;
  if (i >= s->size() || (*s)[i] != '(') {
    return std::string(kPrefix) + "Union failed to parse args: " + std::string(*s);
  }
  s->remove_prefix(i + 1);
  while (true) {
    if (auto err = Parse(s)) return err;
    i = 0;
    while (i < s->size() && IsSpace((*s)[i])) ++i;
    if (i < s->size() && (*s)[i] == ',') {
      s->remove_prefix(i + 1);
      continue;
    }
    if (i < s->size() && (*s)[i] == ')') {
      s->remove_prefix(i + 1);
      return std::nullopt;
    }
    return std::string(kPrefix) + "Union failed to parse args: " + std::string(*s);
  }
}

std::optional<std::string> Parse(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && IsSpace((*s)[i])) ++i;
  size_t start = i;
  while (i < s->size() &&
         (std::isalnum(static_cast<unsigned char>((*s)[i])) != 0 || (*s)[i] == '_' ||
          (*s)[i] == ':')) {
    ++i;
  }
  if (i == start) return "Failed to parse policy string: " + std::string(*s);
  std::string name(s->substr(start, i - start));
  if (name.find(':') == std::string::npos) name = std::string(kPrefix) + name;
  s->remove_prefix(i);
  if (name == std::string(kPrefix) + "Union") return ParseUnion(s);
  if (name != std::string(kPrefix) + "MultipleHosts" &&
      name != std::string(kPrefix) + "MultipleDevices") {
    return "Failed to load replication policy class " + name + ": not available\n";
  }
  if (!EatCountArgs(s)) return name + " failed to parse args: " + std::string(*s);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ReplPolicyError(std::string_view policy) {
  std::string_view s = policy;
  return Parse(&s);  // trailing text is ignored, as upstream
}

}  // namespace mog::tracker
