// BotProcess: the `bot` binary under test (BOT_BINARY) as a child process,
// for tests of what a real process does: its log, its signals, its exit
// code, several replicas side by side.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace bot::testing {

class BotProcess {
 public:
  // Runs `bot ARGS...` with `env` added to the environment; its stdout and
  // stderr both go to the file `output`.
  BotProcess(std::vector<std::string> args, const std::map<std::string, std::string>& env,
             const std::string& output);
  // Kills it (SIGKILL) if it still runs.
  ~BotProcess();
  BotProcess(const BotProcess&) = delete;
  BotProcess& operator=(const BotProcess&) = delete;

  // The port from the "listening" log line whose url starts with `origin`;
  // 0 if the process exited first (or after 30 s, a safety net).
  int WaitForPort(const std::string& origin = "http://127.0.0.1:");
  void Signal(int sig);
  // Waits for the exit: the exit code, or 128 + the signal that ended it.
  int Wait();
  // What it has written so far.
  std::string output() const;

 private:
  std::string output_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;
};

// `serve` on a free port with the shipped knowledge, plus `more` arguments.
std::vector<std::string> ServeArgs(std::vector<std::string> more = {});

}  // namespace bot::testing
