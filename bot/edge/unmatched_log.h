// UnmatchedLog: the questions the bot could not answer, as JSON lines, so
// editors know what to add next (`bot unmatched FILE`). Bounded: when the file
// would pass max_bytes it is rotated (FILE -> FILE.1 -> ... -> FILE.keep) and
// the oldest is dropped. Session ids are never written raw, only a salted
// SHA-256 (enough to count distinct people asking). Thread-safe.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "bot/core/message.h"
#include "bot/core/status.h"

namespace bot::edge {

struct UnmatchedLogOptions {
  std::string path;
  size_t max_bytes = 8 * 1024 * 1024;  // per file
  int keep = 3;                        // rotated files kept besides `path`
  // Prepended to session ids before hashing. Empty: a random per-process salt.
  std::string salt;
};

class UnmatchedLog {
 public:
  // Opens (appends to) options.path. IoError when it cannot be opened.
  static core::Result<std::unique_ptr<UnmatchedLog>> Open(UnmatchedLogOptions options);
  ~UnmatchedLog();
  UnmatchedLog(const UnmatchedLog&) = delete;
  UnmatchedLog& operator=(const UnmatchedLog&) = delete;

  // Appends one line when `reply` is a fallback; otherwise does nothing.
  // Write errors are counted, never thrown or returned to the caller.
  void Record(const core::Question& question, const core::Reply& reply);

  // The hash written in place of `session` ("" for an empty session).
  std::string HashSession(const std::string& session) const;
  size_t write_errors() const;

 private:
  explicit UnmatchedLog(UnmatchedLogOptions options);
  bool Rotate();

  UnmatchedLogOptions options_;
  mutable std::mutex mutex_;
  std::FILE* file_ = nullptr;
  size_t size_ = 0;
  size_t write_errors_ = 0;
};

}  // namespace bot::edge
