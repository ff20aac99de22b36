// The verbs of the `bot` program. Each takes the arguments after its name
// and returns the process exit code (kExitOk, kExitFailure, kExitUsage).
#pragma once

#include <string>
#include <vector>

namespace bot::app {

using Args = std::vector<std::string>;

int RunServe(const Args& args);
int RunAsk(const Args& args);
int RunExplain(const Args& args);
int RunEval(const Args& args);
int RunCheck(const Args& args);
int RunTest(const Args& args);
int RunUnmatched(const Args& args);
int RunConfig(const Args& args);
int RunBench(const Args& args);
int RunTelegram(const Args& args);

}  // namespace bot::app
