#!/usr/bin/env python3
"""An OpenADR 3.0.1 VTN for dg-event's tests (python3 standard library).

Serves, under /openadr3/3.0.1:
  POST /auth/token   OAuth2 client credentials (form); tokens live
                     --token-life seconds and expires_in says so; with
                     --uses N a token is refused after N requests (a VTN
                     that revokes before the expiry it announced)
  GET  /programs     STATE/programs.json, paged (skip, limit <= 50)
  GET  /events       STATE/events.json, ?programID=, paged
  POST /reports      kept as sent in STATE/reports/N.json; 201 with the
                     report and its id
Anything else: 404.  A request without a valid bearer token: 401 with a
problem object.  Every request is logged to --log as "METHOD PATH STATUS".
STATE/*.json is read at each request, so a test changes what the VTN
holds between polls by rewriting them (STATE/events.json may be "bad" to
serve text that is not JSON).  Binds 127.0.0.1 on a free port written to
--port-file; exits after --lifetime seconds.
"""
import argparse
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE = "/openadr3/3.0.1"


class State:
    def __init__(self, root, client_id, secret, life, uses):
        self.uses = uses
        self.root = root
        self.client_id = client_id
        self.secret = secret
        self.life = life
        self.tokens = {}  # token -> (issued, expiry)
        self.n = 0
        self.lock = threading.Lock()

    def issue(self):
        with self.lock:
            self.n += 1
            tok = "tok-%d-%d" % (self.n, int(time.time() * 1000))
            self.tokens[tok] = [0, time.time() + self.life]
            return tok

    def valid(self, tok):
        with self.lock:
            if tok not in self.tokens:
                return False
            t = self.tokens[tok]
            t[0] += 1
            if self.uses and t[0] > self.uses:
                return False
            return time.time() < t[1]

    def load(self, name):
        with open(os.path.join(self.root, name), "rb") as f:
            return f.read()


def make_handler(state, log):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, obj=None, raw=None):
            body = raw if raw is not None else json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            path = self.path.split("?")[0]
            with open(log, "a") as f:
                f.write("%s %s %d\n" % (self.command, path, status))

        def problem(self, status, title, detail):
            self.reply(status, {"type": "about:blank", "title": title,
                                "status": status, "detail": detail})

        def authed(self):
            a = self.headers.get("Authorization", "")
            if a.startswith("Bearer ") and state.valid(a[7:]):
                return True
            self.problem(401, "Unauthorized", "no valid bearer token")
            return False

        def body(self):
            n = int(self.headers.get("Content-Length", "0"))
            return self.rfile.read(n)

        def page(self, items, q):
            skip = int(q.get("skip", ["0"])[0])
            limit = int(q.get("limit", ["50"])[0])
            if limit > 50 or limit < 0 or skip < 0:
                return self.problem(400, "Bad Request", "skip or limit")
            self.reply(200, items[skip:skip + limit])

        def do_GET(self):
            u = urllib.parse.urlparse(self.path)
            q = urllib.parse.parse_qs(u.query)
            if u.path not in (BASE + "/programs", BASE + "/events"):
                return self.problem(404, "Not Found", u.path)
            if not self.authed():
                return
            if u.path.endswith("/programs"):
                return self.page(json.loads(state.load("programs.json")), q)
            raw = state.load("events.json")
            if raw.strip() == b"bad":
                return self.reply(200, raw=b"<html>maintenance</html>")
            events = json.loads(raw)
            if "programID" in q:
                events = [e for e in events
                          if e.get("programID") == q["programID"][0]]
            self.page(events, q)

        def do_POST(self):
            u = urllib.parse.urlparse(self.path)
            data = self.body()
            if u.path == BASE + "/auth/token":
                f = urllib.parse.parse_qs(data.decode())
                if (f.get("grant_type") != ["client_credentials"] or
                        f.get("client_id") != [state.client_id] or
                        f.get("client_secret") != [state.secret]):
                    return self.reply(400, {
                        "error": "invalid_client",
                        "error_description": "unknown client or secret"})
                return self.reply(200, {
                    "access_token": state.issue(), "token_type": "Bearer",
                    "expires_in": state.life})
            if u.path != BASE + "/reports":
                return self.problem(404, "Not Found", u.path)
            if not self.authed():
                return
            try:
                rep = json.loads(data)
            except ValueError:
                return self.problem(400, "Bad Request", "not JSON")
            d = os.path.join(state.root, "reports")
            os.makedirs(d, exist_ok=True)
            n = len(os.listdir(d)) + 1
            rep["id"] = "report-%d" % n
            rep["objectType"] = "REPORT"
            with open(os.path.join(d, "%d.json" % n), "wb") as f:
                f.write(data)  # as the VEN sent it, digit for digit
            self.reply(201, rep)

    return H


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--client-id", default="ven-li")
    ap.add_argument("--secret", default="s3cret")
    ap.add_argument("--token-life", type=int, default=3600)
    ap.add_argument("--uses", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=120)
    a = ap.parse_args()
    state = State(a.state, a.client_id, a.secret, a.token_life, a.uses)
    srv = ThreadingHTTPServer(("127.0.0.1", 0),
                              make_handler(state, a.log))
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
