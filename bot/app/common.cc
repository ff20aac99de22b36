#include "bot/app/common.h"

#include <iostream>

namespace bot::app {

std::map<std::string, bool> KnowledgeFlagSpec(std::map<std::string, bool> extra) {
  extra["intents"] = true;
  extra["facts"] = true;
  extra["help"] = false;
  return extra;
}

edge::KnowledgeSources SourcesFrom(const Flags& flags) {
  edge::KnowledgeSources sources;
  sources.intents_dir = flags.Get("intents", "intents");
  sources.facts_dir = flags.Get("facts", "facts");
  return sources;
}

std::shared_ptr<const core::Knowledge> LoadOrReport(const Flags& flags) {
  auto loaded = edge::LoadKnowledge(SourcesFrom(flags));
  if (!loaded.ok()) {
    std::cerr << loaded.status().message() << "\n"
              << "bot: the knowledge has errors; run `bot check` for details\n";
    return nullptr;
  }
  return loaded.value();
}

std::optional<Flags> ParseVerbFlags(const std::string& verb, const std::string& usage,
                                    const std::vector<std::string>& args,
                                    const std::map<std::string, bool>& spec,
                                    int* exit_code) {
  std::string error;
  auto flags = Flags::Parse(args, spec, &error);
  if (!flags) {
    std::cerr << "bot " << verb << ": " << error << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (flags->Has("help")) {
    std::cout << usage;
    *exit_code = kExitOk;
    return std::nullopt;
  }
  return flags;
}

}  // namespace bot::app
