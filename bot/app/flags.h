// Flags: the small command-line parser every verb uses. `--name value`,
// `--name=value` and boolean `--name`; anything after `--` is positional.
// Unknown flags are errors (the caller prints one line and exits 2).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bot::app {

// Exit codes shared by all verbs.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the work failed (bad data, failed checks)
constexpr int kExitUsage = 2;    // the command line was wrong

class Flags {
 public:
  // `spec` maps each flag name (without dashes) to whether it takes a value.
  static std::optional<Flags> Parse(const std::vector<std::string>& args,
                                    const std::map<std::string, bool>& spec,
                                    std::string* error);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

// Parses a non-negative number; nullopt when `text` is not one.
std::optional<double> ParseNumber(const std::string& text);

}  // namespace bot::app
