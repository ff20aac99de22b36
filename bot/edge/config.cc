#include "bot/edge/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bot/core/utf8.h"
#include "bot/edge/channels/registry.h"
#include "bot/edge/read_file.h"
#include "bot/edge/yaml_loader.h"

extern char** environ;

namespace bot::edge {
namespace {

using channels::ChannelSetting;
using core::Status;

std::string EnvName(const std::string& key) {
  std::string env = "BOT_";
  for (char c : key) env += c == '.' ? '_' : static_cast<char>(std::toupper(c));
  return env;
}

Status ParseInt(const std::string& text, long min, long max, long* out) {
  if (text.empty() || text.size() > 12) return Status::InvalidArgument("expected a whole number");
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0') return Status::InvalidArgument("expected a whole number, got `" + text + "`");
  if (v < min || v > max) {
    return Status::InvalidArgument("must be from " + std::to_string(min) + " to " +
                                   std::to_string(max) + ", got " + text);
  }
  *out = v;
  return Status::Ok();
}

ConfigField IntField(const std::string& key, int ServiceConfig::*member, long min, long max,
                     const std::string& help) {
  return {key, EnvName(key), help,
          [member, min, max](ServiceConfig& c, const std::string& text) {
            long v = 0;
            Status s = ParseInt(text, min, max, &v);
            if (s.ok()) c.*member = static_cast<int>(v);
            return s;
          },
          [member](const ServiceConfig& c) { return std::to_string(c.*member); }};
}

ConfigField DoubleField(const std::string& key, double ServiceConfig::*member, double min,
                        double max, const std::string& help) {
  return {key, EnvName(key), help,
          [member, min, max](ServiceConfig& c, const std::string& text) {
            char* end = nullptr;
            double v = text.empty() ? NAN : std::strtod(text.c_str(), &end);
            if (std::isnan(v) || (end && *end != '\0')) {
              return Status::InvalidArgument("expected a number, got `" + text + "`");
            }
            if (v < min || v > max) {
              std::ostringstream range;
              range << "must be from " << min << " to " << max << ", got " << text;
              return Status::InvalidArgument(range.str());
            }
            c.*member = v;
            return Status::Ok();
          },
          [member](const ServiceConfig& c) {
            std::ostringstream out;
            out << c.*member;
            return out.str();
          }};
}

ConfigField BoolField(const std::string& key, bool ServiceConfig::*member,
                      const std::string& help) {
  return {key, EnvName(key), help,
          [member](ServiceConfig& c, const std::string& text) {
            if (text == "true" || text == "1" || text == "yes" || text == "on") {
              c.*member = true;
            } else if (text == "false" || text == "0" || text == "no" || text == "off") {
              c.*member = false;
            } else {
              return Status::InvalidArgument("expected true or false, got `" + text + "`");
            }
            return Status::Ok();
          },
          [member](const ServiceConfig& c) { return std::string(c.*member ? "true" : "false"); }};
}

ConfigField StringField(const std::string& key, std::string ServiceConfig::*member,
                        std::vector<std::string> allowed, const std::string& help) {
  return {key, EnvName(key), help,
          [member, allowed](ServiceConfig& c, const std::string& text) {
            if (text.empty()) return Status::InvalidArgument("must not be empty");
            if (!allowed.empty() &&
                std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
              std::string list;
              for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
              return Status::InvalidArgument("must be one of " + list + ", got `" + text + "`");
            }
            c.*member = text;
            return Status::Ok();
          },
          [member](const ServiceConfig& c) { return c.*member; }};
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

// Keys that look like credentials must not be in the file at all.
bool LooksSecret(const std::string& key) {
  std::string lower;
  for (char c : key) lower += static_cast<char>(std::tolower(c));
  for (const char* word : {"token", "secret", "password", "passwd", "api_key", "apikey"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

// " (byte 0xNN)" for the first bad byte of `text`, or "" when it is UTF-8.
std::string BadByte(std::string_view text) {
  size_t at = core::FindInvalidUtf8(text);
  if (at == std::string_view::npos) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char byte = static_cast<unsigned char>(text[at]);
  return std::string(" (byte 0x") + kHex[byte >> 4] + kHex[byte & 15] + ")";
}

core::SourceLocation Where(const std::string& file, const YAML::Mark& mark) {
  return {file, mark.line + 1, mark.column + 1};
}

// Problems with the environment have no line to point at.
const core::SourceLocation kEnvironment{"environment", 0, 0};

void Warn(std::vector<core::Diagnostic>* out, const core::SourceLocation& where, std::string code,
          std::string message) {
  core::Report(out, where, std::move(code), std::move(message),
               core::Diagnostic::Severity::kWarning);
}

const ChannelSetting* FindChannelSetting(const std::string& env) {
  for (const ChannelSetting& s : channels::AllChannelSettings()) {
    if (s.env == env) return &s;
  }
  return nullptr;
}

constexpr char kAdminTokenEnv[] = "BOT_ADMIN_TOKEN";
// redis://[:password@]host:port/db: a secret, since it may hold a password.
constexpr char kRedisUrlEnv[] = "BOT_REDIS_URL";

std::vector<std::string> FieldKeys() {
  std::vector<std::string> keys;
  for (const auto& f : ConfigFields()) keys.push_back(f.key);
  return keys;
}

void ApplyFile(const std::string& path, LoadedConfig* loaded,
               std::vector<core::Diagnostic>* errors) {
  std::optional<std::string> text = ReadFile(path, kMaxKnowledgeFileBytes);
  if (!text) {
    core::Report(errors, {path, 0, 0}, "unreadable", "cannot read the config file");
    return;
  }
  if (text->size() > kMaxKnowledgeFileBytes) {
    core::Report(errors, {path, 0, 0}, "too-large", "the config file is over 1 MiB");
    return;
  }
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    core::Report(errors, Where(path, e.mark), "invalid-yaml",
                 "invalid YAML: " + core::ReplaceInvalidUtf8(e.msg));
    return;
  }
  if (root.IsNull()) return;  // an empty file keeps the defaults
  if (!root.IsMap()) {
    core::Report(errors, Where(path, root.Mark()), "not-a-mapping",
                 "the config must be a mapping of sections");
    return;
  }
  const auto keys = FieldKeys();
  std::vector<std::string> sections;
  for (const auto& k : keys) {
    std::string section = k.substr(0, k.find('.'));
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
      sections.push_back(section);
    }
  }
  // Keys and values end up in messages and on the wire: UTF-8 only.
  auto bad_key = [&](const YAML::Node& key) {
    std::string bad = BadByte(key.Scalar());
    if (!bad.empty()) {
      core::Report(errors, Where(path, key.Mark()), "not-utf8", "key is not valid UTF-8" + bad);
    }
    return !bad.empty();
  };
  for (const auto& section_entry : root) {
    if (bad_key(section_entry.first)) continue;
    std::string section = section_entry.first.Scalar();
    const YAML::Node& body = section_entry.second;
    if (LooksSecret(section)) {
      core::Report(errors, Where(path, section_entry.first.Mark()), "secret-in-file",
                   "`" + section +
                       "` looks like a secret; secrets are read only from environment "
                       "variables (see bot config check)");
      continue;
    }
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
      std::string hint = ClosestKey(section, sections);
      core::Report(errors, Where(path, section_entry.first.Mark()), "unknown-section",
                   "unknown section `" + section + "`" +
                       (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
      continue;
    }
    if (body.IsNull()) continue;
    if (!body.IsMap()) {
      core::Report(errors, Where(path, body.Mark()), "not-a-mapping",
                   "`" + section + "` must be a mapping");
      continue;
    }
    for (const auto& entry : body) {
      if (bad_key(entry.first)) continue;
      std::string key = section + "." + entry.first.Scalar();
      const YAML::Node& value = entry.second;
      if (LooksSecret(entry.first.Scalar())) {
        core::Report(errors, Where(path, entry.first.Mark()), "secret-in-file",
                     "`" + key +
                         "` looks like a secret; secrets are read only from environment "
                         "variables, never from the config file");
        continue;
      }
      auto field = std::find_if(ConfigFields().begin(), ConfigFields().end(),
                                [&](const ConfigField& f) { return f.key == key; });
      if (field == ConfigFields().end()) {
        std::string hint = ClosestKey(key, keys);
        core::Report(errors, Where(path, entry.first.Mark()), "unknown-key",
                     "unknown key `" + key + "`" +
                         (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
        continue;
      }
      if (value.IsNull()) continue;  // `key:` with no value keeps the default
      if (!value.IsScalar()) {
        core::Report(errors, Where(path, value.Mark()), "not-a-value",
                     "`" + key + "` must be a single value");
        continue;
      }
      if (std::string bad = BadByte(value.Scalar()); !bad.empty()) {
        core::Report(errors, Where(path, value.Mark()), "not-utf8",
                     "`" + key + "` is not valid UTF-8" + bad);
        continue;
      }
      Status s = field->set(loaded->config, value.Scalar());
      if (!s.ok()) {
        core::Report(errors, Where(path, value.Mark()), "bad-value",
                     "`" + key + "` " + s.message());
        continue;
      }
      loaded->source[key] = "file";
    }
  }
}

}  // namespace

const std::vector<std::string>& KnownSecretEnvVars() {
  static const auto* kNames = [] {
    auto* names = new std::vector<std::string>{kAdminTokenEnv, kRedisUrlEnv};
    for (const ChannelSetting& s : channels::AllChannelSettings()) {
      if (s.secret) names->push_back(s.env);
    }
    return names;
  }();
  return *kNames;
}

bool IsSecretEnvVar(const std::string& name) {
  const auto& known = KnownSecretEnvVars();
  if (std::find(known.begin(), known.end(), name) != known.end()) return true;
  if (name.rfind("BOT_", 0) != 0) return false;
  for (const char* word : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string ServiceConfig::Secret(const std::string& env_name) const {
  auto it = secrets.find(env_name);
  return it == secrets.end() ? "" : it->second;
}

const std::vector<ConfigField>& ConfigFields() {
  static const auto* fields = new std::vector<ConfigField>{
      StringField("http.host", &ServiceConfig::host, {},
                  "address the public listener binds (0.0.0.0 in a container)"),
      IntField("http.port", &ServiceConfig::port, 0, 65535, "public port (0 picks a free one)"),
      IntField("http.min_threads", &ServiceConfig::min_threads, 1, 4096,
               "worker threads kept warm"),
      IntField("http.max_threads", &ServiceConfig::max_threads, 1, 4096,
               "worker threads at most (one per connection with a request to serve); more wait"),
      IntField("http.max_connections", &ServiceConfig::max_connections, 16, 1000000,
               "open connections at most (idle ones shed above 3/4; 503 beyond)"),
      IntField("http.read_timeout_ms", &ServiceConfig::read_timeout_ms, 100, 600000,
               "longest time to receive a whole request from its first byte (408 after)"),
      IntField("http.write_timeout_ms", &ServiceConfig::write_timeout_ms, 100, 600000,
               "longest wait for a client to take more of a response"),
      IntField("http.keep_alive_timeout_s", &ServiceConfig::keep_alive_timeout_s, 1, 3600,
               "idle keep-alive connections are closed after this"),
      IntField("http.keep_alive_max_count", &ServiceConfig::keep_alive_max_count, 1, 1000000,
               "requests served on one connection before it is closed"),
      IntField("http.max_body_bytes", &ServiceConfig::max_body_bytes, 256, 64 << 20,
               "request body limit of /api/v1/* (413 above)"),
      IntField("http.webhook_max_body_bytes", &ServiceConfig::webhook_max_body_bytes, 256,
               64 << 20, "request body limit of the channel webhooks (413 above)"),
      StringField("admin.host", &ServiceConfig::admin_host, {"127.0.0.1", "::1", "localhost"},
                  "loopback address of the admin listener"),
      IntField("admin.port", &ServiceConfig::admin_port, 0, 65535,
               "port for /admin/* and /metrics; 0 serves them on the public port"),
      StringField("web.chat", &ServiceConfig::web_chat,
                  {"auto", "true", "false", "1", "0", "yes", "no", "on", "off"},
                  "serve the web chat at /chat (auto: when http.host is loopback)"),
      StringField("data.intents_dir", &ServiceConfig::intents_dir, {}, "intents/*.yaml"),
      StringField("data.facts_dir", &ServiceConfig::facts_dir, {}, "facts/*.yaml"),
      StringField("log.level", &ServiceConfig::log_level, {"debug", "info", "warn", "error"},
                  "least severe level written"),
      BoolField("log.text", &ServiceConfig::log_text,
                "include question text in request logs (personal data: off by default)"),
      IntField("shutdown.drain_delay_ms", &ServiceConfig::drain_delay_ms, 0, 600000,
               "after SIGTERM, /readyz answers 503 this long before the listener closes"),
      IntField("shutdown.deadline_ms", &ServiceConfig::shutdown_deadline_ms, 100, 600000,
               "in-flight requests and the send queue get this long to finish"),
      DoubleField("rate_limit.per_minute", &ServiceConfig::rate_limit_per_minute, 0.1, 100000,
                  "messages a messenger user may send per minute, sustained"),
      IntField("rate_limit.burst", &ServiceConfig::rate_limit_burst, 1, 10000,
               "messages a user may send at once"),
      IntField("rate_limit.cooldown_s", &ServiceConfig::rate_limit_cooldown_s, 0, 86400,
               "a flooding user is ignored this long after one \"please slow down\""),
      IntField("rate_limit.max_users", &ServiceConfig::rate_limit_max_users, 100, 10000000,
               "users tracked at most per replica (least recently seen are forgotten)"),
      IntField("context.ttl_s", &ServiceConfig::context_ttl_s, 1, 86400,
               "a conversation's context is forgotten after this idle time"),
      IntField("context.max_turns", &ServiceConfig::context_max_turns, 1, 1000,
               "answered turns one context may span before it starts over"),
      IntField("context.max_sessions", &ServiceConfig::context_max_sessions, 0, 10000000,
               "conversations kept at most (least recently used are forgotten; 0: none)"),
      IntField("redis.claim_idle_ms", &ServiceConfig::redis_claim_idle_ms, 0, 3600000,
               "with BOT_REDIS_URL: an outbound answer held this long without a heartbeat "
               "is taken over by another replica (0: 30 s, the slowest send + 10 s)"),
      IntField("redis.dedup_claim_ttl_s", &ServiceConfig::redis_dedup_claim_ttl_s, 1, 86400,
               "with BOT_REDIS_URL: a webhook's dedup claim holds this long until its answer "
               "is sent (then dedup is kept 7 days); a replica that died first frees it after this"),
  };
  return *fields;
}

std::string LoadedConfig::Lookup(const std::string& env_name) const {
  if (auto it = config.secrets.find(env_name); it != config.secrets.end()) return it->second;
  if (auto it = channel_settings.find(env_name); it != channel_settings.end()) return it->second;
  return "";
}

LoadedConfig LoadConfig(const std::string& path, const std::map<std::string, std::string>& env) {
  LoadedConfig loaded;
  for (const auto& f : ConfigFields()) loaded.source[f.key] = "default";
  std::vector<core::Diagnostic>* errors = &loaded.diagnostics;
  if (!path.empty()) ApplyFile(path, &loaded, errors);

  for (const auto& entry : env) {
    // Named copies: clang 14 cannot capture structured bindings in lambdas.
    const std::string& name = entry.first;
    const std::string& value = entry.second;
    if (name.rfind("BOT_", 0) != 0) continue;
    // Names, hosts and tokens reach JSON bodies and headers: UTF-8 only. A
    // secret is named, not a byte of it shown.
    if (!core::IsValidUtf8(value)) {
      std::string where;
      if (!IsSecretEnvVar(name)) {
        where = BadByte(value);
        where.insert(where.size() - 1,
                     " at offset " + std::to_string(core::FindInvalidUtf8(value)));
      }
      core::Report(errors, kEnvironment, "not-utf8", name + " is not valid UTF-8" + where);
      continue;
    }
    const ChannelSetting* channel_setting = FindChannelSetting(name);
    if (channel_setting && channel_setting->check && !value.empty()) {
      std::string problem = channel_setting->check(value);
      if (!problem.empty()) {
        core::Report(errors, kEnvironment, "bad-value", name + " " + problem);
        continue;
      }
    }
    auto field = std::find_if(ConfigFields().begin(), ConfigFields().end(),
                              [&](const ConfigField& f) { return f.env == name; });
    if (field != ConfigFields().end()) {
      Status s = field->set(loaded.config, value);
      if (!s.ok()) {
        core::Report(errors, kEnvironment, "bad-value", name + " " + s.message());
      } else {
        loaded.source[field->key] = "env";
      }
    } else if (IsSecretEnvVar(name)) {
      if (!value.empty()) loaded.config.secrets[name] = value;
    } else if (channel_setting) {
      loaded.channel_settings[name] = value;
    } else {
      Warn(errors, kEnvironment, "unknown-setting", name + " is not a known setting");
    }
  }
  const ServiceConfig& c = loaded.config;
  if (c.min_threads > c.max_threads) {
    core::Report(errors, {}, "bad-combination",
                 "http.min_threads (" + std::to_string(c.min_threads) +
                     ") must not exceed http.max_threads (" + std::to_string(c.max_threads) + ")");
  }
  if (!IsLoopback(c.admin_host)) {
    core::Report(errors, {}, "bad-combination", "admin.host must be a loopback address");
  }
  if (c.admin_port != 0 && c.admin_port == c.port) {
    core::Report(errors, {}, "bad-combination", "admin.port must differ from http.port");
  }
  return loaded;
}

std::string FormatDiagnostics(const std::vector<core::Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += core::FormatDiagnostic(d) + "\n";
  return out;
}

core::Status SetConfigField(LoadedConfig* loaded, const std::string& key,
                            const std::string& value, const std::string& source) {
  for (const auto& f : ConfigFields()) {
    if (f.key != key) continue;
    Status s = f.set(loaded->config, value);
    if (!s.ok()) return Status::InvalidArgument(key + " " + s.message());
    loaded->source[key] = source;
    return Status::Ok();
  }
  return Status::InvalidArgument("unknown config key `" + key + "`");
}

std::map<std::string, std::string> BotEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    if (entry.rfind("BOT_", 0) != 0) continue;
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

std::string FormatConfig(const LoadedConfig& loaded) {
  size_t width = 0;
  for (const auto& f : ConfigFields()) width = std::max(width, f.key.size());
  std::string out;
  for (const auto& f : ConfigFields()) {
    std::string line = f.key + std::string(width - f.key.size(), ' ') + " = " + f.get(loaded.config);
    auto source = loaded.source.find(f.key);
    line += "  (" + (source == loaded.source.end() ? std::string("default") : source->second);
    line += source != loaded.source.end() && source->second == "env" ? " " + f.env + ")" : ")";
    out += line + "\n";
  }
  if (!loaded.channel_settings.empty()) out += "channel settings (environment):\n";
  for (const auto& [name, value] : loaded.channel_settings) out += "  " + name + " = " + value + "\n";
  out += "secrets (environment only):\n";
  std::vector<std::string> names = KnownSecretEnvVars();
  for (const auto& [name, value] : loaded.config.secrets) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  for (const auto& name : names) {
    out += "  " + name + " = " +
           (loaded.config.secrets.count(name) ? "<set, masked>" : "<unset>") + "\n";
  }
  return out;
}

}  // namespace bot::edge
