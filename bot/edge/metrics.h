// Metrics: counters, gauges and histograms rendered in the Prometheus text
// exposition format (version 0.0.4) for GET /metrics. Any edge records with
// one line, e.g.
//   Metrics::Inc("bot_channel_events_total", {{"channel", "telegram"}, {"result", "ignored"}});
// A family is created on first use (as a counter for Inc, a gauge for Set, a
// histogram with kLatencyBuckets for Observe) unless Describe()d first.
// Cardinality is bounded: a family keeps at most kMaxSeriesPerFamily label
// sets; later ones are folded into one series whose label values are all
// "other", and label values are cut to kMaxLabelValueBytes. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bot::edge {

using Labels = std::map<std::string, std::string>;

// Seconds; fits request latencies from 100 µs to 10 s.
extern const std::vector<double> kLatencyBuckets;

class Metrics {
 public:
  enum class Type { kCounter, kGauge, kHistogram };
  static constexpr size_t kMaxSeriesPerFamily = 200;
  static constexpr size_t kMaxLabelValueBytes = 64;

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The process-wide registry GET /metrics serves.
  static Metrics& Global();

  // Shortcuts on Global().
  static void Inc(std::string_view name, const Labels& labels = {}, double by = 1);
  static void Set(std::string_view name, const Labels& labels, double value);
  static void Observe(std::string_view name, const Labels& labels, double value);

  // Declares a family's type and help text (and buckets for a histogram).
  // Re-describing an existing family only updates the help text.
  void Describe(std::string_view name, Type type, const std::string& help,
                std::vector<double> buckets = {});

  // Adds `by` (>= 0) to a counter (or a gauge). Ignored for an invalid name,
  // an invalid label name, or a histogram family.
  void Add(std::string_view name, const Labels& labels, double by = 1);
  // Sets a gauge.
  void SetGauge(std::string_view name, const Labels& labels, double value);
  // Records one observation in a histogram.
  void Record(std::string_view name, const Labels& labels, double value);
  // Drops every series of a family (for "info" gauges whose labels change).
  void Clear(std::string_view name);

  // `collect` runs at the start of every Render(), outside the lock, so it
  // may call SetGauge/Clear (e.g. to publish a queue depth or a version).
  void AddCollector(std::function<void(Metrics&)> collect);

  // The exposition text: families sorted by name, series by labels.
  std::string Render();

  // The current value of a counter/gauge series, or a histogram's count;
  // 0 when absent. For tests and diagnostics.
  double Value(std::string_view name, const Labels& labels = {}) const;

 private:
  struct Series {
    double value = 0;                 // counter/gauge value; histogram sum
    uint64_t count = 0;               // histogram observations
    std::vector<uint64_t> buckets;    // histogram, not cumulative
  };
  struct Family {
    Type type = Type::kCounter;
    std::string help;
    std::vector<double> bounds;
    std::map<Labels, Series> series;
  };
  struct Located {
    Family* family;
    Series* series;
  };
  // The series of `labels` in family `name`, made if new (and its family in
  // `*family_out` when given); nullptr when the name, labels or type are bad.
  Series* Find(std::string_view name, Type type, const Labels& labels,
               const Family** family_out = nullptr);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
  // Name and labels flattened into one string -> the series they resolved to.
  // Every request updates a few known series; one hash lookup here replaces
  // walking a tree of families and a tree of label maps, whose nodes are
  // cold by the next request. Bounded: past the cap, lookups take the trees.
  std::unordered_map<std::string, Located> index_;
  static constexpr size_t kMaxIndexEntries = 4096;
  std::vector<std::function<void(Metrics&)>> collectors_;
};

// Whether `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool IsValidMetricName(std::string_view name);

}  // namespace bot::edge
