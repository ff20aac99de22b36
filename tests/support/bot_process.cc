#include "tests/support/bot_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/test_support.h"

namespace bot::testing {

BotProcess::BotProcess(std::vector<std::string> args,
                       const std::map<std::string, std::string>& env, const std::string& output)
    : output_(output) {
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::string binary = BOT_BINARY;
    std::vector<char*> argv = {binary.data()};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(BOT_BINARY, argv.data());
    _exit(127);
  }
}

BotProcess::~BotProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int BotProcess::WaitForPort(const std::string& origin) {
  const std::string url = "\"url\":\"" + origin;
  for (int i = 0; i < 3000; ++i) {  // safety net: 30 s
    std::string out = output();
    size_t at = out.find(url);
    if (at != std::string::npos) return std::atoi(out.c_str() + at + url.size());
    if (waitpid(pid_, &status_, WNOHANG) == pid_) {
      exited_ = true;
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

void BotProcess::Signal(int sig) {
  if (!exited_) kill(pid_, sig);
}

int BotProcess::Wait() {
  if (!exited_) waitpid(pid_, &status_, 0);
  exited_ = true;
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

std::string BotProcess::output() const {
  // Not ReadTextFile: the child may not have created the file yet.
  std::ifstream in(output_, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> ServeArgs(std::vector<std::string> more) {
  std::vector<std::string> args = {"serve", "--port", "0", "--intents", SourceDir() + "/intents",
                                   "--facts", SourceDir() + "/facts"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace bot::testing
