// `bot config check [--config FILE]`: validates the service configuration
// (file + BOT_* environment) and prints the effective values, secrets masked.
#include <iostream>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/edge/config.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot config check [--config FILE]\n"
    "Validates the service configuration: defaults, then FILE (YAML, see\n"
    "deploy/README.md), then BOT_* environment variables. Prints every effective\n"
    "value with where it came from; secrets (environment only) are shown as\n"
    "<set, masked> or <unset>. Exit 0 when valid, 1 when not.\n";

}  // namespace

int RunConfig(const Args& args) {
  if (args.empty() || args[0] != "check") {
    bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
    (help ? std::cout : std::cerr) << kUsage;
    return help ? kExitOk : kExitUsage;
  }
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags("config check", kUsage, Args(args.begin() + 1, args.end()),
                              {{"config", true}, {"help", false}}, &exit_code);
  if (!flags) return exit_code;
  edge::LoadedConfig loaded = edge::LoadConfig(flags->Get("config"), edge::BotEnvironment());
  // Errors and warnings alike, one a line.
  std::cerr << edge::FormatDiagnostics(loaded.diagnostics);
  if (!loaded.ok()) {
    std::cerr << "bot config check: the configuration is invalid\n";
    return kExitFailure;
  }
  std::cout << "config: " << (flags->Has("config") ? flags->Get("config") : "(none: defaults)")
            << "\n"
            << edge::FormatConfig(loaded) << "ok\n";
  return kExitOk;
}

}  // namespace bot::app
