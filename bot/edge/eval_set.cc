#include "bot/edge/eval_set.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "bot/core/normalizer.h"

namespace bot::edge {

using nlohmann::json;

std::string FoldForComparison(const std::string& text) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // U+2013 and U+2014 are E2 80 93 / E2 80 94.
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x93 ||
         static_cast<unsigned char>(text[i + 2]) == 0x94)) {
      out += '-';
      i += 2;
      space = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
  }
  return out;
}

core::Result<std::vector<EvalItem>> LoadEvalSet(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::Status::IoError(path + ": cannot open");
  std::vector<EvalItem> items;
  std::string line;
  int number = 0;
  auto strings = [](const json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array()) {
      for (const auto& s : j[key]) {
        if (s.is_string()) out.push_back(s.get<std::string>());
      }
    }
    return out;
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, false);
    std::string where = path + ":" + std::to_string(number) + ": ";
    if (j.is_discarded() || !j.is_object()) {
      return core::Status::InvalidArgument(where + "not a JSON object");
    }
    auto parse = [&](const json& t, const std::string& lang) -> core::Result<EvalItem> {
      if (!t.is_object() || !t.contains("q") || !t["q"].is_string()) {
        return core::Status::InvalidArgument(where + "missing string `q`");
      }
      EvalItem item;
      item.line = number;
      item.question = t["q"].get<std::string>();
      item.id = t.contains("id") && t["id"].is_string() ? t["id"].get<std::string>()
                                                         : "line" + std::to_string(number);
      item.lang = t.contains("lang") && t["lang"].is_string() ? t["lang"].get<std::string>() : lang;
      item.kind = t.contains("kind") && t["kind"].is_string() ? t["kind"].get<std::string>() : "fact";
      if (item.kind != "fact" && item.kind != "smalltalk" && item.kind != "oos") {
        return core::Status::InvalidArgument(where + "unknown kind `" + item.kind + "`");
      }
      item.all = strings(t, "all");
      item.any = strings(t, "any");
      item.forbid = strings(t, "forbid");
      return item;
    };
    if (j.contains("turns")) {
      if (!j["turns"].is_array() || j["turns"].empty()) {
        return core::Status::InvalidArgument(where + "`turns` must be a non-empty array");
      }
      const std::string id = j.contains("id") && j["id"].is_string()
                                 ? j["id"].get<std::string>()
                                 : "line" + std::to_string(number);
      const std::string lang =
          j.contains("lang") && j["lang"].is_string() ? j["lang"].get<std::string>() : "en";
      for (size_t i = 0; i < j["turns"].size(); ++i) {
        auto item = parse(j["turns"][i], lang);
        if (!item.ok()) return item.status();
        item.value().id = id + "#" + std::to_string(i + 1);
        item.value().dialogue = id;
        item.value().turn = static_cast<int>(i);
        items.push_back(std::move(item.value()));
      }
      continue;
    }
    auto item = parse(j, "en");
    if (!item.ok()) return item.status();
    EvalItem item_value = std::move(item.value());
    items.push_back(std::move(item_value));
  }
  return items;
}

bool ScoreEvalItem(const EvalItem& item, const core::Reply& reply,
                   const core::Spellings& spellings, std::string* why) {
  // Case folding must also cover Cyrillic expectations, so compare in the
  // normaliser's lower case after the scoring rules' own folding.
  auto fold = [&](const std::string& s) { return core::Normalize(FoldForComparison(s), spellings); };
  std::string answer = fold(reply.text);
  auto contains = [&](const std::string& s) { return answer.find(fold(s)) != std::string::npos; };
  if (item.kind == "oos") {
    if (!reply.fallback) {
      *why = "expected a fallback";
      return false;
    }
    for (const auto& f : item.forbid) {
      if (contains(f)) {
        *why = "contains forbidden `" + f + "`";
        return false;
      }
    }
    return true;
  }
  if (reply.fallback) {
    *why = "got a fallback";
    return false;
  }
  for (const auto& a : item.all) {
    if (!contains(a)) {
      *why = "missing `" + a + "`";
      return false;
    }
  }
  if (!item.any.empty()) {
    bool found = false;
    for (const auto& a : item.any) found = found || contains(a);
    if (!found) {
      *why = "contains none of `any`";
      return false;
    }
  }
  return true;
}

}  // namespace bot::edge
