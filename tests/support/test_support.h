// Helpers shared by the tests: paths to the repository and ../shared, small
// knowledge built from inline YAML, and a real HttpServer on a free loopback
// port.
#pragma once

#include <memory>
#include <string>

#include "bot/core/knowledge.h"
#include "bot/edge/http_server.h"
#include "bot/edge/knowledge_holder.h"

namespace bot::testing {

// The source tree (for intents/, facts/) and the shared folder beside it.
// The whole file at `path` (the test fails when it cannot be read).
std::string ReadTextFile(const std::string& path);
std::string SourceDir();
std::string SharedDir();  // empty when ../shared is absent
bool HaveShared();

// Skipping a test that needs something absent, honestly: BOT_SKIP prints
// "SKIPPED: <test>: <reason>" and ends the test. A run of bot_tests in
// which every test that ran was skipped exits with kSkipExitCode, which
// CMakeLists.txt registers as the tests' SKIP_RETURN_CODE: ctest shows each
// such test as skipped, not passed. (Catch2 v2 has no SKIP of its own; a
// whole-suite run prints how many were skipped.)
constexpr int kSkipExitCode = 77;
void NoteSkip(const std::string& reason);
// Distinct test cases skipped so far in this run.
size_t SkippedTests();
#define BOT_SKIP(reason)                 \
  do {                                   \
    ::bot::testing::NoteSkip(reason);    \
    return;                              \
  } while (0)
// Skips the rest of a test when ../shared is absent.
#define BOT_REQUIRE_SHARED()                                            \
  do {                                                                  \
    if (!::bot::testing::HaveShared()) BOT_SKIP("../shared is absent"); \
  } while (0)

// The smallest knowledge the HTTP tests serve: one fact (Belarus joined on
// 30 January 1992) and one intent (`m.joined`, pattern `\bjoin`).
extern const char kJoinFacts[];
extern const char kJoinIntents[];

// Builds a Knowledge from inline YAML documents (file names "facts.yaml" and
// "intents.yaml" in diagnostics). REQUIRES: no errors (fails the test).
std::shared_ptr<const core::Knowledge> KnowledgeFromYaml(const std::string& facts_yaml,
                                                         const std::string& intents_yaml);

// The same with a gazetteer and replies of its own ("entities.yaml",
// "replies.yaml"); empty `replies` means the shipped ones.
struct KnowledgeYaml {
  std::string facts;
  std::string intents;
  std::string entities;
  std::string replies;
  std::string lexicon;  // "lexicon.yaml" (concepts); empty: none
};
std::shared_ptr<const core::Knowledge> KnowledgeFromYaml(const KnowledgeYaml& documents);

// The shipped knowledge in intents/ and facts/. REQUIRES: it loads.
std::shared_ptr<const core::Knowledge> ShippedKnowledge();

// The `bot` executable run as a user runs it, from the source directory.
struct BotRun {
  int exit_code;       // -1 if it did not exit normally
  std::string output;  // stdout, plus stderr unless dropped
};
enum class Stderr { kMerge, kDrop };
// `args` are shell words (quote them as a shell needs).
BotRun RunBot(const std::string& args, Stderr stderr_mode = Stderr::kMerge);

// A temporary directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes `text` to path()/name (creating subdirectories).
  void Write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

// A client socket to 127.0.0.1:port for raw HTTP, with a 10 s receive
// timeout as a safety net against a hung test (not a measurement).
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  // False once the server has closed the connection.
  bool Send(const std::string& bytes);
  // Closes the sending side; the server may still answer.
  void ShutdownWrite();
  // One response (headers, and the body unless `head`), or what arrived
  // before the server closed.
  std::string ReadResponse(bool head = false);
  // Everything until the server closes (or the safety timeout).
  std::string ReadAll();
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read past the last response
};

// The status of the first response in `raw`, or 0 when there is none.
int StatusOf(const std::string& raw);

// A real HttpServer over `knowledge` on 127.0.0.1 with a free port.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::shared_ptr<const core::Knowledge> knowledge,
                          edge::HttpOptions options = {});
  ~LoopbackServer();
  int port() const { return server_->port(); }
  edge::HttpServer& server() { return *server_; }
  edge::KnowledgeHolder& holder() { return holder_; }

 private:
  edge::KnowledgeHolder holder_;
  std::unique_ptr<edge::HttpServer> server_;
};

}  // namespace bot::testing
