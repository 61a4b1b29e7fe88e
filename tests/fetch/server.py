#!/usr/bin/env python3
"""A small HTTP server for dg-fetch's tests (python3 standard library only).

Serves the files of --root on 127.0.0.1, on a free port written to
--port-file, and exits after --lifetime seconds at the latest.  The first
path segment chooses the behaviour; the rest of the path is looked up by
its base name in --root:

  /ok/...        200 with the file (a missing YYYYMM01<product>_csv.zip is
                 assembled from the root's YYYYMMDD<product>.csv files, as
                 NYISO packs its monthly archives)
  /flaky500/...  500 on the first request for a path, then as /ok
  /r429/...      429 with Retry-After: 1 on the first request, then as /ok
  /drop/...      the first response sends half the body and closes the
                 connection, then as /ok
  /trunc/...     always: Content-Length larger than the body sent
  /slow/...      always: waits --slow seconds before answering
  /html/...      always: 200 with an HTML error page
  /e500/...      always 500;  /e404/... always 404
  /short/...     always: the body cut 3 bytes before its end (inside the
                 last number, no final line end), with a Content-Length
                 that matches what is sent
  /rowcut/...    always: the first half of the body's lines (whole lines),
                 with a matching Content-Length
  /redir-PORT/...  302 to http://127.0.0.1:PORT/ok/... (another server)
  /redirself/... 302 to /ok/... on this server

Each request is logged to --log as "METHOD PATH<TAB>User-Agent<TAB>X-Api-Key".
A request through a proxy names an absolute URL; its path is used the same
way.  With --tls-cert and --tls-key it serves HTTPS.
"""
import argparse
import http.server
import io
import os
import re
import sys
import threading
import time
import zipfile

counts = {}
lock = threading.Lock()


def first_time(path):
    with lock:
        n = counts.get(path, 0)
        counts[path] = n + 1
        return n == 0


def content(root, name):
    p = os.path.join(root, name)
    if os.path.isfile(p):
        with open(p, "rb") as f:
            return f.read()
    m = re.fullmatch(r"(\d{6})01(.+)_csv\.zip", name)
    if m:
        members = sorted(f for f in os.listdir(root)
                         if re.fullmatch(m.group(1) + r"\d\d" + re.escape(m.group(2)) + r"\.csv", f))
        if members:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for f in members:
                    z.write(os.path.join(root, f), f)
            return buf.getvalue()
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="text/csv", extra=None, length=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        opts = self.server.opts
        with open(opts.log, "a") as log:
            log.write("GET %s\t%s\t%s\n" % (self.path, self.headers.get("User-Agent", ""),
                                             self.headers.get("X-Api-Key", "")))
        path = self.path.split("?", 1)[0]
        if "://" in path:
            path = "/" + path.split("://", 1)[1].split("/", 1)[1]
        parts = path.strip("/").split("/")
        mode, name = parts[0], parts[-1]
        if mode == "e500":
            return self.send(500, b"internal error\n", "text/plain")
        if mode == "e404":
            return self.send(404, b"not found\n", "text/plain")
        if mode == "html":
            return self.send(200, b"<!DOCTYPE html>\n<html><body><h1>Service "
                             b"temporarily unavailable</h1></body></html>\n", "text/html")
        if mode == "slow":
            time.sleep(opts.slow)
        if mode == "flaky500" and first_time(self.path):
            return self.send(500, b"try again\n", "text/plain")
        if mode == "r429" and first_time(self.path):
            return self.send(429, b"slow down\n", "text/plain", {"Retry-After": "1"})
        body = content(opts.root, name)
        if body is None:
            return self.send(404, b"not found\n", "text/plain")
        if mode == "short":
            return self.send(200, body[:-3])
        if mode == "rowcut":
            lines = body.splitlines(keepends=True)
            return self.send(200, b"".join(lines[: len(lines) // 2]))
        if mode.startswith("redir-") or mode == "redirself":
            rest = path.split("/", 2)[2]
            host = "" if mode == "redirself" else "http://127.0.0.1:" + mode[6:]
            return self.send(302, b"moved\n", "text/plain",
                             {"Location": host + "/ok/" + rest})
        if mode == "trunc" or (mode == "drop" and first_time(self.path)):
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        ctype = "application/zip" if name.endswith(".zip") else "text/csv"
        return self.send(200, body, ctype)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a client that gave up (the timeout case) is expected
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--slow", type=float, default=3)
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate")
    ap.add_argument("--tls-key")
    opts = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    if opts.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(opts.tls_cert, opts.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.daemon_threads = True
    srv.opts = opts
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, opts.port_file)
    threading.Timer(opts.lifetime, lambda: os._exit(0)).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
