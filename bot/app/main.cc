// The `bot` program: dispatches to one verb per file in bot/app/.
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "bot/app/flags.h"
#include "bot/app/verbs.h"

namespace {

struct Verb {
  std::function<int(const bot::app::Args&)> run;
  const char* summary;
};

const std::map<std::string, Verb>& Verbs() {
  static const auto* kVerbs = new std::map<std::string, Verb>{
      {"serve", {bot::app::RunServe, "run the HTTP service"}},
      {"ask", {bot::app::RunAsk, "answer one question"}},
      {"explain", {bot::app::RunExplain, "show how a question is matched and answered"}},
      {"eval", {bot::app::RunEval, "score the bot on a question file (JSON lines)"}},
      {"check", {bot::app::RunCheck, "validate intents and facts (errors, warnings, overlaps)"}},
      {"test", {bot::app::RunTest, "run every example and test file; print coverage"}},
      {"unmatched", {bot::app::RunUnmatched, "group logged fallbacks; name the closest intent"}},
      {"config", {bot::app::RunConfig, "validate the service config; print it, secrets masked"}},
      {"bench", {bot::app::RunBench, "measure answers/s, latency, compile time and memory"}},
      {"telegram", {bot::app::RunTelegram, "set, delete or show the Telegram webhook"}},
  };
  return *kVerbs;
}

std::string Usage() {
  std::string out =
      "usage: bot VERB [flags]   (bot VERB --help for a verb's flags)\n"
      "A question-answering bot about Belarus in the OSCE.\n\nverbs:\n";
  for (const auto& [name, verb] : Verbs()) {
    out += "  " + name + std::string(10 - std::min<size_t>(9, name.size()), ' ') +
           verb.summary + "\n";
  }
  out += "\nEvery verb that reads knowledge takes --intents DIR (default ./intents)\n"
         "and --facts DIR (default ./facts).\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << Usage();
    return bot::app::kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << Usage();
    return bot::app::kExitOk;
  }
  auto it = Verbs().find(args[0]);
  if (it == Verbs().end()) {
    std::cerr << "bot: unknown verb `" << args[0] << "` (see bot --help)\n";
    return bot::app::kExitUsage;
  }
  return it->second.run(bot::app::Args(args.begin() + 1, args.end()));
}
