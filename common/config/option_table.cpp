#include "common/config/option_table.h"

#include <sstream>

namespace mog {

std::optional<std::string> Settings::Raw(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

OptionTable::OptionTable(std::string program, std::vector<OptionSpec> specs)
    : program_(std::move(program)), specs_(std::move(specs)) {}

const OptionSpec* OptionTable::Find(std::string_view name, bool allow_prefix) const {
  for (const auto& spec : specs_) {
    if (spec.name == name) return &spec;
    for (const auto& alias : spec.aliases) {
      if (alias == name) return &spec;
    }
  }
  if (!allow_prefix || name.size() < 2) return nullptr;
  const OptionSpec* found = nullptr;
  for (const auto& spec : specs_) {
    bool match = spec.name.starts_with(name);
    for (const auto& alias : spec.aliases) match = match || (alias.size() > 1 && alias.starts_with(name));
    if (match) {
      if (found && found != &spec) return nullptr;  // ambiguous prefix
      found = &spec;
    }
  }
  return found;
}

Settings OptionTable::ParseCommandLine(int argc, const char* const* argv,
                                       std::vector<std::string>* positional) const {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) {
        if (!positional) throw ConfigError("Unexpected argument: " + std::string(argv[i]));
        positional->emplace_back(argv[i]);
      }
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      if (!positional) throw ConfigError("Unexpected argument: " + std::string(arg));
      positional->emplace_back(arg);
      continue;
    }
    std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> inline_value;
    if (auto eq = body.find('='); eq != std::string_view::npos) {
      inline_value = std::string(body.substr(eq + 1));
      body = body.substr(0, eq);
    }
    const OptionSpec* spec = Find(body, true);
    bool negated = false;
    if (!spec && (body.starts_with("no"))) {
      std::string_view base = body.substr(body.starts_with("no-") || body.starts_with("no_") ? 3 : 2);
      spec = Find(base, true);
      negated = spec && spec->kind == OptionKind::kFlag && spec->negatable;
      if (!negated) spec = nullptr;
    }
    if (!spec) throw ConfigError("Unknown option: " + std::string(arg));
    std::string value;
    switch (spec->kind) {
      case OptionKind::kFlag:
        if (inline_value) throw ConfigError("Option " + spec->name + " does not take an argument");
        value = negated ? "0" : "1";
        break;
      case OptionKind::kOptionalValue:
        value = inline_value.value_or("");
        break;
      case OptionKind::kValue:
      case OptionKind::kList:
        if (inline_value) {
          value = *inline_value;
        } else if (i + 1 < argc) {
          value = argv[++i];
        } else {
          throw ConfigError("Option " + spec->name + " requires an argument");
        }
        break;
    }
    if (spec->kind == OptionKind::kList && settings.Has(spec->name)) {
      value = *settings.Raw(spec->name) + "," + value;
    }
    settings.Set(spec->name, std::move(value));
  }
  return settings;
}

void OptionTable::ApplyConfig(const std::vector<ConfigLine>& lines, std::string_view filename,
                              Settings* settings, bool override_existing) const {
  for (const auto& line : lines) {
    const OptionSpec* spec = Find(line.key, true);
    if (!spec || !spec->in_config_file) {
      std::ostringstream msg;
      msg << filename << ":" << line.line << ": Unknown config setting: " << line.key;
      throw ConfigError(msg.str());
    }
    if (override_existing || !settings->Has(spec->name)) settings->Set(spec->name, line.value);
  }
}

std::string OptionTable::Get(const Settings& settings, const std::string& name) const {
  if (auto raw = settings.Raw(name)) return *raw;
  if (const OptionSpec* spec = Find(name, false)) return spec->default_value;
  return {};
}

long long OptionTable::GetInt(const Settings& settings, const std::string& name) const {
  const std::string text = Get(settings, name);
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return v;
  } catch (const std::exception&) {
    throw ConfigError("Option " + name + " must be an integer, got '" + text + "'");
  }
}

bool OptionTable::GetBool(const Settings& settings, const std::string& name) const {
  const std::string v = Get(settings, name);
  return !v.empty() && v != "0";
}

std::string OptionTable::Help() const {
  std::ostringstream out;
  out << "Usage: " << program_ << " [OPTIONS]\n\nOptions:\n";
  for (const auto& spec : specs_) {
    std::string names = "--" + spec.name;
    for (const auto& alias : spec.aliases) names += (alias.size() == 1 ? ", -" : ", --") + alias;
    if (spec.kind == OptionKind::kValue || spec.kind == OptionKind::kList) names += "=VALUE";
    if (spec.kind == OptionKind::kOptionalValue) names += "[=VALUE]";
    out << "  " << names;
    if (names.size() < 30) out << std::string(30 - names.size(), ' ');
    else out << "\n" << std::string(32, ' ');
    out << spec.help;
    if (!spec.default_value.empty()) out << " (default: " << spec.default_value << ")";
    out << "\n";
  }
  return out.str();
}

}  // namespace mog
