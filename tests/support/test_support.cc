#include "tests/support/test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <mutex>
#include <random>
#include <set>

#include "bot/edge/read_file.h"
#include "bot/edge/yaml_loader.h"

namespace bot::testing {

namespace fs = std::filesystem;

const char kJoinFacts[] =
    "facts:\n  - id: m.since\n    text: Belarus joined on 30 January 1992.\n    source: doc#4\n";
const char kJoinIntents[] =
    "intents:\n"
    "  - id: m.joined\n    patterns: ['\\bjoin']\n    answer: {facts: [m.since]}\n"
    "    examples: ['When did Belarus join?']\n";

std::string SourceDir() { return BOT_SOURCE_DIR; }

std::string ReadTextFile(const std::string& path) {
  // Test inputs are small files of this repository or ../shared.
  constexpr size_t kLimit = 64 << 20;
  std::optional<std::string> text = edge::ReadFile(path, kLimit);
  INFO(path);
  REQUIRE(text.has_value());
  REQUIRE(text->size() <= kLimit);
  return std::move(*text);
}

std::string SharedDir() {
  fs::path shared = fs::path(SourceDir()) / ".." / "shared";
  std::error_code ec;
  return fs::is_directory(shared, ec) ? fs::weakly_canonical(shared).string() : "";
}

bool HaveShared() { return !SharedDir().empty(); }

namespace {

std::mutex g_skipped_mutex;
std::set<std::string> g_skipped;  // test case names

}  // namespace

void NoteSkip(const std::string& reason) {
  const std::string test = Catch::getResultCapture().getCurrentTestName();
  std::printf("SKIPPED: %s: %s\n", test.c_str(), reason.c_str());
  std::fflush(stdout);
  {
    std::lock_guard<std::mutex> lock(g_skipped_mutex);
    g_skipped.insert(test);
  }
  // Catch counts the test as run; the exit code (see test_main.cc) is what
  // tells ctest it was skipped.
  SUCCEED("SKIPPED: " + reason);
}

size_t SkippedTests() {
  std::lock_guard<std::mutex> lock(g_skipped_mutex);
  return g_skipped.size();
}

std::shared_ptr<const core::Knowledge> KnowledgeFromYaml(const std::string& facts_yaml,
                                                         const std::string& intents_yaml) {
  return KnowledgeFromYaml(KnowledgeYaml{facts_yaml, intents_yaml, "", ""});
}

std::shared_ptr<const core::Knowledge> KnowledgeFromYaml(const KnowledgeYaml& documents) {
  std::vector<core::Diagnostic> diagnostics;
  core::KnowledgeParts parts;
  parts.facts = edge::ParseFactsYaml(documents.facts, "facts.yaml", &diagnostics);
  parts.intents = edge::ParseIntentsYaml(documents.intents, "intents.yaml", &diagnostics);
  if (!documents.entities.empty()) {
    parts.entities = edge::ParseEntitiesYaml(documents.entities, "entities.yaml", &diagnostics);
  }
  if (!documents.lexicon.empty()) {
    parts.concepts = edge::ParseLexiconYaml(documents.lexicon, "lexicon.yaml", &diagnostics);
  }
  if (documents.replies.empty()) {
    // The shipped canned replies, so fixtures say what the bot says.
    parts.replies_file = SourceDir() + "/intents/replies.yaml";
    parts.replies = edge::ParseRepliesYaml(ReadTextFile(parts.replies_file), parts.replies_file,
                                           &diagnostics);
  } else {
    parts.replies = edge::ParseRepliesYaml(documents.replies, "replies.yaml", &diagnostics);
  }
  auto k = core::Knowledge::Build(std::move(parts), &diagnostics);
  for (const auto& d : diagnostics) INFO(core::FormatDiagnostic(d));
  REQUIRE_FALSE(core::HasErrors(diagnostics));
  return k;
}

std::shared_ptr<const core::Knowledge> ShippedKnowledge() {
  edge::KnowledgeSources sources;
  sources.intents_dir = SourceDir() + "/intents";
  sources.facts_dir = SourceDir() + "/facts";
  auto loaded = edge::LoadKnowledge(sources);
  INFO((loaded.ok() ? std::string() : loaded.status().message()));
  REQUIRE(loaded.ok());
  return loaded.value();
}

BotRun RunBot(const std::string& args, Stderr stderr_mode) {
  std::string command = "cd '" + SourceDir() + "' && '" BOT_BINARY "' " + args +
                        (stderr_mode == Stderr::kMerge ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = (fs::temp_directory_path() / ("bot-test-" + std::to_string(rd()) + std::to_string(rd())))
              .string();
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void TempDir::Write(const std::string& name, const std::string& text) const {
  fs::path p = fs::path(path_) / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

LoopbackServer::LoopbackServer(std::shared_ptr<const core::Knowledge> knowledge,
                               edge::HttpOptions options)
    : holder_(std::move(knowledge)) {
  options.host = "127.0.0.1";
  options.port = 0;
  server_ = std::make_unique<edge::HttpServer>(&holder_, options);
  auto started = server_->Start();
  REQUIRE(started.ok());
}

LoopbackServer::~LoopbackServer() { server_->Stop(); }

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd_ >= 0);
  timeval tv{10, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
}

RawConnection::~RawConnection() { close(fd_); }

bool RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

void RawConnection::ShutdownWrite() { shutdown(fd_, SHUT_WR); }

std::string RawConnection::ReadResponse(bool head) {
  std::string out = std::move(pending_);
  pending_.clear();
  char buf[4096];
  size_t want = std::string::npos;
  while (true) {
    size_t end = out.find("\r\n\r\n");
    if (want == std::string::npos && end != std::string::npos) {
      size_t length = 0;
      size_t at = out.find("Content-Length: ");
      if (at != std::string::npos && at < end) {
        length = std::strtoul(out.c_str() + at + 16, nullptr, 10);
      }
      want = end + 4 + (head ? 0 : length);
    }
    if (out.size() >= want) break;
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  if (want != std::string::npos && out.size() > want) {
    pending_ = out.substr(want);
    out.resize(want);
  }
  return out;
}

std::string RawConnection::ReadAll() {
  std::string out = std::move(pending_);
  pending_.clear();
  char buf[4096];
  while (true) {
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

int StatusOf(const std::string& raw) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::atoi(raw.substr(9, 3).c_str());
}

}  // namespace bot::testing
