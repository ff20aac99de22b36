// BOT_SKIP itself: a hidden test that always skips, run by the CTest entry
// `bot_skip_exits_77` (CMakeLists.txt), which passes only when bot_tests
// exits with kSkipExitCode for it: ctest's SKIP_RETURN_CODE really sees a
// skipped test as skipped.
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

TEST_CASE("BOT_SKIP ends the test and marks it skipped", "[.skip_demo]") {
  BOT_SKIP("demonstrates the skip mechanism");
  FAIL("BOT_SKIP must end the test");
}
