#!/usr/bin/env python3
"""An SMTP server for dg-notify's tests and benchmark (Debian's
python3-aiosmtpd), on 127.0.0.1.

  --tls plain | starttls | smtps   (starttls: STARTTLS required; the
                                    certificate and key --cert, --key)
  --fail ADDR=CODE[xN]             reply CODE to RCPT TO:<ADDR> N times
                                   (default once), then accept
  --log FILE                       one JSON line per message taken:
                                   rcpt, Message-ID, X-Dgagg-Notice,
                                   Subject, body
  --count-only                     log only the Message-ID (benchmarks)
The port is written to --port-file once the server answers.  Exits after
--lifetime seconds.
"""
import argparse
import email
import email.policy
import json
import logging
import os
import socket
import ssl
import threading
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, fails, log, count_only):
        self.fails = fails
        self.log = log
        self.count_only = count_only
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, opts):
        with self.lock:
            f = self.fails.get(address)
            if f and f[1] > 0:
                f[1] -= 1
                return "%s %s" % (f[0], "try again later" if f[0] < 500
                                  else "no such user here")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.content
        if self.count_only:
            i = raw.find(b"Message-ID: ")
            line = raw[i + 12:raw.find(b"\r\n", i)].decode() if i >= 0 else ""
            rec = {"id": line}
        else:
            m = email.message_from_bytes(raw, policy=email.policy.default)
            rec = {"rcpt": envelope.rcpt_tos, "id": m["Message-ID"],
                   "notice": m["X-Dgagg-Notice"], "subject": m["Subject"],
                   "body": m.get_content()}
        with self.lock, open(self.log, "a") as f:
            f.write(json.dumps(rec) + "\n")
        return "250 Message accepted"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tls", default="plain",
                    choices=["plain", "starttls", "smtps"])
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--fail", action="append", default=[])
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=120)
    ap.add_argument("--count-only", action="store_true")
    a = ap.parse_args()
    # a client that refuses the certificate is a test, not news
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    fails = {}
    for f in a.fail:
        addr, code = f.split("=")
        n = 1
        if "x" in code:
            code, n = code.split("x")
        fails[addr] = [int(code), int(n)]
    kw = {}
    if a.tls != "plain":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        if a.tls == "starttls":
            kw = {"tls_context": ctx, "require_starttls": True}
        else:
            kw = {"ssl_context": ctx}
    port = free_port()
    c = Controller(Handler(fails, a.log, a.count_only), hostname="127.0.0.1",
                   port=port, ready_timeout=10, **kw)
    c.start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, a.port_file)
    end = time.time() + a.lifetime
    while time.time() < end:
        time.sleep(0.2)
    c.stop()


if __name__ == "__main__":
    main()
