#include "bot/core/diagnostic.h"

namespace bot::core {

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.where.file.empty()) {
    out += d.where.file;
    if (d.where.line > 0) {
      // Appended piecewise: `":" + std::to_string(n)` trips GCC 12's
      // -Wrestrict false positive.
      out += ':';
      out += std::to_string(d.where.line);
      if (d.where.column > 0) {
        out += ':';
        out += std::to_string(d.where.column);
      }
    }
    out += ": ";
  }
  out += d.severity == Diagnostic::Severity::kError ? "error: " : "warning: ";
  out += d.message;
  if (!d.code.empty()) out += " [" + d.code + "]";
  return out;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) return true;
  }
  return false;
}

void Report(std::vector<Diagnostic>* out, const SourceLocation& where, std::string code,
            std::string message, Diagnostic::Severity severity) {
  if (out) out->push_back({severity, where, std::move(code), std::move(message)});
}

}  // namespace bot::core
