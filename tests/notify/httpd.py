#!/usr/bin/env python3
"""A webhook receiver and SMS gateway for dg-notify's tests and benchmark
(python3 standard library), on 127.0.0.1.

  POST /hook/NAME   a JSON webhook (Slack's "text", or a pager's)
  POST /sms         an SMS gateway: form fields to, from, body, ref; HTTP
                    basic credentials --sms-user:--sms-password required
Anything else: 404.  --script FILE lines "PATH STATUS" are used in order:
a request to PATH is answered with the first unused line's STATUS (a
number, or "hang": the request is taken and never answered), then 200.
Each request is logged to --log as a JSON line (path, status,
Idempotency-Key, Authorization, the body parsed) when it is received.
The port is written to --port-file; exits after --lifetime seconds.
"""
import argparse
import base64
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(a, script, lock):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, text):
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            # the head and the body in one write: two small writes would
            # wait for the client's delayed ACK (Nagle), 40 ms a request
            self._headers_buffer.append(b"\r\n" + body)
            self.flush_headers()

        def scripted(self):
            with lock:
                for i, (path, status) in enumerate(script):
                    if path == self.path:
                        del script[i]
                        return status
            return "200"

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(n)
            if self.path.startswith("/hook/"):
                body = json.loads(raw)
            elif self.path == "/sms":
                body = {k: v[0] for k, v in
                        urllib.parse.parse_qs(raw.decode()).items()}
                want = "Basic " + base64.b64encode(
                    ("%s:%s" % (a.sms_user, a.sms_password)).encode()
                ).decode()
                if self.headers.get("Authorization") != want:
                    return self.answer(401, "credentials")
            else:
                return self.answer(404, "not found")
            status = self.scripted()
            rec = {"path": self.path, "status": status,
                   "key": self.headers.get("Idempotency-Key"),
                   "auth": self.headers.get("Authorization"),
                   "body": body}
            if not a.count_only or status != "200":
                with lock, open(a.log, "a") as f:
                    f.write(json.dumps(rec) + "\n")
            else:
                with lock, open(a.log, "a") as f:
                    f.write(json.dumps({"key": rec["key"]}) + "\n")
            if status == "hang":
                time.sleep(a.lifetime)
                return
            self.answer(int(status), "status %s" % status)

    return H


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--script")
    ap.add_argument("--sms-user", default="aggregator")
    ap.add_argument("--sms-password", default="sms-pass-7")
    ap.add_argument("--lifetime", type=float, default=120)
    ap.add_argument("--count-only", action="store_true")
    a = ap.parse_args()
    script = []
    if a.script:
        with open(a.script) as f:
            script = [tuple(line.split()) for line in f if line.strip()]
    srv = ThreadingHTTPServer(("127.0.0.1", 0),
                              make_handler(a, script, threading.Lock()))
    srv.daemon_threads = True
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
