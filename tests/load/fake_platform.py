#!/usr/bin/env python3
"""A fake messenger platform API for tests/load/run.sh: answers every POST
like Telegram's Bot API, but fails a share of them with 500 (at random, with
a fixed seed). Loopback only. Prints its port, then serves until killed;
GET /stats answers {"requests": N, "failed": N, "ok": N}.

usage: fake_platform.py [FAIL_SHARE=0.5]
"""
import json
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAIL_SHARE = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
rng = random.Random(1992)
lock = threading.Lock()
stats = {"requests": 0, "failed": 0, "ok": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            self.reply(200, dict(stats))

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            stats["requests"] += 1
            fail = rng.random() < FAIL_SHARE
            stats["failed" if fail else "ok"] += 1
        if fail:
            self.reply(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
        else:
            self.reply(200, {"ok": True, "result": {"message_id": 1}})

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
