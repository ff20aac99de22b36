#include "bot/edge/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "bot/core/utf8.h"

namespace bot::edge {
namespace {

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || name.rfind("__", 0) == 0) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Whether a family of type `family` takes an update meant for `update`: a
// counter's Add applies to a gauge too (gauges go up), never the reverse.
bool Accepts(Metrics::Type family, Metrics::Type update) {
  return family == update || (update == Metrics::Type::kCounter && family == Metrics::Type::kGauge);
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.15g", v);
  }
  return buf;
}

// Label values may hold any UTF-8; the format escapes \, " and newline.
std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string RenderLabels(const Labels& labels, const std::string& extra_name = "",
                         const std::string& extra_value = "") {
  if (labels.empty() && extra_name.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ",";
    first = false;
    out += k + "=\"" + EscapeLabelValue(v) + "\"";
  }
  if (!extra_name.empty()) {
    if (!first) out += ",";
    out += extra_name + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

const char* TypeName(Metrics::Type type) {
  switch (type) {
    case Metrics::Type::kCounter: return "counter";
    case Metrics::Type::kGauge: return "gauge";
    case Metrics::Type::kHistogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

const std::vector<double> kLatencyBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                             0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                             1,      2.5,     5,      10};

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

Metrics& Metrics::Global() {
  static Metrics* global = new Metrics();  // never destroyed: used by detached threads
  return *global;
}

void Metrics::Inc(std::string_view name, const Labels& labels, double by) {
  Global().Add(name, labels, by);
}
void Metrics::Set(std::string_view name, const Labels& labels, double value) {
  Global().SetGauge(name, labels, value);
}
void Metrics::Observe(std::string_view name, const Labels& labels, double value) {
  Global().Record(name, labels, value);
}

void Metrics::Describe(std::string_view name, Type type, const std::string& help,
                       std::vector<double> buckets) {
  if (!IsValidMetricName(name)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = families_.try_emplace(std::string(name));
  it->second.help = help;
  if (!inserted) return;
  it->second.type = type;
  if (type == Type::kHistogram) {
    if (buckets.empty()) buckets = kLatencyBuckets;
    std::sort(buckets.begin(), buckets.end());
    it->second.bounds = std::move(buckets);
  }
}

Metrics::Series* Metrics::Find(std::string_view name, Type type, const Labels& labels,
                               const Family** family_out) {
  // The index key: name, label names and values, each after its length, so
  // no two different label sets flatten alike whatever bytes they hold.
  thread_local std::string key;
  key.clear();
  const auto append_field = [](std::string_view field) {
    const auto size = static_cast<uint32_t>(field.size());
    key.append(reinterpret_cast<const char*>(&size), sizeof size).append(field);
  };
  append_field(name);
  for (const auto& [k, v] : labels) {
    append_field(k);
    append_field(v);
  }
  if (auto hit = index_.find(key); hit != index_.end()) {
    if (!Accepts(hit->second.family->type, type)) return nullptr;
    if (family_out) *family_out = hit->second.family;
    return hit->second.series;
  }

  if (!IsValidMetricName(name)) return nullptr;
  for (const auto& [k, v] : labels) {
    if (!IsValidLabelName(k) || (type == Type::kHistogram && k == "le")) return nullptr;
  }
  auto [fit, created] = families_.try_emplace(std::string(name));
  Family& family = fit->second;
  if (created) {
    family.type = type;
    if (type == Type::kHistogram) family.bounds = kLatencyBuckets;
  }
  if (!Accepts(family.type, type)) return nullptr;

  Labels stored;
  for (const auto& [k, v] : labels) {
    stored[k] = std::string(core::TruncateUtf8(v, kMaxLabelValueBytes));
  }
  auto sit = family.series.find(stored);
  if (sit == family.series.end()) {
    if (family.series.size() >= kMaxSeriesPerFamily) {
      for (auto& [k, v] : stored) v = "other";
    }
    sit = family.series.try_emplace(stored).first;
    if (family.type == Type::kHistogram) sit->second.buckets.assign(family.bounds.size(), 0);
  }
  if (index_.size() < kMaxIndexEntries) index_.emplace(key, Located{&family, &sit->second});
  if (family_out) *family_out = &family;
  return &sit->second;
}

void Metrics::Add(std::string_view name, const Labels& labels, double by) {
  if (!(by >= 0)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (Series* s = Find(name, Type::kCounter, labels)) s->value += by;
}

void Metrics::SetGauge(std::string_view name, const Labels& labels, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Series* s = Find(name, Type::kGauge, labels)) s->value = value;
}

void Metrics::Record(std::string_view name, const Labels& labels, double value) {
  if (std::isnan(value)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const Family* family = nullptr;
  Series* s = Find(name, Type::kHistogram, labels, &family);
  if (!s) return;
  const auto& bounds = family->bounds;
  auto at = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  if (static_cast<size_t>(at) < s->buckets.size()) s->buckets[at]++;
  s->count++;
  s->value += value;
}

void Metrics::Clear(std::string_view name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return;
  std::erase_if(index_, [&](const auto& entry) { return entry.second.family == &it->second; });
  it->second.series.clear();
}

void Metrics::AddCollector(std::function<void(Metrics&)> collect) {
  std::lock_guard<std::mutex> lock(mutex_);
  collectors_.push_back(std::move(collect));
}

std::string Metrics::Render() {
  std::vector<std::function<void(Metrics&)>> collectors;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    collectors = collectors_;
  }
  for (auto& collect : collectors) collect(*this);

  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    if (family.series.empty()) continue;
    if (!family.help.empty()) out += "# HELP " + name + " " + EscapeHelp(family.help) + "\n";
    out += "# TYPE " + name + " " + TypeName(family.type) + "\n";
    for (const auto& [labels, s] : family.series) {
      if (family.type != Type::kHistogram) {
        out += name + RenderLabels(labels) + " " + FormatNumber(s.value) + "\n";
        continue;
      }
      uint64_t cumulative = 0;
      for (size_t i = 0; i < family.bounds.size(); ++i) {
        cumulative += s.buckets[i];
        out += name + "_bucket" + RenderLabels(labels, "le", FormatNumber(family.bounds[i])) +
               " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_bucket" + RenderLabels(labels, "le", "+Inf") + " " +
             std::to_string(s.count) + "\n";
      out += name + "_sum" + RenderLabels(labels) + " " + FormatNumber(s.value) + "\n";
      out += name + "_count" + RenderLabels(labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

double Metrics::Value(std::string_view name, const Labels& labels) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto fit = families_.find(name);
  if (fit == families_.end()) return 0;
  auto sit = fit->second.series.find(labels);
  if (sit == fit->second.series.end()) return 0;
  return fit->second.type == Type::kHistogram ? static_cast<double>(sit->second.count)
                                              : sit->second.value;
}

}  // namespace bot::edge
