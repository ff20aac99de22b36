#include "bot/edge/config.h"

#include <catch2/catch.hpp>

#include "bot/core/utf8.h"
#include "bot/edge/channels/registry.h"
#include "tests/support/test_support.h"

namespace bot::edge {
namespace {

// Every diagnostic, one FormatDiagnostic line each.
std::string Lines(const LoadedConfig& loaded) { return FormatDiagnostics(loaded.diagnostics); }

TEST_CASE("Config defaults apply without a file or environment", "[config]") {
  auto loaded = LoadConfig("", {});
  REQUIRE(loaded.ok());
  CHECK(loaded.config.port == 8080);
  CHECK(loaded.config.host == "127.0.0.1");
  CHECK(loaded.source.at("http.port") == "default");
}

TEST_CASE("Config reads the file and the environment overrides it", "[config]") {
  testing::TempDir dir;
  dir.Write("bot.yaml",
            "http:\n  host: 0.0.0.0\n  port: 9000\n  max_threads: 64\n"
            "log:\n  level: warn\n  text: true\n"
            "data:\n  intents_dir: /srv/intents\n");
  auto loaded = LoadConfig(dir.path() + "/bot.yaml",
                           {{"BOT_HTTP_PORT", "9100"}, {"BOT_DATA_FACTS_DIR", "/srv/facts"}});
  REQUIRE(loaded.ok());
  const auto& c = loaded.config;
  CHECK(c.host == "0.0.0.0");
  CHECK(c.port == 9100);
  CHECK(c.max_threads == 64);
  CHECK(c.log_level == "warn");
  CHECK(c.log_text);
  CHECK(c.intents_dir == "/srv/intents");
  CHECK(c.facts_dir == "/srv/facts");
  CHECK(loaded.source.at("http.host") == "file");
  CHECK(loaded.source.at("http.port") == "env");
}

TEST_CASE("Config reports every mistake with file:line:column and a hint", "[config]") {
  testing::TempDir dir;
  dir.Write("bot.yaml",
            "http:\n  prot: 9000\n  max_threads: lots\n"
            "logs:\n  level: info\n");
  auto loaded = LoadConfig(dir.path() + "/bot.yaml", {{"BOT_HTTP_MIN_THREADS", "-3"}});
  REQUIRE_FALSE(loaded.ok());
  const std::string m = Lines(loaded);
  CAPTURE(m);
  CHECK(loaded.diagnostics.size() == 4);
  CHECK(m.find("bot.yaml:2:3: error: unknown key `http.prot`; did you mean `http.port`? "
               "[unknown-key]") != std::string::npos);
  CHECK(m.find("bot.yaml:3:16: error: `http.max_threads` expected a whole number") !=
        std::string::npos);
  CHECK(m.find("bot.yaml:4:1: error: unknown section `logs`; did you mean `log`? "
               "[unknown-section]") != std::string::npos);
  CHECK(m.find("environment: error: BOT_HTTP_MIN_THREADS must be from 1") != std::string::npos);
}

TEST_CASE("Config reads the Redis takeover settings from the file and the environment, "
          "checked",
          "[config]") {
  auto defaults = LoadConfig("", {});
  CHECK(defaults.config.redis_claim_idle_ms == 0);  // derived from the send timeouts
  CHECK(defaults.config.redis_dedup_claim_ttl_s == 600);
  testing::TempDir dir;
  dir.Write("bot.yaml", "redis:\n  claim_idle_ms: 45000\n  dedup_claim_ttl_s: 120\n");
  auto file = LoadConfig(dir.path() + "/bot.yaml", {{"BOT_REDIS_CLAIM_IDLE_MS", "1000"}});
  REQUIRE(file.ok());
  CHECK(file.config.redis_claim_idle_ms == 1000);  // the environment wins
  CHECK(file.config.redis_dedup_claim_ttl_s == 120);
  dir.Write("bad.yaml", "redis:\n  claim_idle_ms: soon\n");
  auto bad = LoadConfig(dir.path() + "/bad.yaml", {{"BOT_REDIS_DEDUP_CLAIM_TTL_S", "0"}});
  REQUIRE_FALSE(bad.ok());
  const std::string m = Lines(bad);
  CAPTURE(m);
  CHECK(m.find("bad.yaml:2:18: error: `redis.claim_idle_ms` expected a whole number") !=
        std::string::npos);
  CHECK(m.find("environment: error: BOT_REDIS_DEDUP_CLAIM_TTL_S must be from 1") !=
        std::string::npos);
}

TEST_CASE("Config refuses secrets in the file and reads them from the environment", "[config]") {
  testing::TempDir dir;
  dir.Write("bot.yaml", "http:\n  telegram_token: \"123:abc\"\n");
  auto rejected = LoadConfig(dir.path() + "/bot.yaml", {});
  REQUIRE_FALSE(rejected.ok());
  CHECK(Lines(rejected).find("secrets are read only from environment") != std::string::npos);
  CHECK(Lines(rejected).find("123:abc") == std::string::npos);

  auto loaded = LoadConfig("", {{"BOT_TELEGRAM_TOKEN", "tg-hush-7d1f"},
                                {"BOT_CUSTOM_API_KEY", "key-hush-99ab"},
                                {"BOT_HTTP_PROT", "1"}});
  REQUIRE(loaded.ok());
  CHECK(loaded.config.Secret("BOT_TELEGRAM_TOKEN") == "tg-hush-7d1f");
  CHECK(loaded.config.Secret("BOT_SLACK_BOT_TOKEN").empty());
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].severity == core::Diagnostic::Severity::kWarning);
  CHECK(loaded.diagnostics[0].code == "unknown-setting");
  CHECK(loaded.diagnostics[0].message.find("BOT_HTTP_PROT") != std::string::npos);
  std::string shown = FormatConfig(loaded);
  CHECK(shown.find("hush") == std::string::npos);
  CHECK(shown.find("BOT_TELEGRAM_TOKEN = <set, masked>") != std::string::npos);
  CHECK(shown.find("BOT_CUSTOM_API_KEY = <set, masked>") != std::string::npos);
  CHECK(shown.find("BOT_SLACK_BOT_TOKEN = <unset>") != std::string::npos);
}

TEST_CASE("Config refuses an environment variable that is not UTF-8 and names it",
          "[config]") {
  auto loaded = LoadConfig("", {{"BOT_VIBER_NAME", "OSCE \xff Bot"},
                                {"BOT_VIBER_TOKEN", "tok\x92" "en-hush"},
                                {"BOT_DATA_FACTS_DIR", "facts\xc3"}});
  REQUIRE_FALSE(loaded.ok());
  const std::string m = Lines(loaded);
  CAPTURE(m);
  CHECK(m.find("environment: error: BOT_VIBER_NAME is not valid UTF-8 (byte 0xff at offset 5)") !=
        std::string::npos);
  CHECK(m.find("environment: error: BOT_DATA_FACTS_DIR is not valid UTF-8 (byte 0xc3 at offset "
               "5)") != std::string::npos);
  // A secret is named, never shown, not even a byte of it.
  REQUIRE(loaded.diagnostics.size() == 3);
  CHECK(loaded.diagnostics.back().message == "BOT_VIBER_TOKEN is not valid UTF-8");
  CHECK(m.find("hush") == std::string::npos);
  CHECK(m.find("0x92") == std::string::npos);
}

TEST_CASE("Config refuses a file value or key that is not UTF-8 at its file:line:column",
          "[config]") {
  testing::TempDir dir;
  dir.Write("bot.yaml", "http:\n  host: \"bot\x92host\"\nlog:\n  lev\xe9l: info\n");
  auto loaded = LoadConfig(dir.path() + "/bot.yaml", {});
  REQUIRE_FALSE(loaded.ok());
  const std::string m = Lines(loaded);
  CAPTURE(m);
  CHECK(m.find("bot.yaml:2:9: error: `http.host` is not valid UTF-8 (byte 0x92)") !=
        std::string::npos);
  CHECK(m.find("bot.yaml:4:3: error: key is not valid UTF-8 (byte 0xe9)") != std::string::npos);

  // yaml-cpp's own message quotes the byte raw: it is repaired.
  dir.Write("bot.yaml", "http:\n  host: \"\\\xb0\"\n");
  auto broken = LoadConfig(dir.path() + "/bot.yaml", {});
  REQUIRE_FALSE(broken.ok());
  CHECK(bot::core::IsValidUtf8(Lines(broken)));
}

TEST_CASE("Config keeps the admin listener on loopback and checks thread bounds", "[config]") {
  CHECK_FALSE(LoadConfig("", {{"BOT_ADMIN_HOST", "0.0.0.0"}}).ok());
  CHECK_FALSE(LoadConfig("", {{"BOT_HTTP_MIN_THREADS", "10"}, {"BOT_HTTP_MAX_THREADS", "5"}}).ok());
  CHECK_FALSE(LoadConfig("", {{"BOT_ADMIN_PORT", "8080"}}).ok());
  CHECK(LoadConfig("", {{"BOT_ADMIN_PORT", "9091"}}).ok());
}

TEST_CASE("Config validates the channels' declared settings and serves their secrets",
          "[config]") {
  // A bad value is an error naming the variable and the rule, never a
  // silently used default.
  auto bad = LoadConfig("", {{"BOT_TELEGRAM_POLL_TIMEOUT", "soon"},
                             {"BOT_TELEGRAM_MODE", "pollling"},
                             {"BOT_TELEGRAM_TOKEN", "tg-hush-7d1f"}});
  REQUIRE_FALSE(bad.ok());
  const std::string m = Lines(bad);
  CAPTURE(m);
  CHECK(bad.diagnostics.size() == 2);
  CHECK(m.find("environment: error: BOT_TELEGRAM_POLL_TIMEOUT must be a whole number from 0 to "
               "50, got `soon` [bad-value]") != std::string::npos);
  CHECK(m.find("BOT_TELEGRAM_MODE must be one of webhook, polling, got `pollling`") !=
        std::string::npos);
  CHECK(m.find("hush") == std::string::npos);
  CHECK_FALSE(LoadConfig("", {{"BOT_TELEGRAM_POLL_TIMEOUT", "51"}}).ok());

  auto good = LoadConfig("", {{"BOT_TELEGRAM_POLL_TIMEOUT", "50"},
                              {"BOT_TELEGRAM_MODE", "polling"},
                              {"BOT_GRAPH_API_VERSION", "v20.0"},
                              {"BOT_TELEGRAM_TOKEN", "tg-hush-7d1f"},
                              {"BOT_ADMIN_TOKEN", "adm-hush"}});
  REQUIRE(good.ok());
  CHECK(good.diagnostics.empty());  // every channel variable is known
  CHECK(good.Lookup("BOT_TELEGRAM_TOKEN") == "tg-hush-7d1f");
  CHECK(good.Lookup("BOT_TELEGRAM_POLL_TIMEOUT") == "50");
  CHECK(good.Lookup("BOT_ADMIN_TOKEN") == "adm-hush");
  CHECK(good.Lookup("BOT_SLACK_API").empty());
  CHECK(good.channel_settings.count("BOT_TELEGRAM_TOKEN") == 0);  // secrets apart
  std::string shown = FormatConfig(good);
  CHECK(shown.find("BOT_GRAPH_API_VERSION = v20.0") != std::string::npos);
  CHECK(shown.find("hush") == std::string::npos);
  // Every secret a channel declares is listed (masked) by name.
  for (const auto& s : channels::AllChannelSettings()) {
    CAPTURE(s.env);
    CHECK(IsSecretEnvVar(s.env) == s.secret);
    if (s.secret) CHECK(shown.find(s.env + " = <") != std::string::npos);
  }
}

TEST_CASE("Every config field has a BOT_ variable derived from its key", "[config]") {
  for (const auto& f : ConfigFields()) {
    CAPTURE(f.key);
    std::string expected = "BOT_";
    for (char c : f.key) expected += c == '.' ? '_' : static_cast<char>(std::toupper(c));
    CHECK(f.env == expected);
    CHECK_FALSE(f.help.empty());
    // The default round-trips through its own parser.
    ServiceConfig c;
    CHECK(f.set(c, f.get(ServiceConfig{})).ok());
  }
}

}  // namespace
}  // namespace bot::edge
