#!/usr/bin/env python3
"""did_web_server.py DIR: the network peers of tests/cli/test_did_web.sh, on 127.0.0.1.

Starts three listeners on free ports and writes "TLS_PORT HANG_PORT PLAIN_PORT" to DIR/ports:
  * TLS: HTTPS with DIR/server.pem + DIR/server.key, one behaviour per path:
      /.well-known/did.json, /<name>/did.json  DIR/<name>.did.json (name "root" for .well-known)
      /redirect/did.json   302 to another host
      /big/did.json        100 KiB body with its Content-Length
      /bignolen/did.json   100 KiB body without Content-Length (HTTP/1.0: ends with the close)
      anything else        404
    Each request line and Accept / Host header is appended to DIR/requests.log.
  * HANG: accepts TCP connections and never sends a byte.
  * PLAIN: plain HTTP (no TLS) answering 200 to everything.
Runs until killed.
"""
import http.server
import os
import socket
import ssl
import sys
import threading

DIR = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body, length=True, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(os.path.join(DIR, "requests.log"), "a") as log:
            log.write("%s | Host: %s | Accept: %s\n" % (
                self.requestline, self.headers.get("Host"), self.headers.get("Accept")))
        path = self.path
        if path == "/redirect/did.json":
            return self._send(302, b"", headers=[("Location", "https://elsewhere.example/did.json")])
        if path == "/big/did.json":
            return self._send(200, b" " * (100 * 1024))
        if path == "/bignolen/did.json":
            return self._send(200, b" " * (100 * 1024), length=False)
        name = "root" if path == "/.well-known/did.json" else path.strip("/").split("/")[0]
        f = os.path.join(DIR, name + ".did.json")
        if path.endswith("/did.json") and "/" not in name and os.path.isfile(f):
            with open(f, "rb") as fh:
                return self._send(200, fh.read(), headers=[("Content-Type", "application/did+json")])
        return self._send(404, b"not found\n")


class Plain(Handler):
    def do_GET(self):
        self._send(200, b"{}")


def serve(httpd):
    threading.Thread(target=httpd.serve_forever, daemon=True).start()


tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(DIR, "server.pem"), os.path.join(DIR, "server.key"))
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
serve(tls)

plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Plain)
serve(plain)

hang = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
hang.bind(("127.0.0.1", 0))
hang.listen(8)
held = []


def hold():
    while True:
        conn, _ = hang.accept()
        held.append(conn)  # kept open, never answered


threading.Thread(target=hold, daemon=True).start()

with open(os.path.join(DIR, "ports.tmp"), "w") as f:
    f.write("%d %d %d\n" % (tls.server_address[1], hang.getsockname()[1], plain.server_address[1]))
os.rename(os.path.join(DIR, "ports.tmp"), os.path.join(DIR, "ports"))
threading.Event().wait()
