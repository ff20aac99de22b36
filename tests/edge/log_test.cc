#include "bot/edge/log.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>
#include <string>

namespace bot::edge {
namespace {

// What `f` writes to stderr (where Log writes).
std::string CaptureStderr(const std::function<void()>& f) {
  std::fflush(stderr);
  int saved = dup(2);
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp != nullptr);
  dup2(fileno(tmp), 2);
  f();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::rewind(tmp);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, tmp)) > 0;) out.append(buf, n);
  std::fclose(tmp);
  return out;
}

// Registers `secrets` for one test and forgets them after.
struct ScopedSecrets {
  explicit ScopedSecrets(std::vector<std::string> secrets) { SetLogSecrets(secrets); }
  ~ScopedSecrets() { SetLogSecrets({}); }
};

const char kTelegramToken[] = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const char kSlackToken[] = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";

}  // namespace

TEST_CASE("Log scrubs a configured secret from every line, in any field", "[log]") {
  ScopedSecrets secrets({kTelegramToken, kSlackToken, "adm1n-s3cret-token", ""});
  std::string out = CaptureStderr([] {
    // What a platform or a proxy may echo back into send_failed.
    Log(LogLevel::kWarn,
        {{"event", "send_failed"},
         {"error", std::string("Unauthorized: POST /bot") + kTelegramToken + "/sendMessage"},
         {"detail", {{"header", std::string("Authorization: Bearer ") + kSlackToken}}},
         {"list", {"token adm1n-s3cret-token here"}}});
  });
  CAPTURE(out);
  CHECK(out.find("send_failed") != std::string::npos);
  CHECK(out.find("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") == std::string::npos);
  CHECK(out.find("pdFZKVeTuE8sk7oOcBrzbqgy") == std::string::npos);
  CHECK(out.find("adm1n-s3cret-token") == std::string::npos);
  CHECK(out.find("Unauthorized: POST /bot[redacted]/sendMessage") != std::string::npos);
  CHECK(out.find("Authorization: Bearer [redacted]") != std::string::npos);
}

TEST_CASE("ScrubSecrets also catches a token URL-encoded or without its bot id", "[log]") {
  ScopedSecrets secrets({kTelegramToken});
  CHECK(ScrubSecrets("GET /bot123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe") ==
        "GET /bot[redacted]/getMe");
  CHECK(ScrubSecrets("url=%2Fbot123456789%3aAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") ==
        "url=%2Fbot[redacted]");
  CHECK(ScrubSecrets("token AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw leaked") ==
        "token [redacted] leaked");
  CHECK(ScrubSecrets("nothing secret") == "nothing secret");
}

TEST_CASE("Log writes lines unchanged when no secret is configured", "[log]") {
  SetLogSecrets({});
  std::string out = CaptureStderr([] { Log(LogLevel::kWarn, {{"event", "plain"}, {"n", 3}}); });
  CHECK(out.find("\"event\":\"plain\"") != std::string::npos);
  CHECK(out.find("\"n\":3") != std::string::npos);
}

}  // namespace bot::edge
