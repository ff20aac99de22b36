#include "bot/edge/channels/registry.h"

#include <catch2/catch.hpp>

#include <set>

#include "tests/edge/channels/channel_harness.h"

using namespace bot::edge::channels;  // NOLINT: test file

TEST_CASE("Every platform declares its settings, and is off without its secrets",
          "[channels][registry]") {
  ChannelConfig empty;
  empty.env = [](const std::string&) { return std::string(); };
  empty.now_s = [] { return int64_t{0}; };
  std::set<std::string> names;
  for (const RegistryEntry& entry : Registry()) {
    CAPTURE(entry.name);
    CHECK(names.insert(entry.name).second);
    bool has_secret = false;
    for (const ChannelSetting& s : entry.settings()) {
      CAPTURE(s.env);
      CHECK(s.env.rfind("BOT_", 0) == 0);
      CHECK_FALSE(s.help.empty());
      has_secret = has_secret || s.secret;
      // A fallback passes its own check.
      if (s.check && !s.fallback.empty()) CHECK(s.check(s.fallback).empty());
    }
    CHECK(has_secret);
    CHECK(entry.factory(empty) == nullptr);
  }
  // Shared settings (the Graph API's) are listed once.
  std::set<std::string> all;
  for (const ChannelSetting& s : AllChannelSettings()) CHECK(all.insert(s.env).second);
  CHECK(all.count("BOT_GRAPH_API") == 1);
}

TEST_CASE("CheckSettings names each set value its check refuses", "[channels][registry]") {
  std::vector<ChannelSetting> settings = {
      PlainSetting("BOT_X_TIMEOUT", "seconds", "25", WholeNumber(0, 50)),
      PlainSetting("BOT_X_MODE", "mode", "a", OneOf({"a", "b"})),
      SecretSetting("BOT_X_TOKEN", "token")};
  std::map<std::string, std::string> env = {{"BOT_X_TIMEOUT", "51"}, {"BOT_X_MODE", "c"}};
  EnvLookup lookup = [&](const std::string& name) {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  CHECK(CheckSettings(settings, lookup) ==
        std::vector<std::string>{"BOT_X_TIMEOUT must be from 0 to 50, got 51",
                                 "BOT_X_MODE must be one of a, b, got `c`"});
  env = {{"BOT_X_TIMEOUT", "-1x"}};
  CHECK(CheckSettings(settings, lookup) ==
        std::vector<std::string>{
            "BOT_X_TIMEOUT must be a whole number from 0 to 50, got `-1x`"});
  env = {{"BOT_X_TIMEOUT", "0"}, {"BOT_X_MODE", "b"}};
  CHECK(CheckSettings(settings, lookup).empty());
  ChannelConfig config;
  config.env = lookup;
  CHECK(config.Get(settings[0]) == "0");
  CHECK(config.Get(settings[2]).empty());
  env.clear();
  CHECK(config.Get(settings[0]) == "25");  // the fallback when unset
}

TEST_CASE("The hub keeps a channel off when a setting breaks its check, never guessing",
          "[channels][registry]") {
  // Regression: a bad BOT_TELEGRAM_POLL_TIMEOUT was swallowed and 25 used.
  bot::testing::ChannelHarness h({{"BOT_TELEGRAM_TOKEN", "123:abc"},
                                  {"BOT_TELEGRAM_SECRET", bot::testing::kTelegramSecret},
                                  {"BOT_TELEGRAM_POLL_TIMEOUT", "soon"}});
  CHECK(h.hub().enabled().empty());
  auto r = h.Post("/webhooks/telegram", "{}",
                  {{"X-Telegram-Bot-Api-Secret-Token", bot::testing::kTelegramSecret}});
  REQUIRE(r);
  CHECK(r->status == 404);
}
