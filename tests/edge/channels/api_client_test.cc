#include "bot/edge/channels/api_client.h"

#include <catch2/catch.hpp>

#include <future>

#include "tests/support/fake_platform.h"

using namespace bot::edge::channels;  // NOLINT: test file
using bot::testing::FakePlatform;

namespace {

ApiCall CallTo(const FakePlatform& fake, const std::string& path) {
  ApiCall call;
  call.base = fake.url();
  call.path = path;
  call.headers = {{"Authorization", "Bearer t"}};
  call.body = R"({"text":"hi"})";
  call.label = "send";
  return call;
}

}  // namespace

TEST_CASE("ApiClient posts the call once and returns what came back", "[channels][api_client]") {
  FakePlatform fake;
  fake.Script("/send", {{429, R"({"ok":false})", {{"Retry-After", "3"}}, {}}});
  ApiClient client;
  ApiResponse r = client.Post(CallTo(fake, "/api/send"));
  REQUIRE(r.transport_ok);
  CHECK(r.status == 429);
  CHECK(r.body == R"({"ok":false})");
  CHECK(r.headers.find("Retry-After")->second == "3");
  auto sent = fake.Requests("/send");
  REQUIRE(sent.size() == 1);  // no retries of its own
  CHECK(sent[0].body == R"({"text":"hi"})");
  CHECK(sent[0].headers.find("Authorization")->second == "Bearer t");
}

TEST_CASE("ApiClient reports a dead host as a transport failure with the reason",
          "[channels][api_client]") {
  ApiClient client({std::chrono::milliseconds(500), std::chrono::milliseconds(500)});
  ApiCall call;
  call.base = "http://127.0.0.1:1";  // nothing listens on port 1
  call.path = "/x";
  ApiResponse r = client.Post(call);
  CHECK_FALSE(r.transport_ok);
  CHECK_FALSE(r.transport_error.empty());
}

TEST_CASE("ApiClient::Cancel cuts a long poll in flight and refuses later posts",
          "[channels][api_client]") {
  FakePlatform fake;
  fake.Script("/getUpdates", {{200, R"({"ok":true,"result":[]})", {}, std::chrono::seconds(20)}});
  ApiClient client;
  ApiCall poll = CallTo(fake, "/bot1/getUpdates");
  poll.read_timeout = std::chrono::seconds(30);
  auto started = std::chrono::steady_clock::now();
  auto result = std::async(std::launch::async, [&] { return client.Post(poll); });
  REQUIRE(fake.WaitFor("/getUpdates", 1) == 1);
  client.Cancel();
  // A bound on a hang, not a measurement: the poll would block for 20 s.
  REQUIRE(result.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK_FALSE(result.get().transport_ok);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(15));
  ApiResponse later = client.Post(CallTo(fake, "/api/send"));
  CHECK_FALSE(later.transport_ok);
  CHECK(later.transport_error == "cancelled");
  CHECK(fake.Requests("/send").empty());
}
