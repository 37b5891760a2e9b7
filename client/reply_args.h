// The decoded `k=v` pairs of a tracker's OK line, with typed accessors. Repeated names are
// joined with '\0' as MogileFS::Backend does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mog::client {

class ReplyArgs {
 public:
  ReplyArgs() = default;
  explicit ReplyArgs(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  // "" when absent, as Perl's undef prints.
  std::string Get(const std::string& name) const;
  // Perl numification of the leading digits ("12abc" -> 12, "" -> 0).
  int64_t GetInt(const std::string& name) const;
  std::optional<std::string> Find(const std::string& name) const;
  const std::map<std::string, std::string>& values() const { return values_; }
  void Set(const std::string& name, std::string value) { values_[name] = std::move(value); }

 private:
  std::map<std::string, std::string> values_;
};

// Perl-style numification: optional sign then leading digits; anything else is 0.
int64_t PerlInt(const std::string& text);

}  // namespace mog::client
