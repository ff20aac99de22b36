// Diagnostic: one problem found in an editor's file, located as precisely as
// we can (file:line:column, 1-based) and tagged with a stable code, so
// editors, CI and `bot check --json` can all consume it.
#pragma once

#include <string>
#include <vector>

namespace bot::core {

// Where something was written. line/column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  SourceLocation where;
  std::string code;     // stable, kebab-case, e.g. "unknown-key"
  std::string message;  // what is wrong and how to fix it
};

// "file:line:column: error: message [code]" (parts that are unknown omitted).
std::string FormatDiagnostic(const Diagnostic& d);

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

// Appends a diagnostic to `out` (nothing when `out` is null).
void Report(std::vector<Diagnostic>* out, const SourceLocation& where, std::string code,
            std::string message, Diagnostic::Severity severity = Diagnostic::Severity::kError);

}  // namespace bot::core
