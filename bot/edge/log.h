// Structured logging: one JSON object per line on stderr, written whole under
// a lock so lines from different threads never interleave. Callers must not
// put secrets in fields; as a net for text the bot only copies (a platform's
// error message), every configured secret is scrubbed from every line here.
// Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bot::edge {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLogLevel(LogLevel level);
// Parses "debug|info|warn|error"; false when unknown.
bool ParseLogLevel(const std::string& text, LogLevel* level);

// Whether a line at `level` would be written; lets hot paths skip building it.
bool LogEnabled(LogLevel level);

// Adds "time" and "level" and writes the line if `level` is enabled, with
// every registered secret scrubbed from its string values.
void Log(LogLevel level, nlohmann::json fields);

// Registers the secret values (tokens, app and signing secrets, the admin
// token) to scrub from every later line: each becomes "[redacted]", and so
// do its URL-encoded forms and, for a "<bot id>:<secret>" token (Telegram),
// the part after the colon. Empty values are ignored; {} forgets them all.
// Call at start-up with the values of the loaded config.
void SetLogSecrets(const std::vector<std::string>& secrets);

// `text` with every registered secret scrubbed, as Log() writes it.
std::string ScrubSecrets(std::string text);

// Current UTC time as ISO 8601 with milliseconds.
std::string NowIso8601();

}  // namespace bot::edge
