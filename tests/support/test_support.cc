#include "tests/support/test_support.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "bot/edge/yaml_loader.h"

namespace bot::testing {

namespace fs = std::filesystem;

std::string SourceDir() { return BOT_SOURCE_DIR; }

std::string SharedDir() {
  fs::path shared = fs::path(SourceDir()) / ".." / "shared";
  std::error_code ec;
  return fs::is_directory(shared, ec) ? fs::weakly_canonical(shared).string() : "";
}

bool HaveShared() { return !SharedDir().empty(); }

std::shared_ptr<const core::Knowledge> KnowledgeFromYaml(const std::string& facts_yaml,
                                                         const std::string& intents_yaml) {
  std::vector<core::Diagnostic> diagnostics;
  auto facts = edge::ParseFactsYaml(facts_yaml, "facts.yaml", &diagnostics);
  auto intents = edge::ParseIntentsYaml(intents_yaml, "intents.yaml", &diagnostics);
  auto k = core::Knowledge::Build(std::move(facts), std::move(intents), &diagnostics);
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

}  // namespace bot::testing
