// libFuzzer target: arbitrary bytes as content a user reads, through the
// loaders and config into every channel's reply. The first byte picks where
// the rest goes: a fact's text, an intent's answer template, a fact's alias
// list entry, or BOT_VIBER_NAME. Whatever the loaders or the config accept
// must build the API reply and every channel's platform JSON without
// throwing (a throw there used to end the process from a send worker).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/core/answerer.h"
#include "bot/core/knowledge.h"
#include "bot/core/utf8.h"
#include "bot/edge/channels/channel_hub.h"
#include "bot/edge/channels/text_split.h"
#include "bot/edge/config.h"
#include "bot/edge/json_codec.h"
#include "bot/edge/yaml_loader.h"
#include "tests/fuzz/fuzz_channels.h"

namespace {

namespace ch = bot::edge::channels;

using bot::fuzz::MakeChannels;

// `bytes` as the lines of a literal block scalar indented by `indent`.
std::string Block(const std::string& bytes, size_t indent) {
  std::string out;
  for (size_t start = 0;;) {
    size_t newline = bytes.find('\n', start);
    out += std::string(indent, ' ') + bytes.substr(start, newline - start) + "\n";
    if (newline == std::string::npos) break;
    start = newline + 1;
  }
  return out;
}

// Every way the hub turns `reply` into bytes on the wire; none may throw.
void RenderEverywhere(const std::vector<std::unique_ptr<ch::Channel>>& channels,
                      const bot::core::Reply& reply) {
  try {
    bot::edge::ReplyJson(reply);
    bot::edge::Dump(bot::edge::ReplyToJson(reply));
    ch::Event event;
    event.id = "1";
    event.chat = "42";
    event.text = "q";
    event.context.reply_to = "7";
    for (const auto& channel : channels) {
      channel->RenderReply(event, ch::SplitMessage(reply.text, channel->max_text_units()),
                           reply.suggestions);
      channel->WelcomeBody(reply.text, reply.suggestions);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "reply building threw: %s\n", e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 16 * 1024) return 0;
  const int mode = data[0] % 4;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  if (mode == 3) {  // BOT_VIBER_NAME, as `bot config check` and serve see it
    if (bytes.find('\0') != std::string::npos) return 0;  // no such variable
    auto env = bot::fuzz::ChannelEnv();
    env["BOT_VIBER_NAME"] = bytes;
    if (!bot::edge::LoadConfig("", env).ok() || bytes.empty()) return 0;
    bot::core::Reply reply;
    reply.text = "Hello.";
    reply.suggestions = {"When did Belarus join the OSCE?"};
    RenderEverywhere(MakeChannels(env), reply);
    return 0;
  }

  std::string facts = "facts:\n  - id: f\n    source: d#1\n";
  std::string intents =
      "intents:\n  - id: i\n    patterns: ['\\bdelegation\\b']\n    answer:\n";
  if (mode == 0) {
    facts += "    text: |-\n" + Block(bytes, 6);
    intents += "      facts: [f]\n";
  } else if (mode == 1) {
    facts += "    text: Fact.\n";
    intents += "      text: |-\n" + Block(bytes, 8);
  } else {
    facts += "    text: Fact.\n    aliases:\n      - |-\n" + Block(bytes, 8);
    intents += "      facts: [f]\n";
  }
  std::vector<bot::core::Diagnostic> diagnostics;
  auto loaded_facts = bot::edge::ParseFactsYaml(facts, "facts.yaml", &diagnostics);
  auto loaded_intents = bot::edge::ParseIntentsYaml(intents, "intents.yaml", &diagnostics);
  for (const auto& d : diagnostics) {
    if (!bot::core::IsValidUtf8(bot::core::FormatDiagnostic(d))) std::abort();
  }
  auto knowledge = bot::core::Knowledge::Build(std::move(loaded_facts), std::move(loaded_intents),
                                               &diagnostics);
  if (!knowledge || bot::core::HasErrors(diagnostics)) return 0;  // refused: fine
  static const auto* channels = new auto(MakeChannels(bot::fuzz::ChannelEnv()));
  for (const char* question : {"Where is the delegation?", "something else entirely"}) {
    RenderEverywhere(*channels,
                     bot::core::Answer(*knowledge, bot::core::Question{question, "", "fuzz"}));
  }
  return 0;
}
