#include "bot/app/flags.h"

#include <cstdlib>

namespace bot::app {

std::optional<Flags> Flags::Parse(const std::vector<std::string>& args,
                                  const std::map<std::string, bool>& spec,
                                  std::string* error) {
  Flags flags;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positional || arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
      if (!only_positional && arg.size() > 1 && arg[0] == '-' && arg != "-") {
        *error = "unknown flag `" + arg + "` (flags start with --; see --help)";
        return std::nullopt;
      }
      flags.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = spec.find(name);
    if (it == spec.end()) {
      *error = "unknown flag `--" + name + "` (see --help)";
      return std::nullopt;
    }
    if (it->second) {
      if (!value) {
        if (i + 1 >= args.size()) {
          *error = "flag `--" + name + "` needs a value";
          return std::nullopt;
        }
        value = args[++i];
      }
      flags.values_[name] = *value;
    } else {
      if (value) {
        *error = "flag `--" + name + "` takes no value";
        return std::nullopt;
      }
      flags.values_[name] = "true";
    }
  }
  return flags;
}

std::string Flags::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !(v >= 0) || v > 1e9) return std::nullopt;
  return v;
}

}  // namespace bot::app
