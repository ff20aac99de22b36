// `bot check`: every problem in the intents and facts, one a line, in the
// file:line:column form compilers use (or a JSON array with --json).
#include <algorithm>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>
#include <tuple>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/core/checker.h"
#include "bot/core/translation.h"
#include "bot/edge/json_codec.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot check [--intents DIR] [--facts DIR] [--json] [--strict] [--all-overlaps]\n"
    "Validates the knowledge: YAML syntax, keys, patterns, ids, fact and capture\n"
    "references, every example and counter-example, and warns about unreachable\n"
    "facts, intents without examples, patterns that match everything or nothing,\n"
    "and intents that overlap (with a witness question; overlaps that `priority`\n"
    "already settles only with --all-overlaps). One problem a line:\n"
    "  file:line:column: error|warning: message [code]\n"
    "Exit status 1 on any error (with --strict also on warnings), else 0.\n";

bool Before(const core::Diagnostic& a, const core::Diagnostic& b) {
  return std::tie(a.where.file, a.where.line, a.where.column) <
         std::tie(b.where.file, b.where.line, b.where.column);
}

nlohmann::json ToJson(const core::Diagnostic& d) {
  return {{"file", d.where.file},
          {"line", d.where.line},
          {"column", d.where.column},
          {"severity", d.severity == core::Diagnostic::Severity::kError ? "error" : "warning"},
          {"code", d.code},
          {"message", d.message}};
}

}  // namespace

int RunCheck(const Args& args) {
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags("check", kUsage, args,
                              KnowledgeFlagSpec({{"json", false}, {"strict", false}, {"all-overlaps", false}}),
                              &exit_code);
  if (!flags) return exit_code;
  if (!flags->positional().empty()) {
    std::cerr << "bot check: takes no arguments besides flags (see --help)\n";
    return kExitUsage;
  }
  std::vector<core::Diagnostic> diagnostics;
  auto knowledge = edge::BuildKnowledgeFromFiles(SourcesFrom(*flags), &diagnostics);
  core::CheckOptions options;
  options.all_overlaps = flags->Has("all-overlaps");
  // Warnings about a knowledge that does not even load (e.g. facts that look
  // unreachable because an intents file failed to parse) would only mislead.
  options.warnings = !core::HasErrors(diagnostics);
  core::Check(*knowledge, options, &diagnostics);
  std::optional<core::TranslationCoverage> translations;
  if (options.warnings) translations = core::CheckTranslations(*knowledge, &diagnostics);
  std::stable_sort(diagnostics.begin(), diagnostics.end(), Before);
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end(),
                                [](const core::Diagnostic& a, const core::Diagnostic& b) {
                                  return core::FormatDiagnostic(a) ==
                                         core::FormatDiagnostic(b);
                                }),
                    diagnostics.end());
  size_t errors = 0, warnings = 0;
  for (const auto& d : diagnostics) {
    (d.severity == core::Diagnostic::Severity::kError ? errors : warnings)++;
  }
  if (flags->Has("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : diagnostics) out.push_back(ToJson(d));
    std::cout << edge::Dump(out, 2) << "\n";
  } else {
    for (const auto& d : diagnostics) std::cout << core::FormatDiagnostic(d) << "\n";
  }
  std::cerr << "bot check: " << errors << " error" << (errors == 1 ? "" : "s") << ", "
            << warnings << " warning" << (warnings == 1 ? "" : "s") << " in "
            << knowledge->intents().intents().size() << " intents and "
            << knowledge->facts().facts().size() << " facts\n";
  if (translations) std::cerr << core::FormatTranslationCoverage(*translations) << "\n";
  if (errors > 0 || (warnings > 0 && flags->Has("strict"))) return kExitFailure;
  return kExitOk;
}

}  // namespace bot::app
