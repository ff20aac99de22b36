#!/usr/bin/env python3
"""Several `bot serve` replicas behind nginx on one Redis, started with
deploy/replicas.sh, against a fake Telegram Bot API on loopback that records
every sendMessage. Checks what issue 18 found broken with replicas:

  dedup     the same update delivered to every replica is answered once
  flood     a user flooding through nginx (spread over the replicas) is
            limited as one user (burst answers + one "slow down", not N times)
  follow-up a follow-up on replica B after the first turn on replica A is
            read with the first turn's context (HTTP session and Telegram chat)
  redis     Redis killed (SIGKILL) and restarted from its append-only file
            under load: /api/v1/ask never answers 5xx, webhooks answer 503
            while it is down, and once it is back every update (redelivered
            after a 503, as Telegram does) is answered exactly once

usage: tests/deploy/replicas_test.py [path/to/bot]
Exits 0 when all pass, 1 on a failure, 77 (skipped) when nginx,
redis-server or curl is missing. Registered in ctest as deploy_replicas.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build/bin/bot")
SECRET = "replicas-test-secret"
TOKEN = "123456:REPLICAS-test"
BURST = 5
SKIP = 77
PATH = os.environ.get("PATH", "") + ":/usr/sbin"


class FakeTelegram:
    """The Bot API on 127.0.0.1: answers ok, records sendMessage bodies."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sends = []  # (chat_id, reply-to message id or None, text)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.endswith("/sendMessage"):
                    j = json.loads(body)
                    reply_to = (j.get("reply_parameters") or {}).get("message_id")
                    with outer.lock:
                        outer.sends.append((j["chat_id"], reply_to, j["text"]))
                data = b'{"ok":true,"result":{"message_id":1}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def answers(self, chat):
        """Answers sent to `chat`: {message id replied to: number of sends}."""
        out = {}
        with self.lock:
            for c, reply_to, _ in self.sends:
                if c == chat and reply_to is not None:
                    out[reply_to] = out.get(reply_to, 0) + 1
        return out


def update(update_id, chat, message_id, text):
    return json.dumps({
        "update_id": update_id,
        "message": {"message_id": message_id,
                    "from": {"id": chat, "is_bot": False, "first_name": "Anna"},
                    "chat": {"id": chat, "type": "private"},
                    "date": 1767225600, "text": text}}).encode()


def post(url, body, headers=None, timeout=10):
    """(status, response headers); never raises on an HTTP status."""
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status, r.headers
    except urllib.error.HTTPError as e:
        e.read()
        return e.code, e.headers
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        return 0, {"error": str(e)}


def webhook(base, body):
    return post(base + "/webhooks/telegram", body, {"X-Telegram-Bot-Api-Secret-Token": SECRET})


def wait_until(predicate, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def case_dedup(fake, url, replicas):
    chat = 7001
    body = update(990001, chat, 11, "When did Belarus join the OSCE?")
    statuses = [webhook("http://127.0.0.1:%d" % p, body)[0] for p in replicas]
    statuses += [webhook(url, body)[0] for _ in range(2)]  # and twice through nginx
    check(statuses == [200] * len(statuses), "dedup: every delivery acknowledged 200 %s" % statuses)
    wait_until(lambda: fake.answers(chat), 10)
    time.sleep(0.5)  # a second answer would come from another replica by now
    answers = fake.answers(chat)
    check(answers == {11: 1}, "dedup: the update delivered to %d replicas (and nginx) answered once: %s"
          % (len(replicas), answers))


def case_flood(fake, url):
    chat = 7002
    upstreams = set()
    statuses = []
    for i in range(3 * BURST):
        status, headers = webhook(url, update(991000 + i, chat, 100 + i, "When did Belarus join the OSCE?"))
        statuses.append(status)
        upstreams.add(headers.get("X-Upstream"))
    check(statuses == [200] * len(statuses), "flood: every message acknowledged 200")
    check(len(upstreams) >= 2, "flood: nginx spread the user's messages over %d replicas" % len(upstreams))
    wait_until(lambda: len(fake.answers(chat)) >= BURST + 1, 10)
    time.sleep(0.5)
    answers = fake.answers(chat)
    # The burst answered, the next one told to slow down, the rest dropped:
    # with a bucket per replica it would be 3 * BURST answers.
    check(sorted(answers) == list(range(100, 100 + BURST + 1)) and set(answers.values()) == {1},
          "flood: %d messages over the replicas got %d replies (burst %d + one slow-down)"
          % (3 * BURST, len(answers), BURST))


def ask(base, text, session):
    req = urllib.request.Request(base + "/api/v1/ask", method="POST",
                                 data=json.dumps({"text": text, "session": session}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def case_follow_up(fake, replicas):
    # The README's example conversation, each turn on another replica: the
    # follow-up ("before it") is only understood with the first turn's
    # context, which lives in Redis.
    first, follow = "Did the OSCE ever have an office in Minsk?", "what was there before it?"
    a, b = ("http://127.0.0.1:%d" % p for p in replicas[:2])
    ask(a, first, "replicas-test-1")
    reply = ask(b, follow, "replicas-test-1")
    check("context" in reply and "AMG" in reply.get("answer", ""),
          "follow-up: an HTTP session's second turn on another replica is read with the first's "
          "context (%s)" % reply.get("context", {}).get("read_as"))
    chat = 7003
    check(webhook(a, update(993001, chat, 31, first))[0] == 200, "follow-up: turn 1 to replica A")
    wait_until(lambda: fake.answers(chat), 10)  # answered (and its context saved) first
    check(webhook(b, update(993002, chat, 32, follow))[0] == 200, "follow-up: turn 2 to replica B")
    wait_until(lambda: 32 in fake.answers(chat), 10)
    with fake.lock:
        texts = [t for c, reply_to, t in fake.sends if c == chat and reply_to == 32]
    check(bool(texts) and "AMG" in texts[0],
          "follow-up: a Telegram chat's second turn on replica B is answered with the context of "
          "the first on A: %r" % (texts[0][:80] if texts else None))


def case_redis_restart(fake, url, state):
    stop = threading.Event()
    lock = threading.Lock()
    api_statuses = {}
    hook_statuses = {}
    accepted = {}  # message id -> chat, once a webhook for it answered 200
    down = threading.Event()
    hook_503_while_down = [0]

    def ask_loop():
        while not stop.is_set():
            status, _ = post(url + "/api/v1/ask", b'{"text": "When did Belarus join the OSCE?"}')
            with lock:
                api_statuses[status] = api_statuses.get(status, 0) + 1

    def hook_loop(worker):
        n = 0
        while not stop.is_set():
            n += 1
            message_id = worker * 100000 + n
            chat = 800000 + message_id  # a chat per update: no rate limit here
            body = update(992000000 + message_id, chat, message_id, "When did Belarus join the OSCE?")
            # As Telegram does: redeliver until acknowledged.
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                status, _ = webhook(url, body)
                with lock:
                    hook_statuses[status] = hook_statuses.get(status, 0) + 1
                    if status == 503 and down.is_set():
                        hook_503_while_down[0] += 1
                if status == 200:
                    with lock:
                        accepted[message_id] = chat
                    break
                time.sleep(0.1)
            time.sleep(0.01)

    threads = [threading.Thread(target=ask_loop) for _ in range(3)]
    threads += [threading.Thread(target=hook_loop, args=(w,)) for w in range(1, 4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    redis_pid = int(open(state["DIR"] + "/redis.pid").read())
    os.kill(redis_pid, signal.SIGKILL)
    down.set()
    time.sleep(1.5)
    down.clear()
    subprocess.Popen(["redis-server", state["REDIS_CONF"]], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
    # Back: every replica leaves its degraded modes by itself.
    def all_ready():
        for p in state["REPLICA_PORTS"].split():
            try:
                with urllib.request.urlopen("http://127.0.0.1:%s/readyz" % p, timeout=2) as r:
                    if "degraded" in json.load(r):
                        return False
            except Exception:
                return False
        return True
    time.sleep(1.5)
    stop.set()
    for t in threads:
        t.join(30)
    recovered = wait_until(all_ready, 25)  # reconnect backoff is up to 5 s; slower on a busy machine
    check(recovered, "redis: every replica ready (not degraded) again after the restart")
    api_5xx = sum(n for s, n in api_statuses.items() if s >= 500 or s == 0)
    check(api_5xx == 0 and api_statuses.get(200, 0) > 0,
          "redis: /api/v1/ask never failed while Redis was down and back: %s" % api_statuses)
    check(set(hook_statuses) <= {200, 503}, "redis: webhooks answered only 200 or 503: %s" % hook_statuses)
    check(hook_503_while_down[0] > 0, "redis: webhooks answered 503 while Redis was down (%d)"
          % hook_503_while_down[0])

    def all_answered():
        with fake.lock:
            got = {reply_to for _, reply_to, _ in fake.sends if reply_to is not None}
        return all(m in got for m in accepted)
    wait_until(all_answered, 15)
    time.sleep(0.5)
    counts = {}
    with fake.lock:
        for chat, reply_to, _ in fake.sends:
            if reply_to in accepted and accepted[reply_to] == chat:
                counts[reply_to] = counts.get(reply_to, 0) + 1
    lost = [m for m in accepted if m not in counts]
    doubled = [m for m, n in counts.items() if n > 1]
    check(len(accepted) > 0 and not lost and not doubled,
          "redis: %d updates acknowledged, %d lost, %d answered twice" % (len(accepted), len(lost), len(doubled)))


def main():
    for tool in ("nginx", "redis-server", "curl"):
        if shutil.which(tool, path=PATH) is None:
            print("SKIPPED: deploy_replicas: %s is not installed (deploy/install-deps.sh --test)" % tool)
            return SKIP
    if not os.access(BOT, os.X_OK):
        print("FAIL: no bot binary at %s" % BOT)
        return 1
    started = time.monotonic()
    fake = FakeTelegram()
    workdir = tempfile.mkdtemp(prefix="bot-replicas-test.")
    env = dict(os.environ, PATH=PATH, BOT_TELEGRAM_TOKEN=TOKEN, BOT_TELEGRAM_SECRET=SECRET,
               BOT_TELEGRAM_API=fake.url, BOT_RATE_LIMIT_BURST=str(BURST),
               BOT_RATE_LIMIT_PER_MINUTE="0.1", BOT_LOG_LEVEL="warn")
    env.pop("BOT_REDIS_URL", None)
    script = os.path.join(ROOT, "deploy/replicas.sh")
    run = subprocess.run([script, "--detach", "-n", "3", "--bot", BOT, "--dir", workdir],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    try:
        if run.returncode != 0:
            print("FAIL: deploy/replicas.sh exited %d\n%s" % (run.returncode, run.stderr))
            failures.append("deploy/replicas.sh started")
            return 1
        state = {}
        for line in open(workdir + "/state"):
            k, _, v = line.strip().partition("=")
            state[k] = v.strip('"')
        state["DIR"] = workdir
        url = run.stdout.split()[0]
        check(url == state["URL"], "the script printed the URL %s" % url)
        replicas = [int(p) for p in state["REPLICA_PORTS"].split()]
        case_dedup(fake, url, replicas)
        case_flood(fake, url)
        case_follow_up(fake, replicas)
        case_redis_restart(fake, url, state)
    finally:
        subprocess.run([script, "stop", workdir], env=env, timeout=60)
        if failures:
            for name in sorted(os.listdir(workdir)):
                if name.endswith(".log"):
                    print("--- %s (tail)" % name)
                    print("".join(open(os.path.join(workdir, name), errors="replace").readlines()[-15:]))
        shutil.rmtree(workdir, ignore_errors=True)
    print("%d failed, %.1f s" % (len(failures), time.monotonic() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
