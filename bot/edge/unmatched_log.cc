#include "bot/edge/unmatched_log.h"

#include <sys/stat.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "bot/core/normalizer.h"
#include "bot/core/utf8.h"
#include "bot/edge/crypto.h"
#include "bot/edge/json_codec.h"
#include "bot/edge/log.h"

namespace bot::edge {
namespace {

// A question is at most kMaxQuestionLength code points at the API; this
// bounds a line even if another caller passes something longer.
constexpr size_t kMaxTextBytes = 4096;

std::string RandomSalt() {
  std::random_device rd;
  std::string salt;
  for (int i = 0; i < 4; ++i) salt += std::to_string(rd());
  return Sha256Hex(salt);
}

std::string Truncate(const std::string& s) {
  return std::string(core::TruncateUtf8(s, kMaxTextBytes));
}

}  // namespace

UnmatchedLog::UnmatchedLog(UnmatchedLogOptions options) : options_(std::move(options)) {
  if (options_.salt.empty()) options_.salt = RandomSalt();
  if (options_.keep < 0) options_.keep = 0;
}

UnmatchedLog::~UnmatchedLog() {
  if (file_) std::fclose(file_);
}

core::Result<std::unique_ptr<UnmatchedLog>> UnmatchedLog::Open(UnmatchedLogOptions options) {
  std::unique_ptr<UnmatchedLog> log(new UnmatchedLog(std::move(options)));
  log->file_ = std::fopen(log->options_.path.c_str(), "a");
  if (!log->file_) {
    return core::Status::IoError("cannot open unmatched log " + log->options_.path);
  }
  struct stat st {};
  if (::stat(log->options_.path.c_str(), &st) == 0) log->size_ = static_cast<size_t>(st.st_size);
  return log;
}

std::string UnmatchedLog::HashSession(const std::string& session) const {
  if (session.empty()) return "";
  return Sha256Hex(options_.salt + '\0' + session).substr(0, 32);
}

size_t UnmatchedLog::write_errors() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return write_errors_;
}

bool UnmatchedLog::Rotate() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  const std::string& path = options_.path;
  if (options_.keep == 0) {
    std::remove(path.c_str());
  } else {
    std::remove((path + "." + std::to_string(options_.keep)).c_str());
    for (int i = options_.keep - 1; i >= 1; --i) {
      std::rename((path + "." + std::to_string(i)).c_str(),
                  (path + "." + std::to_string(i + 1)).c_str());
    }
    std::rename(path.c_str(), (path + ".1").c_str());
  }
  file_ = std::fopen(path.c_str(), "a");
  size_ = 0;
  return file_ != nullptr;
}

void UnmatchedLog::Record(const core::Question& question, const core::Reply& reply) {
  if (!reply.fallback) return;
  nlohmann::json line = {{"time", NowIso8601()},
                         {"text", Truncate(question.text)},
                         {"normalized", Truncate(core::FoldCharacters(question.text))},
                         {"channel", question.channel}};
  if (!question.session.empty()) line["session"] = HashSession(question.session);
  if (reply.intent) line["intent"] = *reply.intent;  // an honest decline
  std::string text = Dump(line) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ && size_ > 0 && size_ + text.size() > options_.max_bytes && !Rotate()) {
    ++write_errors_;
    return;
  }
  if (!file_ && !Rotate()) {
    ++write_errors_;
    return;
  }
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() ||
      std::fflush(file_) != 0) {
    ++write_errors_;
    return;
  }
  size_ += text.size();
}

}  // namespace bot::edge
