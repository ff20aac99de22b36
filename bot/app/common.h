// Helpers shared by the verbs: the data-directory flags and loading the
// knowledge with errors printed the same way everywhere.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "bot/app/flags.h"
#include "bot/core/knowledge.h"
#include "bot/edge/yaml_loader.h"

namespace bot::app {

// Flag spec entries every verb that reads knowledge accepts.
std::map<std::string, bool> KnowledgeFlagSpec(std::map<std::string, bool> extra);

edge::KnowledgeSources SourcesFrom(const Flags& flags);

// Loads the knowledge named by the flags. On failure prints every error (one
// per line, file:line:column) to stderr and returns nullptr.
std::shared_ptr<const core::Knowledge> LoadOrReport(const Flags& flags);

// Parses the verb's flags. Returns nullopt after printing usage (exit code in
// `exit_code`: 0 for --help, 2 for a usage error).
std::optional<Flags> ParseVerbFlags(const std::string& verb, const std::string& usage,
                                    const std::vector<std::string>& args,
                                    const std::map<std::string, bool>& spec,
                                    int* exit_code);

}  // namespace bot::app
