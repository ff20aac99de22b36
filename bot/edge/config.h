// Service configuration: built-in defaults, then an optional YAML file, then
// BOT_* environment variables, then command-line flags (the caller applies
// those with SetConfigField). Every field has one key ("http.port") and one
// environment variable derived from it (BOT_HTTP_PORT). The messenger
// channels declare their own settings beside their factories
// (channels/registry.h); this loader validates, lists and masks them without
// naming any. Secrets are never read from the file: only from the
// environment (BOT_ADMIN_TOKEN, the channels' secret settings and any
// BOT_*TOKEN*/SECRET*/PASSWORD*/KEY* variable), and they are only ever shown
// masked. Pure data plus parsing; thread-compatible.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/status.h"

namespace bot::edge {

struct ServiceConfig {
  // http: the public listener.
  std::string host = "127.0.0.1";
  int port = 8080;
  int min_threads = 8;
  int max_threads = 512;
  int max_connections = 10000;
  int read_timeout_ms = 5000;
  int write_timeout_ms = 5000;
  int keep_alive_timeout_s = 5;
  int keep_alive_max_count = 1000;
  int max_body_bytes = 16 * 1024;           // /api/v1/*
  int webhook_max_body_bytes = 256 * 1024;  // channel webhooks
  // admin: /admin/* and /metrics on a separate loopback listener (0: off).
  std::string admin_host = "127.0.0.1";
  int admin_port = 0;
  // web: the chat page at /chat; "auto" serves it on a loopback host only.
  std::string web_chat = "auto";
  // data
  std::string intents_dir = "intents";
  std::string facts_dir = "facts";
  // log
  std::string log_level = "info";
  bool log_text = false;
  // shutdown
  int drain_delay_ms = 0;      // /readyz is 503 this long before closing
  int shutdown_deadline_ms = 10000;
  // rate_limit: per user on messenger channels.
  double rate_limit_per_minute = 20;
  int rate_limit_burst = 5;
  int rate_limit_cooldown_s = 60;
  int rate_limit_max_users = 100000;
  // Conversations: a context is forgotten after this idle time, after this
  // many answered turns, and least recently used beyond this many.
  int context_ttl_s = 600;
  int context_max_turns = 20;
  int context_max_sessions = 10000;
  // redis: shared state of replicas (BOT_REDIS_URL; these apply only with it).
  // A replica holding an outbound entry this long without a heartbeat is
  // taken for dead and its entry taken over (0: the slowest send + 10 s).
  int redis_claim_idle_ms = 0;
  // A webhook's dedup claim holds this long until its answer is sent and
  // marked done; one of a replica that died first frees itself after this.
  int redis_dedup_claim_ttl_s = 600;

  // Environment variable name -> value, for every secret that is set: the
  // admin token and the channels' tokens alike.
  std::map<std::string, std::string> secrets;

  // The secret from the environment, or "" when unset.
  std::string Secret(const std::string& env_name) const;
};

// The secrets the service knows by name (all optional): BOT_ADMIN_TOKEN,
// then every channel's, in registry order.
const std::vector<std::string>& KnownSecretEnvVars();

// Whether an environment variable name holds a secret.
bool IsSecretEnvVar(const std::string& name);

struct ConfigField {
  std::string key;   // "http.port"
  std::string env;   // "BOT_HTTP_PORT"
  std::string help;  // one line
  // Parses and range-checks `text`; InvalidArgument says what is allowed.
  std::function<core::Status(ServiceConfig&, const std::string& text)> set;
  std::function<std::string(const ServiceConfig&)> get;
};

// Every field, in documentation order.
const std::vector<ConfigField>& ConfigFields();

struct LoadedConfig {
  ServiceConfig config;
  std::map<std::string, std::string> source;  // key -> "default"|"file"|"env"|"flag"
  // The channels' non-secret settings that are set (validated).
  std::map<std::string, std::string> channel_settings;
  // Every problem: errors (the config is unusable) and warnings (e.g. an
  // unknown BOT_* variable), file:line:column where there is one.
  std::vector<core::Diagnostic> diagnostics;

  bool ok() const { return !core::HasErrors(diagnostics); }
  // A channel setting or secret by environment variable name; "" when
  // unset. What the channels read (ChannelConfig::env).
  std::string Lookup(const std::string& env_name) const;
};

// Loads defaults, then `path` (skipped when empty), then `env`. Reports every
// problem (file:line:column for the file): unknown keys (with a suggestion),
// bad values (a channel setting its declared check refuses included), a
// secret in the file, a key, value or BOT_* variable that is not UTF-8
// (named, a secret's bytes never shown), an admin host that is not loopback,
// min_threads > max_threads.
LoadedConfig LoadConfig(const std::string& path, const std::map<std::string, std::string>& env);

// The diagnostics one a line (FormatDiagnostic), errors and warnings alike.
std::string FormatDiagnostics(const std::vector<core::Diagnostic>& diagnostics);

// Sets one field by key (as from a flag) and records its source.
core::Status SetConfigField(LoadedConfig* loaded, const std::string& key,
                            const std::string& value, const std::string& source = "flag");

// The process environment as a map (only BOT_* variables).
std::map<std::string, std::string> BotEnvironment();

// The effective values, one "key = value  (source)" a line, then the
// secrets as "<set>"/"<unset>": never a secret's value.
std::string FormatConfig(const LoadedConfig& loaded);

}  // namespace bot::edge
