// Reading a whole file, bounded: the one reader the knowledge loader, the
// config loader and `bot test` share. Thread-safe (no state).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace bot::edge {

// The bytes of `path`, or nullopt when it cannot be opened or read. Reads at
// most `limit` + 1 bytes: enough for the caller to refuse a file that is too
// large (result longer than `limit`) without holding all of it.
std::optional<std::string> ReadFile(const std::string& path, size_t limit);

}  // namespace bot::edge
