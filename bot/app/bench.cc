// `bot bench`: in-process throughput and latency of answering (normalise,
// match, rank, render), the knowledge's compile time and the process's
// memory. `--engine` swaps the full answer for matching alone with one of
// three engines, to compare the matcher's design with the alternatives.
#include <re2/set.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/core/answerer.h"
#include "bot/core/conversation.h"
#include "bot/core/normalizer.h"
#include "bot/edge/context_store.h"
#include "bot/edge/eval_set.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot bench [--intents DIR --facts DIR | --patterns FILE]\n"
    "                 [--questions FILE] [--seconds N] [--threads N] [--json]\n"
    "                 [--verify] [--engine answer|filtered|naive|set] [--answers N]\n"
    "                 [--dialogues FILE [--no-context]]\n"
    "Answers questions in-process for N seconds (default 3) on N threads\n"
    "(default 1) and prints answers/s, latency p50/p99 (microseconds), the\n"
    "knowledge's compile time and the resident memory.\n"
    "  --patterns FILE   one RE2 pattern a line, each its own intent\n"
    "  --questions FILE  one question a line (default: every intent's examples)\n"
    "  --verify          first check on a sample that the matcher returns exactly\n"
    "                    what trying every pattern returns; exit 1 if not\n"
    "  --engine E        answer (default): the whole answer; filtered, naive,\n"
    "                    set: normalise and match only, with the bot's matcher,\n"
    "                    a loop over every RE2, or one RE2::Set\n"
    "  --answers N       stop each thread after N answers instead of after a\n"
    "                    time: a fixed amount of work, e.g. to count\n"
    "                    instructions under valgrind\n"
    "  --dialogues FILE  replay dialogues (JSON lines with `turns`, as bot eval\n"
    "                    reads) in conversations: each turn loads its context\n"
    "                    from an in-memory store, is read with it and saves it;\n"
    "                    --no-context answers the same turns one by one, to\n"
    "                    measure what context costs\n";

constexpr size_t kVerifySample = 2000;

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::optional<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Resident and peak resident memory of this process, in MiB.
std::pair<double, double> MemoryMb() {
  double rss = 0, peak = 0;
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    double kb = 0;
    if (key == "VmRSS:" && status >> kb) rss = kb / 1024;
    if (key == "VmHWM:" && status >> kb) peak = kb / 1024;
  }
  return {rss, peak};
}

// Each line of a pattern file becomes an intent with one pattern and a text
// answer, as if a content team had written that many intents.
std::shared_ptr<const core::Knowledge> KnowledgeFromPatterns(
    const std::vector<std::string>& patterns, std::string* error) {
  std::vector<core::Intent> intents;
  intents.reserve(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    core::Intent intent;
    intent.id = "p" + std::to_string(i + 1);
    intent.where = {"patterns", static_cast<int>(i + 1), 1};
    intent.patterns.push_back({patterns[i], intent.where});
    // Appended piecewise: `"pattern " + std::to_string(...)` trips GCC 12's
    // -Wstringop-overflow false positive.
    intent.answer.text = "pattern ";
    intent.answer.text += std::to_string(i + 1);
    intents.push_back(std::move(intent));
  }
  std::vector<core::Diagnostic> diagnostics;
  auto k = core::Knowledge::Build({}, std::move(intents), &diagnostics);
  for (const auto& d : diagnostics) {
    if (d.severity == core::Diagnostic::Severity::kError) {
      *error = core::FormatDiagnostic(d);
      return nullptr;
    }
  }
  return k;
}

// The alternative the README compares against: all patterns in one RE2::Set.
class SetEngine {
 public:
  explicit SetEngine(const core::Knowledge& k)
      : set_(SetOptions(), RE2::UNANCHORED) {
    const auto& intents = k.intents().intents();
    for (const core::CompiledPattern& cp : k.patterns()) {
      set_.Add(cp.ok ? cp.expanded() : intents[cp.intent].patterns[cp.index_in_intent].text,
               nullptr);
    }
    ok_ = set_.Compile();
  }
  bool ok() const { return ok_; }
  void Match(std::string_view text, std::vector<int>* out) const {
    out->clear();
    set_.Match(re2::StringPiece(text.data(), text.size()), out);
    std::sort(out->begin(), out->end());
  }

 private:
  static RE2::Options SetOptions() {
    RE2::Options o = core::Matcher::PatternOptions();
    o.set_max_mem(int64_t{256} << 20);  // 10,000 patterns need >= 48 MB
    return o;
  }
  RE2::Set set_;
  bool ok_ = false;
};

struct Run {
  uint64_t answers = 0;
  std::vector<float> latencies_us;
};

}  // namespace

int RunBench(const Args& args) {
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags(
      "bench", kUsage, args,
      KnowledgeFlagSpec({{"patterns", true},
                         {"questions", true},
                         {"seconds", true},
                         {"threads", true},
                         {"json", false},
                         {"verify", false},
                         {"engine", true},
                         {"answers", true},
                         {"dialogues", true},
                         {"no-context", false}}),
      &exit_code);
  if (!flags) return exit_code;
  auto seconds = ParseNumber(flags->Get("seconds", "3"));
  auto threads = ParseNumber(flags->Get("threads", "1"));
  if (!seconds || *seconds > 3600) {
    std::cerr << "bot bench: --seconds takes a number from 0 to 3600\n";
    return kExitUsage;
  }
  if (!threads || *threads < 1 || *threads > 256 || *threads != static_cast<int>(*threads)) {
    std::cerr << "bot bench: --threads takes a whole number from 1 to 256\n";
    return kExitUsage;
  }
  uint64_t answer_limit = 0;  // 0: run for --seconds
  if (flags->Has("answers")) {
    auto n = ParseNumber(flags->Get("answers"));
    if (!n || *n < 1 || *n > 1e9 || *n != static_cast<double>(static_cast<uint64_t>(*n))) {
      std::cerr << "bot bench: --answers takes a whole number from 1 to 1000000000\n";
      return kExitUsage;
    }
    answer_limit = static_cast<uint64_t>(*n);
  }
  std::string engine = flags->Get("engine", "answer");
  if (engine != "answer" && engine != "filtered" && engine != "naive" && engine != "set") {
    std::cerr << "bot bench: --engine is one of answer, filtered, naive, set\n";
    return kExitUsage;
  }

  // Compile the knowledge (for a directory, reading and parsing count too:
  // that is what a reload costs).
  Clock::time_point start = Clock::now();
  std::shared_ptr<const core::Knowledge> knowledge;
  std::string source;
  if (flags->Has("patterns")) {
    source = flags->Get("patterns");
    auto patterns = ReadLines(source);
    if (!patterns) {
      std::cerr << "bot bench: cannot read " << source << "\n";
      return kExitFailure;
    }
    std::string error;
    knowledge = KnowledgeFromPatterns(*patterns, &error);
    if (!knowledge) {
      std::cerr << "bot bench: " << error << "\n";
      return kExitFailure;
    }
  } else {
    source = flags->Get("intents", "intents") + " + " + flags->Get("facts", "facts");
    knowledge = LoadOrReport(*flags);
    if (!knowledge) return kExitFailure;
  }
  double compile_ms = MillisSince(start);

  std::vector<std::string> questions;
  // Dialogue replay: turn_starts[q] marks the first turn of a dialogue.
  const bool dialogues = flags->Has("dialogues");
  const bool with_context = dialogues && !flags->Has("no-context");
  std::vector<bool> turn_starts;
  if (dialogues && engine != "answer") {
    std::cerr << "bot bench: --dialogues replays whole answers (--engine answer)\n";
    return kExitUsage;
  }
  if (dialogues) {
    auto items = edge::LoadEvalSet(flags->Get("dialogues"));
    if (!items.ok()) {
      std::cerr << "bot bench: " << items.status().message() << "\n";
      return kExitFailure;
    }
    for (const auto& item : items.value()) {
      questions.push_back(item.question);
      turn_starts.push_back(item.turn == 0);
    }
  } else if (flags->Has("questions")) {
    auto lines = ReadLines(flags->Get("questions"));
    if (!lines) {
      std::cerr << "bot bench: cannot read " << flags->Get("questions") << "\n";
      return kExitFailure;
    }
    questions = std::move(*lines);
  } else {
    for (const auto& intent : knowledge->intents().intents()) {
      for (const auto& e : intent.examples) questions.push_back(e.text);
    }
  }
  if (questions.empty()) {
    std::cerr << "bot bench: no questions (give --questions FILE, or intents with "
                 "examples)\n";
    return kExitFailure;
  }

  const core::Matcher& matcher = knowledge->matcher();
  int differences = 0;
  size_t verified = 0;
  if (flags->Has("verify")) {
    std::vector<std::string> sample = questions;
    std::mt19937 rng(42);
    std::shuffle(sample.begin(), sample.end(), rng);
    if (sample.size() > kVerifySample) sample.resize(kVerifySample);
    std::vector<int> fast, naive;
    for (const std::string& q : sample) {
      std::string n = core::Normalize(q, knowledge->spellings());
      matcher.Match(n, &fast);
      matcher.MatchNaive(n, &naive);
      if (fast != naive) {
        if (++differences <= 5) {
          std::cerr << "bot bench: matcher differs from the naive loop on: " << q << "\n";
        }
      }
    }
    verified = sample.size();
  }

  std::unique_ptr<SetEngine> set;
  if (engine == "set") {
    Clock::time_point set_start = Clock::now();
    set = std::make_unique<SetEngine>(*knowledge);
    if (!set->ok()) {
      std::cerr << "bot bench: RE2::Set failed to compile\n";
      return kExitFailure;
    }
    compile_ms += MillisSince(set_start);
  }

  // Normalised questions, so match-only engines measure matching.
  std::vector<std::string> normalized;
  if (engine != "answer") {
    for (const auto& q : questions) normalized.push_back(core::Normalize(q, knowledge->spellings()));
  }

  const auto budget = std::chrono::duration<double>(*seconds);
  const int n_threads = static_cast<int>(*threads);
  std::vector<Run> runs(n_threads);
  std::atomic<bool> go{false};
  std::atomic<uint64_t> sink{0};
  edge::InMemoryContextStore contexts;
  auto worker = [&](int t) {
    Run& run = runs[t];
    run.latencies_us.reserve(1 << 20);
    std::vector<int> matches;
    core::Turn turn;  // reused turn after turn, as the servers keep one per thread
    size_t i = static_cast<size_t>(t) * questions.size() / n_threads;
    const std::string session = "bench:" + std::to_string(t);
    uint64_t local = 0;
    while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
    Clock::time_point begin = Clock::now();
    Clock::time_point now = begin;
    // Always at least one answer, so --seconds 0 still measures something.
    auto more = [&] {
      if (answer_limit > 0) return run.answers < answer_limit;
      return now - begin < budget || run.answers == 0;
    };
    while (more()) {
      const size_t q = i++ % questions.size();
      Clock::time_point t0 = now;
      if (with_context) {
        // The whole turn as a server takes it: load, read, save.
        if (turn_starts[q]) contexts.Erase(session);
        const int64_t ms = edge::NowMs();
        auto context = contexts.Share(session, ms);
        core::AnswerTurn(*knowledge, {questions[q], session, "bench"}, *context, &turn);
        context.reset();
        contexts.Keep(session, &turn.next, ms);
        local += turn.reply.text.size();
      } else if (engine == "answer") {
        core::Reply r = core::Answer(*knowledge, {questions[q], "", "bench"});
        local += r.text.size();
      } else {
        if (engine == "filtered") {
          matcher.Match(normalized[q], &matches);
        } else if (engine == "naive") {
          matcher.MatchNaive(normalized[q], &matches);
        } else {
          set->Match(normalized[q], &matches);
        }
        local += matches.size();
      }
      now = Clock::now();
      ++run.answers;
      run.latencies_us.push_back(
          std::chrono::duration<float, std::micro>(now - t0).count());
    }
    sink += local;
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < n_threads; ++t) pool.emplace_back(worker, t);
  Clock::time_point bench_start = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : pool) th.join();
  double elapsed_s = MillisSince(bench_start) / 1000;

  uint64_t answers = 0;
  std::vector<float> all;
  for (auto& r : runs) {
    answers += r.answers;
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
  }
  std::sort(all.begin(), all.end());
  auto percentile = [&](double p) {
    size_t at = static_cast<size_t>(p * static_cast<double>(all.size() - 1));
    return static_cast<double>(all[at]);
  };
  double per_sec = static_cast<double>(answers) / elapsed_s;
  auto [rss_mb, peak_rss_mb] = MemoryMb();

  if (flags->Has("json")) {
    nlohmann::json j = {
        {"source", source},
        {"engine", engine},
        {"intents", knowledge->intents().intents().size()},
        {"patterns", matcher.size()},  // intent patterns and excludes
        {"excludes", matcher.size() - knowledge->patterns().size()},
        {"simple_patterns", matcher.simple_count()},
        {"atoms", matcher.atom_count()},
        {"scan_table_kb", matcher.scan_table_bytes() / 1024},
        {"questions", questions.size()},
        {"threads", n_threads},
        {"seconds", elapsed_s},
        {"answers", answers},
        {"answers_per_sec", per_sec},
        {"p50_us", percentile(0.50)},
        {"p99_us", percentile(0.99)},
        {"compile_ms", compile_ms},
        {"rss_mb", rss_mb},
        {"peak_rss_mb", peak_rss_mb},
    };
    if (flags->Has("verify")) {
      j["verified"] = verified;
      j["differences"] = differences;
    }
    std::cout << j.dump() << "\n";
  } else {
    std::printf("knowledge:   %s (%zu intents, %zu patterns of which %zu excludes, %zu "
                "decided without RE2, %zu literals)\n",
                source.c_str(), knowledge->intents().intents().size(), matcher.size(),
                matcher.size() - knowledge->patterns().size(), matcher.simple_count(),
                matcher.atom_count());
    std::printf("compile:     %.1f ms\n", compile_ms);
    std::printf("engine:      %s\n", engine == "answer" ? "answer (normalise, match, rank, render)"
                                                        : ("match only, " + engine).c_str());
    std::printf("questions:   %zu, %d thread(s), %.2f s\n", questions.size(), n_threads,
                elapsed_s);
    std::printf("throughput:  %.0f answers/s\n", per_sec);
    std::printf("latency:     p50 %.1f us, p99 %.1f us\n", percentile(0.50),
                percentile(0.99));
    std::printf("memory:      %.1f MB resident (peak %.1f MB)\n", rss_mb, peak_rss_mb);
    if (flags->Has("verify")) {
      std::printf("verify:      %zu questions, %d differences from the naive loop\n",
                  verified, differences);
    }
  }
  if (differences > 0) return kExitFailure;
  return kExitOk;
}

}  // namespace bot::app
