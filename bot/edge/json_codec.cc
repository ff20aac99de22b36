#include "bot/edge/json_codec.h"

#include "bot/edge/context_store.h"

#include <cstdint>
#include <cstring>

#include "bot/core/language.h"
#include "bot/core/normalizer.h"

namespace bot::edge {

using nlohmann::json;

namespace {

// Reads the two fields of an ask request as the parser meets them, instead
// of building a tree whose allocations cost as much as the parse itself.
// Like the tree, a repeated key keeps its last value.
class AskRequestReader final : public nlohmann::json_sax<json> {
 public:
  enum class Kind { kMissing, kString, kNull, kOther };
  struct Field {
    Kind kind = Kind::kMissing;
    std::string value;
  };

  bool top_is_object() const { return top_is_object_; }
  Field& text() { return text_; }
  Field& session() { return session_; }
  Field& lang() { return lang_; }

  bool null() override { return Value(Kind::kNull, nullptr); }
  bool boolean(bool) override { return Value(Kind::kOther, nullptr); }
  bool number_integer(number_integer_t) override { return Value(Kind::kOther, nullptr); }
  bool number_unsigned(number_unsigned_t) override { return Value(Kind::kOther, nullptr); }
  bool number_float(number_float_t, const string_t&) override {
    return Value(Kind::kOther, nullptr);
  }
  bool string(string_t& s) override { return Value(Kind::kString, &s); }
  bool binary(binary_t&) override { return Value(Kind::kOther, nullptr); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) top_is_object_ = true;
    return Open();
  }
  bool start_array(std::size_t) override { return Open(); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    if (depth_ == 1) {
      field_ = k == "text" ? &text_ : k == "session" ? &session_ : k == "lang" ? &lang_ : nullptr;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  // A value at depth 1 belongs to the key before it; deeper ones to nobody.
  bool Value(Kind kind, string_t* s) {
    if (depth_ == 1 && field_ != nullptr) {
      field_->kind = kind;
      if (s != nullptr) field_->value = std::move(*s);
    }
    return true;
  }
  bool Open() {
    Value(Kind::kOther, nullptr);
    ++depth_;
    return true;
  }
  bool Close() {
    --depth_;
    return true;
  }

  size_t depth_ = 0;
  bool top_is_object_ = false;
  Field* field_ = nullptr;
  Field text_, session_, lang_;
};

}  // namespace

core::Result<AskRequest> ParseAskRequest(std::string_view body) {
  AskRequestReader reader;
  // The parser rejects ill-formed UTF-8 (overlongs and surrogates too), so a
  // body it accepts is valid; the check only picks the message.
  if (!json::sax_parse(body, &reader)) {
    return core::Status::InvalidArgument(core::IsValidUtf8(body)
                                             ? "request body is not valid JSON"
                                             : "request body is not valid UTF-8");
  }
  if (!reader.top_is_object()) {
    return core::Status::InvalidArgument("request body must be a JSON object");
  }
  if (reader.text().kind == AskRequestReader::Kind::kMissing) {
    return core::Status::InvalidArgument("missing field `text`");
  }
  if (reader.text().kind != AskRequestReader::Kind::kString) {
    return core::Status::InvalidArgument("`text` must be a string");
  }
  AskRequest request;
  request.text = std::move(reader.text().value);
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return core::Status::InvalidArgument("`text` is blank");
  }
  if (core::CountCodePoints(request.text) > core::kMaxQuestionLength) {
    return core::Status::InvalidArgument("`text` is longer than " +
                                         std::to_string(core::kMaxQuestionLength) +
                                         " characters");
  }
  switch (reader.session().kind) {
    case AskRequestReader::Kind::kMissing:
    case AskRequestReader::Kind::kNull:
      break;
    case AskRequestReader::Kind::kString:
      request.session = std::move(reader.session().value);
      if (!request.session.empty() && !ValidSessionId(request.session)) {
        return core::Status::InvalidArgument(
            "`session` must be at most " + std::to_string(kMaxSessionIdBytes) +
            " characters: ASCII letters, digits and -_.:@");
      }
      break;
    case AskRequestReader::Kind::kOther:
      return core::Status::InvalidArgument("`session` must be a string");
  }
  switch (reader.lang().kind) {
    case AskRequestReader::Kind::kMissing:
    case AskRequestReader::Kind::kNull:
      break;
    case AskRequestReader::Kind::kString:
      if (!core::IsReplyLanguage(reader.lang().value)) {
        return core::Status::InvalidArgument("`lang` must be one of \"en\", \"ru\", \"be\"");
      }
      request.lang = std::move(reader.lang().value);
      break;
    case AskRequestReader::Kind::kOther:
      return core::Status::InvalidArgument("`lang` must be a string");
  }
  return request;
}

json ReasonToJson(const core::ReplyReason& reason) {
  json j = {{"code", reason.code}};
  if (!reason.entity.empty()) j["entity"] = reason.entity;
  if (reason.year) j["year"] = reason.year;
  if (!reason.detail.empty()) j["detail"] = reason.detail;
  if (!reason.number.empty()) j["number"] = reason.number;
  return j;
}

json ReplyToJson(const core::Reply& reply) {
  json facts = json::array();
  for (const auto& f : reply.facts) facts.push_back({{"id", f.id}, {"source", f.source}});
  json j = {{"answer", reply.text},
            {"intent", reply.intent ? json(*reply.intent) : json(nullptr)},
            {"fallback", reply.fallback},
            {"facts", facts},
            {"captures", json(reply.captures)},
            {"lang", reply.lang},
            {"question_lang", reply.question_lang}};
  if (!reply.suggestions.empty()) j["suggestions"] = reply.suggestions;
  if (reply.reason) j["reason"] = ReasonToJson(*reply.reason);
  if (!reply.choices.empty()) j["choices"] = reply.choices;
  if (!reply.read_as.empty()) j["context"] = {{"read_as", reply.read_as}};
  return j;
}

namespace {

// Whether any of the eight bytes in `block` must be escaped in a JSON
// string: a control character, '"' or '\\' (bytes from 0x80 never are).
bool AnyNeedsEscape(uint64_t block) {
  constexpr uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
  const auto has_zero_byte = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return (((block - kOnes * 0x20) & ~block & kHigh) | has_zero_byte(block ^ (kOnes * '"')) |
          has_zero_byte(block ^ (kOnes * '\\'))) != 0;
}

// Appends `s` as a JSON string the way Dump() writes it.
void AppendJsonString(const std::string& s, std::string* out) {
  if (!core::IsValidUtf8(s)) {  // Dump's replacement rules, not ours
    *out += Dump(json(s));
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  *out += '"';
  size_t plain = 0;  // start of the run of bytes that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    uint64_t block;
    while (i + 8 <= s.size() &&
           (std::memcpy(&block, s.data() + i, 8), !AnyNeedsEscape(block))) {
      i += 8;
    }
    if (i == s.size()) break;
    const char c = s[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        *out += "\\u00";
        *out += kHex[byte >> 4];
        *out += kHex[byte & 15];
    }
  }
  out->append(s, plain, s.size() - plain);
  *out += '"';
}

void AppendJsonStrings(const std::vector<std::string>& items, std::string* out) {
  *out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) *out += ',';
    AppendJsonString(items[i], out);
  }
  *out += ']';
}

}  // namespace

std::string ReplyJson(const core::Reply& reply) {
  // Keys in the order nlohmann's sorted objects give.
  std::string out;
  out.reserve(reply.text.size() + 128 * (reply.facts.size() + 1));
  out += "{\"answer\":";
  AppendJsonString(reply.text, &out);
  out += ",\"captures\":{";
  bool first = true;
  for (const auto& [name, value] : reply.captures) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(name, &out);
    out += ':';
    AppendJsonString(value, &out);
  }
  out += '}';
  if (!reply.choices.empty()) {
    out += ",\"choices\":";
    AppendJsonStrings(reply.choices, &out);
  }
  if (!reply.read_as.empty()) {
    out += ",\"context\":{\"read_as\":";
    AppendJsonString(reply.read_as, &out);
    out += '}';
  }
  out += ",\"facts\":[";
  for (size_t i = 0; i < reply.facts.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"id\":";
    AppendJsonString(reply.facts[i].id, &out);
    out += ",\"source\":";
    AppendJsonString(reply.facts[i].source, &out);
    out += '}';
  }
  out += reply.fallback ? "],\"fallback\":true" : "],\"fallback\":false";
  out += ",\"intent\":";
  if (reply.intent) {
    AppendJsonString(*reply.intent, &out);
  } else {
    out += "null";
  }
  out += ",\"lang\":";
  AppendJsonString(reply.lang, &out);
  out += ",\"question_lang\":";
  AppendJsonString(reply.question_lang, &out);
  if (reply.reason) {
    out += ",\"reason\":";
    out += ReasonToJson(*reply.reason).dump();  // rare: a refusal
  }
  if (!reply.suggestions.empty()) {
    out += ",\"suggestions\":";
    AppendJsonStrings(reply.suggestions, &out);
  }
  out += '}';
  return out;
}

namespace {

json Where(const core::SourceLocation& where) {
  return where.file + ":" + std::to_string(where.line);
}

}  // namespace

json GroundingToJson(const core::Explanation& e) {
  if (!e.grounding) return nullptr;
  json steps = json::array();
  for (const core::GroundingStep& s : e.grounding->steps) {
    steps.push_back({{"rule", s.rule}, {"passed", s.passed}, {"note", s.note}});
  }
  json j = {{"steps", steps}, {"refused", e.grounding->refusal.has_value()}};
  return j;
}

json ExplanationToJson(const core::Knowledge& k, const core::Explanation& e) {
  json candidates = json::array();
  for (size_t i = 0; i < e.candidates.size(); ++i) {
    const core::Candidate& c = e.candidates[i];
    const core::Intent& intent = k.intents().intents()[c.intent];
    const core::LocatedText& pattern = intent.patterns[c.pattern];
    json item = {{"intent", intent.id},
                 {"pattern", pattern.text},
                 {"where", Where(pattern.where)},
                 {"priority", c.priority},
                 {"specificity", c.specificity},
                 {"captures", json(c.captures)},
                 {"winner", e.winner && *e.winner == i},
                 {"vetoed", c.vetoed_by.has_value()}};
    if (c.vetoed_by) {
      const core::LocatedText& x = intent.exclude[*c.vetoed_by];
      item["vetoed_by"] = {{"pattern", x.text}, {"where", Where(x.where)}};
    }
    if (e.winner && *e.winner == i && !e.concepts.empty()) {
      json concepts = json::array();
      for (const core::ConceptUse& u : e.concepts) {
        concepts.push_back({{"concept", u.name}, {"term", u.term}, {"matched", u.matched}});
      }
      item["concepts"] = std::move(concepts);
    }
    candidates.push_back(std::move(item));
  }
  json facts = json::array();
  for (const auto& f : e.reply.facts) {
    const core::Fact* fact = k.facts().Find(f.id);
    facts.push_back({{"id", f.id},
                     {"source", f.source},
                     {"text", fact ? fact->text : ""},
                     {"where", fact ? Where(fact->where) : json(nullptr)}});
  }
  return {{"question_normalized", e.normalized},
          {"reread", e.reread.empty() ? json(nullptr) : json(e.reread)},
          {"candidates", candidates},
          {"winner", e.winner ? json(k.intents().intents()[e.candidates[*e.winner].intent].id)
                              : json(nullptr)},
          {"why", e.why},
          {"grounding", GroundingToJson(e)},
          {"language", {{"lang", e.language.lang},
                        {"decided", e.language.decided},
                        {"from_hint", e.language.from_hint},
                        {"evidence", e.language.evidence}}},
          {"facts", facts},
          {"reply", ReplyToJson(e.reply)}};
}

json ContextToJson(const core::ConversationContext& c) {
  json j = {{"intent", c.intent},   {"question", c.question},
            {"entities", c.entities}, {"answer_entities", c.answer_entities},
            {"facts", c.facts},     {"detail", c.detail},
            {"lang", c.lang},       {"turns", c.turns}};
  if (!c.pending.empty()) j["pending"] = c.pending;
  return j;
}

std::optional<core::ConversationContext> ContextFromJson(const json& j) {
  if (!j.is_object()) return std::nullopt;
  core::ConversationContext c;
  bool ok = true;
  auto str = [&](const char* key, std::string* out) {
    auto it = j.find(key);
    if (it == j.end()) return;
    if (!it->is_string()) {
      ok = false;
      return;
    }
    *out = it->get<std::string>();
  };
  auto list = [&](const char* key, size_t max, std::vector<std::string>* out) {
    auto it = j.find(key);
    if (it == j.end()) return;
    if (!it->is_array()) {
      ok = false;
      return;
    }
    for (const auto& s : *it) {
      if (!s.is_string()) {
        ok = false;
        return;
      }
      if (out->size() < max) out->push_back(s.get<std::string>());
    }
  };
  str("intent", &c.intent);
  str("question", &c.question);
  str("detail", &c.detail);
  str("lang", &c.lang);
  str("pending", &c.pending);
  list("entities", core::kMaxContextEntities, &c.entities);
  list("answer_entities", core::kMaxContextEntities, &c.answer_entities);
  list("facts", core::kMaxContextFacts, &c.facts);
  if (auto it = j.find("turns"); it != j.end()) {
    if (!it->is_number_integer()) return std::nullopt;
    c.turns = it->get<int>();
  }
  if (!ok) return std::nullopt;
  if (c.question.size() > core::kMaxContextQuestionBytes) {
    size_t cut = core::kMaxContextQuestionBytes;  // at a character, not inside one
    while (cut > 0 && (static_cast<unsigned char>(c.question[cut]) & 0xC0) == 0x80) --cut;
    c.question.resize(cut);
  }
  return c;
}

json TurnToJson(const core::Knowledge& k, const core::ConversationContext& context,
                const core::Turn& turn) {
  json j = turn.explanation ? ExplanationToJson(k, *turn.explanation) : json::object();
  j["reply"] = ReplyToJson(turn.reply);
  json c = {{"previous", context.empty() ? json(nullptr) : ContextToJson(context)},
            {"reading", turn.reading},
            {"tried", turn.tried}};
  if (!turn.reply.read_as.empty()) c["read_as"] = turn.reply.read_as;
  j["context"] = std::move(c);
  return j;
}

json FactsToJson(const core::Knowledge& k) {
  json out = json::array();
  for (const core::Fact& f : k.facts().facts()) {
    json item = {{"id", f.id}, {"text", f.text}, {"source", f.source}, {"tags", f.tags}};
    if (!f.translations.empty()) item["translations"] = f.translations;
    if (!f.date.empty()) item["date"] = f.date;
    if (f.year) item["year"] = *f.year;
    if (f.period) item["period"] = {f.period->first, f.period->second};
    if (f.as_of) item["as_of"] = *f.as_of;
    out.push_back(std::move(item));
  }
  return {{"count", out.size()}, {"facts", out}};
}

json IntentsToJson(const core::Knowledge& k) {
  json out = json::array();
  for (const core::Intent& i : k.intents().intents()) {
    json patterns = json::array();
    for (const auto& p : i.patterns) patterns.push_back(p.text);
    json facts = json::array();
    for (const auto& f : i.answer.facts) facts.push_back(f.text);
    json examples = json::array();
    for (const auto& e : i.examples) examples.push_back(e.text);
    out.push_back({{"id", i.id},
                   {"priority", i.priority},
                   {"patterns", patterns},
                   {"facts", facts},
                   {"examples", examples},
                   {"where", Where(i.where)}});
  }
  return {{"count", out.size()}, {"intents", out}};
}

json ErrorJson(const std::string& message) { return {{"error", message}}; }

std::string Dump(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace bot::edge
