// The test runner: Catch2's own, plus honest skips. A run in which every
// test case that ran called BOT_SKIP exits with kSkipExitCode (ctest's
// SKIP_RETURN_CODE), so a test needing something absent shows as skipped.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdio>

#include "tests/support/test_support.h"

namespace {

size_t g_ran = 0;  // test cases that ran to their end

class CountingListener : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseEnded(const Catch::TestCaseStats&) override { ++g_ran; }
};

}  // namespace

CATCH_REGISTER_LISTENER(CountingListener)

int main(int argc, char** argv) {
  const int result = Catch::Session().run(argc, argv);
  const size_t skipped = bot::testing::SkippedTests();
  if (skipped > 0) {
    std::printf("%zu of %zu test cases SKIPPED (see the SKIPPED: lines)\n", skipped, g_ran);
  }
  if (result == 0 && skipped > 0 && skipped == g_ran) return bot::testing::kSkipExitCode;
  return result;
}
