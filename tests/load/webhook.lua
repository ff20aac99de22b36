-- wrk script: Telegram webhook updates, each with a new update_id and one of
-- 5000 chats, paced by delay() so the platform side, not wrk, sets the rate.
-- env: TELEGRAM_SECRET (the webhook secret), WEBHOOK_DELAY_MS (default 5)
local secret = os.getenv("TELEGRAM_SECRET")
local pause = tonumber(os.getenv("WEBHOOK_DELAY_MS") or "5")
local questions = {
  "When did Belarus join the OSCE?",
  "Where is the Belarusian delegation to the OSCE?",
  "What is the weather tomorrow?",
}
local next_thread = 0
local counter = 0
setup = function(thread)  -- runs in the main state; thread_id is the thread's global
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end
delay = function() return pause end
request = function()
  counter = counter + 1
  local id = (thread_id or 0) * 100000000 + counter
  local chat = 1000 + (id % 5000)
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"L"},' ..
    '"chat":{"id":%d,"type":"private"},"date":1767225600,"text":"%s"}}',
    id, counter, chat, chat, questions[(counter % #questions) + 1])
  return wrk.format("POST", "/webhooks/telegram",
    {["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = secret}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("WEBHOOK requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d p99_us=%d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(99)))
end
