// Structured logging: one JSON object per line on stderr, written whole under
// a lock so lines from different threads never interleave. Callers must not
// put secrets in fields. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace bot::edge {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLogLevel(LogLevel level);
// Parses "debug|info|warn|error"; false when unknown.
bool ParseLogLevel(const std::string& text, LogLevel* level);

// Whether a line at `level` would be written; lets hot paths skip building it.
bool LogEnabled(LogLevel level);

// Adds "time" and "level" and writes the line if `level` is enabled.
void Log(LogLevel level, nlohmann::json fields);

// Current UTC time as ISO 8601 with milliseconds.
std::string NowIso8601();

}  // namespace bot::edge
