// Pattern sampler: strings a pattern is meant to match, built from its
// syntax tree (pattern_syntax.h), for the checker's witnesses and the
// similarity index. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <vector>

namespace bot::core {

// Up to `limit` strings a pattern is meant to match, built from its literal
// structure: each alternation branch is used by some sample, optional parts
// alternate between present and absent, `.*` gaps become one space, classes
// give one member. Empty when the pattern uses syntax the sampler does not
// model (the checker then skips the checks that need samples). Samples are
// not guaranteed to match; callers confirm with RE2.
std::vector<std::string> PatternSamples(const std::string& pattern, size_t limit);

}  // namespace bot::core
