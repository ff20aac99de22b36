-- wrk script: POST /api/v1/ask with a rotating set of questions.
local questions = {
  "When did Belarus join the OSCE?",
  "Who chairs the OSCE?",
  "What is the weather tomorrow?",
  "Кагда Беларусь уступіла ў АБСЕ?",
  "Does Belarus host an OSCE field office?",
}
local i = 0
request = function()
  i = i + 1
  local body = '{"text":"' .. questions[(i % #questions) + 1] .. '"}'
  return wrk.format("POST", "/api/v1/ask", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("LOAD requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
