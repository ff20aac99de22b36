#include "bot/edge/read_file.h"

#include <algorithm>
#include <fstream>

namespace bot::edge {

std::optional<std::string> ReadFile(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return std::nullopt;
  std::string text;
  char buffer[64 * 1024];
  while (in && text.size() <= limit) {
    in.read(buffer, static_cast<std::streamsize>(std::min(sizeof buffer, limit + 1 - text.size())));
    text.append(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  return text;
}

}  // namespace bot::edge
