#include "bot/edge/clock.h"

namespace bot::edge {
namespace {

class SteadyClock : public Clock {
 public:
  SteadyTime Now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

const Clock& SystemClock() {
  static const SteadyClock kClock;
  return kClock;
}

}  // namespace bot::edge
