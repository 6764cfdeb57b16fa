#!/usr/bin/env python3
"""serve_test.py: `healthcert serve` driven over HTTP as its users and its attackers would.

Run by tests/cli/test_serve*.sh (ctest) with HC_BIN set:
  serve_test.py basic [--db URL]   the contract's endpoints, auth, limits, revocation, privacy
  serve_test.py faults [--db URL]  malformed HTTP, huge headers, slowloris, slow bodies,
                                   kill -9 during issuance (no acknowledged certificate lost)
  serve_test.py multi --db URL     two instances on one PostgreSQL database
  serve_test.py reload             trust material replaced with SIGHUP (tests/cli/test_serve_reload.sh)
Every server listens on 127.0.0.1 (port 0, read from --port-file); every loop is bounded.
Prints one line per failure and "N passed, M failed" at the end; exits 1 on any failure.
"""
import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BIN = os.environ.get("HC_BIN")
passed = 0
failed = 0

DCC = {
    "ver": "1.3.0",
    "nam": {"fn": "Müller", "gn": "Zoë", "fnt": "MUELLER", "gnt": "ZOE"},
    "dob": "1980-02-29",
    "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
           "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2026-05-01", "co": "XX",
           "is": "Ministry of Health XX"}],
}
PERSONAL = ["Müller", "Zoë", "MUELLER", "1980-02-29"]


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {detail}"[:2000], flush=True)
    return cond


def eventually(cond, limit_s=20.0):
    """Polls cond() until it holds or limit_s passes; returns its last value. For effects that
    happen asynchronously (a signal handled, a batched log written): liveness, never latency."""
    end = time.monotonic() + limit_s
    while True:
        v = cond()
        if v or time.monotonic() >= end:
            return v
        time.sleep(0.05)


def dcc(ci=None, **changes):
    d = json.loads(json.dumps(DCC))
    if ci is not None:
        d["v"][0]["ci"] = ci
    d.update(changes)
    return d


class Server:
    """One `healthcert serve` process (demo material in tmp/demo unless given)."""

    def __init__(self, tmp, name="s", db=None, extra=(), token_file=None, demo=None):
        self.tmp = tmp
        self.demo = demo or os.path.join(tmp, "demo")
        self.port_file = os.path.join(tmp, f"{name}.port")
        self.log = os.path.join(tmp, f"{name}.log")
        self.err = os.path.join(tmp, f"{name}.err")
        self.out = os.path.join(tmp, f"{name}.out")
        self.db = db
        self.extra = list(extra)
        self.token_file = token_file
        self.proc = None
        self.port = None

    def start(self):
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        args = [BIN, "serve", "--demo", self.demo, "--listen", "127.0.0.1:0",
                "--port-file", self.port_file, "--access-log", self.log]
        if self.db:
            args += ["--db", self.db]
        if self.token_file:
            args += ["--api-token-file", self.token_file]
        args += self.extra
        env = dict(os.environ)
        supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "serve_lsan.supp")
        env["LSAN_OPTIONS"] = (env.get("LSAN_OPTIONS", "") + ":suppressions=" + supp).lstrip(":")
        self.proc = subprocess.Popen(args, stdout=open(self.out, "wb"),
                                     stderr=open(self.err, "ab"), env=env)
        for _ in range(200):
            if os.path.exists(self.port_file) and open(self.port_file).read().strip():
                self.port = int(open(self.port_file).read())
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("serve exited: " + open(self.err).read()[-2000:])
            time.sleep(0.05)
        raise RuntimeError("serve did not start")

    def token(self):
        path = self.token_file or os.path.join(self.demo, "api-token")
        return open(path).read().split()[0]

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "hung"
        self.proc = None
        return rc

    def request(self, method, path, body=None, headers=None, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def json(self, method, path, body=None, headers=None):
        st, h, data = self.request(method, path, body, headers)
        try:
            return st, h, json.loads(data) if data else None
        except ValueError:
            return st, h, {"_raw": data[:300]}

    def auth(self, token=None):
        return {"Authorization": "Bearer " + (token or self.token())}

    def raw(self, data, timeout=5, chunks=None):
        """Sends raw bytes; returns the status code of the answer (0 when closed silently)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            buf = b""
            while b"\r\n" not in buf:
                part = s.recv(4096)
                if not part:
                    break
                buf += part
            line = buf.split(b"\r\n", 1)[0].split()
            return int(line[1]) if len(line) >= 2 and line[1].isdigit() else 0
        except (ConnectionResetError, socket.timeout, BrokenPipeError):
            return 0
        finally:
            s.close()


def quote(uvci):
    return urllib.parse.quote(uvci, safe="")


def run_cli(*args, stdin=None):
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def issue(s, d=None, token=None):
    return s.json("POST", "/v1/certificates", d or dcc(), s.auth(token))


# --------------------------------------------------------------------------------------------
def test_basic(tmp, db):
    token_file = os.path.join(tmp, "tokens")
    tok_a, tok_b = "a" * 8 + "-token-one-0123456789", "b" * 8 + "-token-two-0123456789"
    with open(token_file, "w") as f:
        f.write(f"# API tokens\n{tok_a}\n\n  {tok_b}  \n")
    os.chmod(token_file, 0o600)
    s = Server(tmp, db=db, token_file=token_file).start()
    # The --demo banner is printed once the service listens, with the port really bound (port 0
    # here): bounded wait for the line, which follows the port file closely.
    banner = ""
    for _ in range(100):
        banner = open(s.out).read()
        if "Stop with Ctrl-C" in banner:
            break
        time.sleep(0.05)
    check("demo banner names the bound port", f"http://127.0.0.1:{s.port}/issue" in banner,
          banner[:300])
    try:
        basic_cases(s, tmp, tok_a, tok_b, token_file)
    finally:
        if s.proc is not None:  # basic_cases stops it itself when it gets to the end
            rc = s.stop()
            check("graceful stop exit code", rc == 0, f"exit {rc}")
    log_privacy(s)
    # security.md J12: no plaintext private key on disk; secrets readable by their owner only.
    for name in sorted(os.listdir(s.demo)):
        path = os.path.join(s.demo, name)
        data = open(path, "rb").read()
        check(f"demo file {name}: no plaintext private key", b"BEGIN PRIVATE KEY" not in data and
              b"BEGIN EC PRIVATE KEY" not in data)
        if name in ("dsc.key", "csca.key", "key.pass", "api-token", "payload.key") or \
                name.startswith("healthcert.db"):
            mode = os.stat(path).st_mode & 0o777
            check(f"demo file {name}: mode 0600", mode == 0o600, oct(mode))
    check("demo keys are encrypted PKCS#8", b"BEGIN ENCRYPTED PRIVATE KEY" in
          open(os.path.join(s.demo, "dsc.key"), "rb").read())
    if db is None:
        data = open(os.path.join(s.demo, "healthcert.db"), "rb").read()
        wal = os.path.join(s.demo, "healthcert.db-wal")
        if os.path.exists(wal):
            data += open(wal, "rb").read()
        for p in PERSONAL:
            check(f"database holds no '{p}' in the clear", p.encode() not in data)


def basic_cases(s, tmp, tok_a, tok_b, token_file):
    st, h, j = s.json("GET", "/healthz")
    check("healthz", st == 200 and j["status"] == "ok", f"{st} {j}")
    # Access-log lines are written in batches, at the latest by the housekeeper's next round
    # (250 ms): a quiet service's log catches up on its own. Liveness, not latency (tests never
    # assert on time): the line must appear, polled for up to 20 s.
    lines = []
    for _ in range(200):
        lines = open(s.log, encoding="utf-8").read().splitlines()
        if any('"route":"/healthz"' in l for l in lines):
            break
        time.sleep(0.1)
    check("access log line written by a quiet service", any('"route":"/healthz"' in l for l in lines),
          f"{lines[-3:]}")

    # Pages and static files come from the binary only.
    st, h, body = s.request("GET", "/")
    check("checkpoint page", st == 200 and h["content-type"].startswith("text/html")
          and "default-src 'none'" in h.get("content-security-policy", ""), f"{st} {h}")
    st, h, body = s.request("GET", "/issue")
    check("issuing page", st == 200 and b"<form" in body, f"{st}")
    st, h, body = s.request("GET", "/static/checkpoint.js")
    check("static script", st == 200 and "javascript" in h["content-type"], f"{st} {h}")
    for evil in ["/static/../index.html", "/static/%2e%2e/index.html", "/static/..%2f..%2fetc%2fpasswd",
                 "/static/%2Fetc%2Fpasswd", "/static/", "/static/....//index.html",
                 "/static/..\\index.html", "/static/index.html%00.js"]:
        st, h, body = s.request("GET", evil)
        check(f"path traversal {evil}", st == 404 and b"root:" not in body, f"{st}")

    st, h, j = s.json("GET", "/v1/verify")
    check("405 with Allow", st == 405 and h.get("allow") == "POST" and j["errors"][0]["code"] ==
          "METHOD_NOT_ALLOWED", f"{st} {h} {j}")
    st, h, j = s.json("DELETE", "/v1/certificates")
    check("405 DELETE", st == 405, f"{st}")
    st, h, j = s.json("GET", "/nothing/here")
    check("404 JSON", st == 404 and j["errors"][0]["code"] == "NOT_FOUND", f"{st} {j}")

    # Authorisation.
    st, h, j = s.json("POST", "/v1/certificates", dcc())
    check("issue without token: 401", st == 401 and "bearer" in h.get("www-authenticate", "").lower()
          and j["errors"][0]["code"] == "UNAUTHORIZED", f"{st} {h} {j}")
    st, h, j = s.json("POST", "/v1/certificates", dcc(), {"Authorization": "Bearer wrong-token-123456789"})
    check("issue with a wrong token: 401", st == 401, f"{st}")
    st, h, j = s.json("POST", "/v1/certificates", dcc(), {"Authorization": "Basic " + tok_a})
    check("issue with Basic auth: 401", st == 401, f"{st}")
    st, h, j = s.json("POST", "/v1/certificates", dcc(), {"Authorization": "Bearer " + tok_a[:-1]})
    check("issue with a token prefix: 401", st == 401, f"{st}")

    # Issuing.
    st, h, j = issue(s, token=tok_a)
    ok = check("issue: 201", st == 201, f"{st} {j}")
    if not ok:
        return
    uvci, qr = j["uvci"], j["qr"]
    check("issue: fields", uvci.startswith("URN:UVCI:01:XX:") and qr.startswith("HC1:") and
          j["type"] == "v" and j["country"] == "XX" and j["status"] == "active" and
          len(base64.b64decode(j["kid"])) == 8, f"{j}")
    check("issue: Location", h.get("location") == "/v1/certificates/" + quote(uvci), f"{h}")
    png = base64.b64decode(j["qr_png"])
    check("issue: qr_png is a PNG", png[:8] == b"\x89PNG\r\n\x1a\n", f"{png[:8]}")
    st, h, j2 = issue(s, token=tok_b)
    check("second token issues too", st == 201 and j2["uvci"] != uvci, f"{st}")
    st, h, j3 = s.json("POST", "/v1/certificates?validity_days=30", dcc(), s.auth(tok_a))
    if check("validity_days", st == 201, f"{st} {j3}"):
        t0 = time.strptime(j3["issued_at"], "%Y-%m-%dT%H:%M:%SZ")
        t1 = time.strptime(j3["expires_at"], "%Y-%m-%dT%H:%M:%SZ")
        days = (time.mktime(t1) - time.mktime(t0)) / 86400
        check("validity_days=30 gives 30 days", abs(days - 30) < 0.05, f"{days}")
    for q in ["abc", "0", "99999", "-1"]:
        st, h, j4 = s.json("POST", "/v1/certificates?validity_days=" + q, dcc(), s.auth(tok_a))
        check(f"validity_days={q}: 400", st == 400, f"{st} {j4}")

    # Test and recovery certificates too.
    for kind, entry in [("t", {"tg": "840539006", "tt": "LP6464-4", "sc": "2026-05-01T10:00:00Z",
                               "tr": "260415000", "tc": "Test centre XX", "co": "XX",
                               "is": "Ministry of Health XX"}),
                        ("r", {"tg": "840539006", "fr": "2026-04-01", "df": "2026-04-12",
                               "du": "2026-10-01", "co": "XX", "is": "Ministry of Health XX"})]:
        d = dcc()
        del d["v"]
        d[kind] = [entry]
        st, h, jk = s.json("POST", "/v1/certificates", d, s.auth(tok_a))
        ok = check(f"issue type {kind}: 201", st == 201 and jk["type"] == kind, f"{st} {jk}")
        if ok:
            st, h, v = s.json("POST", "/v1/verify?view=minimal", jk["qr"])
            check(f"verify type {kind}", v["valid"] is True and v["type"] == kind, f"{v}")

    bad = dcc()
    del bad["dob"]
    st, h, j4 = s.json("POST", "/v1/certificates", bad, s.auth(tok_a))
    check("schema-invalid DCC: 422 with errors", st == 422 and j4["errors"][0]["code"] ==
          "SCHEMA_INVALID" and j4["errors"][0]["message"], f"{st} {j4}")
    st, h, j4 = s.json("POST", "/v1/certificates", b"{not json", s.auth(tok_a))
    check("not JSON: 400", st == 400 and j4["errors"][0]["code"] == "JSON_INVALID", f"{st} {j4}")
    st, h, j4 = s.json("POST", "/v1/certificates", [1, 2], s.auth(tok_a))
    check("JSON array: 422", st == 422, f"{st} {j4}")
    st, h, j4 = s.json("POST", "/v1/certificates", b'{"ver":"1.3.0","ver":"1.3.0"}', s.auth(tok_a))
    check("duplicate keys: 400", st == 400, f"{st} {j4}")
    ci = "URN:UVCI:01:XX:CLIENTCHOSEN0001#" + "X"
    st1, _, j5 = issue(s, dcc(ci=ci), tok_a)
    st2, _, j6 = issue(s, dcc(ci=ci), tok_a)
    check("client-chosen ci, twice: 201 then 409", st1 in (201, 422) and
          (st1 == 422 or (st2 == 409 and j6["errors"][0]["code"] == "DUPLICATE")),
          f"{st1} {j5} / {st2} {j6}")
    big = dcc()
    big["nam"]["fn"] = "x" * (70 * 1024)
    st, h, j4 = s.json("POST", "/v1/certificates", big, s.auth(tok_a))
    check("70 KiB JSON: 413", st == 413 and j4["errors"][0]["code"] == "PAYLOAD_TOO_LARGE",
          f"{st} {j4}")
    code = s.raw(b"POST /v1/certificates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                 tok_a.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    check("chunked body: 411", code == 411, f"{code}")

    # Verifying.
    st, h, v = s.json("POST", "/v1/verify", qr)
    check("verify own certificate: valid", st == 200 and v["valid"] is True and
          v["format"] == "eu-dcc" and v["subject"]["dob"] == "1980-02-29" and
          {"name": "revocation", "ok": True} in v["checks"], f"{st} {v}")
    st, h, v = s.json("POST", "/v1/verify", "\n  " + qr + "\r\n", {"Content-Type": "text/plain"})
    check("verify with white space", st == 200 and v["valid"] is True, f"{st}")
    st, h, v = s.json("POST", "/v1/verify", png, {"Content-Type": "image/png"})
    check("verify PNG image", st == 200 and v["valid"] is True, f"{st} {v.get('errors')}")
    st, h, v = s.json("POST", "/v1/verify", png)
    check("verify PNG whatever the content type", st == 200 and v["valid"] is True, f"{st}")
    st, h, v = s.json("POST", "/v1/verify", "HC1:garbage$$$")
    check("verify garbage: 200 invalid", st == 200 and v["valid"] is False and
          v["errors"][0]["code"] == "ENCODING_INVALID", f"{st} {v}")
    st, h, v = s.json("POST", "/v1/verify", b"")
    check("verify empty: 200 PREFIX_UNKNOWN", st == 200 and v["errors"][0]["code"] ==
          "PREFIX_UNKNOWN", f"{st} {v}")
    st, h, v = s.json("POST", "/v1/verify", png[:200])
    check("verify broken image: IMAGE_UNREADABLE", st == 200 and v["errors"][0]["code"] ==
          "IMAGE_UNREADABLE", f"{st} {v}")
    st, h, v = s.json("POST", "/v1/verify", "HC1:" + "A" * 20000)
    check("verify 20 KiB text: 413", st == 413, f"{st} {v}")
    # No body is ever sent: a 413 answer proves the refusal came before the body.
    code = s.raw(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n")
    check("10 MiB Content-Length: 413 before the body", code == 413, f"{code}")
    st, h, v = s.json("POST", "/v1/verify?view=minimal", qr)
    check("minimal view", st == 200 and v["valid"] and set(v) == {"valid", "format", "type",
          "errors", "subject"} and "payload" not in json.dumps(v), f"{v}")
    tamper = qr[:-8] + ("A" if qr[-8] != "A" else "B") + qr[-7:]
    st, h, v = s.json("POST", "/v1/verify", tamper)
    check("verify altered code: invalid", st == 200 and v["valid"] is False, f"{v.get('errors')}")

    # Records.
    st, h, r = s.json("GET", "/v1/certificates/" + quote(uvci), headers=s.auth(tok_a))
    check("record", st == 200 and r["uvci"] == uvci and r["status"] == "active" and
          set(r["revocation_hashes"]) == {"UCI", "COUNTRYCODEUCI", "SIGNATURE"}, f"{st} {r}")
    check("record holds no personal data", not any(p in json.dumps(r, ensure_ascii=False)
                                                   for p in PERSONAL), f"{r}")
    uci_hash = base64.b64encode(hashlib.sha256(uvci.encode()).digest()[:16]).decode()
    cuci_hash = base64.b64encode(hashlib.sha256(("XX" + uvci).encode()).digest()[:16]).decode()
    check("record hashes are the EU forms", r["revocation_hashes"]["UCI"] == uci_hash and
          r["revocation_hashes"]["COUNTRYCODEUCI"] == cuci_hash, f"{r}")
    st, h, r2 = s.json("GET", "/v1/certificates/" + quote(uvci) + "?include=payload",
                       headers=s.auth(tok_a))
    check("record with payload (re-issue)", st == 200 and r2["dcc"]["nam"]["fn"] == "Müller" and
          r2["qr"] == qr, f"{st}")
    st, h, r = s.json("GET", "/v1/certificates/" + quote(uvci))
    check("record without token: 401", st == 401, f"{st}")
    st, h, pdf = s.request("GET", "/v1/certificates/" + quote(uvci) + "/pdf", headers=s.auth(tok_a))
    check("printable PDF", st == 200 and h["content-type"] == "application/pdf" and
          pdf[:5] == b"%PDF-", f"{st} {h}")
    st, h, _ = s.request("GET", "/v1/certificates/" + quote(uvci) + "/pdf")
    check("PDF without token: 401", st == 401, f"{st}")
    st, h, _ = s.request("GET", "/v1/certificates/" + quote("URN:UVCI:01:XX:NONE#1") + "/pdf",
                         headers=s.auth(tok_a))
    check("PDF of an unknown certificate: 404", st == 404, f"{st}")
    for evil in ["' OR '1'='1", "'; DROP TABLE certificates;--", "x' UNION SELECT * FROM certificates--",
                 "%27", "..%2F..%2Fetc%2Fpasswd", uvci + "' OR 'a'='a", "A" * 300, "\x01\x02"]:
        st, h, r = s.json("GET", "/v1/certificates/" + quote(evil), headers=s.auth(tok_a))
        check(f"SQL metacharacters in the UVCI {evil[:20]!r}: 404", st == 404 and
              "SQL" not in json.dumps(r) and "syntax" not in json.dumps(r), f"{st} {r}")
        st, h, r = s.json("POST", "/v1/certificates/" + quote(evil) + "/revoke", headers=s.auth(tok_a))
        check(f"revoke {evil[:20]!r}: 404", st == 404, f"{st} {r}")
    st, h, r = s.json("GET", "/v1/certificates/" + quote(uvci), headers=s.auth(tok_a))
    check("records intact after the metacharacters", st == 200 and r["status"] == "active", f"{st}")

    # Trust publication and offline verification.
    st, h, tl = s.json("GET", "/v1/trustlist")
    check("trust list", st == 200 and isinstance(tl, list) and tl and
          {"kid", "country", "certificateType", "rawData"} <= set(tl[0]), f"{st} {tl}")
    tl_path = os.path.join(tmp, "trustlist.json")
    with open(tl_path, "w") as f:
        json.dump(tl, f)
    qr_path = os.path.join(tmp, "qr.txt")
    with open(qr_path, "w") as f:
        f.write(qr)
    rc, out, err = run_cli("verify", "--trust", tl_path, qr_path)
    check("offline verify with the published trust list", rc == 0 and "VALID" in out, f"{rc} {out} {err}")
    st, h, _ = s.request("GET", "/v1/trustlist", headers={"If-None-Match": h.get("etag", "")})
    check("trust list ETag: 304", st == 304, f"{st}")

    # Revocation.
    st, h, r = s.json("POST", "/v1/certificates/" + quote(uvci) + "/revoke")
    check("revoke without token: 401", st == 401, f"{st}")
    st, h, r = s.json("POST", "/v1/certificates/" + quote(uvci) + "/revoke", headers=s.auth(tok_b))
    check("revoke: 200 revoked", st == 200 and r["status"] == "revoked" and "revoked_at" in r, f"{st} {r}")
    st, h, v = s.json("POST", "/v1/verify", qr)
    check("verify after revocation: REVOKED", st == 200 and v["valid"] is False and
          any(e["code"] == "REVOKED" for e in v["errors"]), f"{v.get('errors')}")
    st, h, v = s.json("POST", "/v1/verify", png)
    check("verify image after revocation: REVOKED", any(e["code"] == "REVOKED" for e in v["errors"]), f"{v.get('errors')}")
    st, h, r = s.json("POST", "/v1/certificates/" + quote(uvci) + "/revoke", headers=s.auth(tok_b))
    check("revoke twice: 200", st == 200 and r["status"] == "revoked", f"{st}")
    st, h, v = s.json("POST", "/v1/verify", j2["qr"])
    check("other certificate still valid", v["valid"] is True, f"{v.get('errors')}")
    st, h, doc = s.json("GET", "/v1/revocations")
    ok = check("revocation list", st == 200 and doc["format"] == "healthcert-revocations" and
               doc["version"] == 1 and len(doc["lists"]) == 1, f"{st} {doc}")
    if ok:
        hashes = doc["lists"][0]["hashes"]
        check("revocation list has the three EU hashes", hashes["UCI"] == [uci_hash] and
              hashes["COUNTRYCODEUCI"] == [cuci_hash] and len(hashes["SIGNATURE"]) == 1, f"{doc}")
        st2, h2, _ = s.request("GET", "/v1/revocations", headers={"If-None-Match": h["etag"]})
        check("revocation list ETag: 304", st2 == 304, f"{st2}")
        rev_path = os.path.join(tmp, "revocations.json")
        with open(rev_path, "w") as f:
            json.dump(doc, f)
        rc, out, err = run_cli("verify", "--trust", tl_path, "--revocation", rev_path, qr_path)
        check("offline verify --revocation: REVOKED", rc == 1 and "REVOKED" in out, f"{rc} {out} {err}")
        # Each hash type alone revokes (SIGNATURE comes from the issuer, the others from the
        # verifier: the two sides must agree on r-only hashing).
        for t in ["UCI", "COUNTRYCODEUCI", "SIGNATURE"]:
            one = dict(doc, lists=[{"kid": doc["lists"][0]["kid"], "hashes": {t: hashes[t]}}])
            p = os.path.join(tmp, f"rev-{t}.json")
            with open(p, "w") as f:
                json.dump(one, f)
            rc, out, err = run_cli("verify", "--json", "--trust", tl_path, "--revocation", p, qr_path)
            check(f"offline verify with only the {t} hash: REVOKED", rc == 1 and "REVOKED" in out,
                  f"{rc} {out[-300:]} {err}")
        other = os.path.join(tmp, "qr2.txt")
        with open(other, "w") as f:
            f.write(j2["qr"])
        rc, out, err = run_cli("verify", "--trust", tl_path, "--revocation", rev_path, other)
        check("offline verify of an unrevoked one: VALID", rc == 0, f"{rc} {out} {err}")
        with open(p, "w") as f:
            f.write('{"format":"healthcert-revocations","version":1,"lists":[{"kid":"!!"}]}')
        rc, out, err = run_cli("verify", "--trust", tl_path, "--revocation", p, qr_path)
        check("malformed revocation list: exit 2", rc == 2 and "revocation" in err, f"{rc} {err}")

    # Token file reload (SIGHUP): a removed token stops working.
    with open(token_file, "w") as f:
        f.write(tok_b + "\n")
    s.proc.send_signal(signal.SIGHUP)
    # Polled with a read (404 while tok_a is valid, 401 once the reload is done): no side effect.
    eventually(lambda: s.request("GET", "/v1/certificates/URN%3AUVCI%3A01%3AXX%3ANONE",
                                 headers=s.auth(tok_a))[0] == 401)
    st, _, _ = issue(s, token=tok_a)
    check("removed token after SIGHUP: 401", st == 401, f"{st}")
    st, _, _ = issue(s, token=tok_b)
    check("kept token after SIGHUP: 201", st == 201, f"{st}")

    # Failed-authentication limit: 401 ..., then 429.
    codes = [s.json("POST", "/v1/certificates", dcc(), {"Authorization": "Bearer guess-%020d" % i})[0]
             for i in range(25)]
    check("guessing tokens: 401 then 429", codes[0] == 401 and codes[-1] == 429, f"{codes}")

    # Graceful stop with a request in flight: it is answered, then the process exits 0.
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=15)
    body = qr.encode()
    sock.sendall(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
                 + body[:50])
    time.sleep(0.3)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    try:
        sock.sendall(body[50:])
        resp = sock.recv(65536)
    except OSError as e:
        resp = str(e).encode()
    sock.close()
    check("request in flight at SIGTERM is answered", resp.startswith(b"HTTP/1.1 200"), f"{resp[:100]}")
    try:
        rc = s.proc.wait(15)
    except subprocess.TimeoutExpired:
        rc = "hung"
    check("exit 0 after SIGTERM", rc == 0, f"{rc}")
    s.proc = None


def log_privacy(s):
    lines = open(s.log, encoding="utf-8").read().splitlines()
    check("access log written", len(lines) > 20, f"{len(lines)} lines")
    bad = [l for l in lines if not l.startswith("{")]
    parsed = 0
    for l in lines:
        try:
            json.loads(l)
            parsed += 1
        except ValueError:
            bad.append(l)
    check("every log line is one JSON object", not bad and parsed == len(lines), f"{bad[:3]}")
    text = "\n".join(lines)
    for p in PERSONAL + ["URN:UVCI", "HC1:", "DROP TABLE", "token-one", "token-two"]:
        check(f"log holds no '{p}'", p not in text, f"{[l for l in lines if p in l][:2]}")


# --------------------------------------------------------------------------------------------
def slowloris(s, n_slow, timeout_s):
    """n_slow sockets send a header byte at a time; others must still be served quickly and the
    slow ones must be cut within the time limit."""
    slow = []
    for _ in range(n_slow):
        try:
            c = socket.create_connection(("127.0.0.1", s.port), timeout=2)
            c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            slow.append(c)
        except OSError:
            break
    check("slowloris sockets opened", len(slow) == n_slow, f"{len(slow)}")
    stop = threading.Event()

    def dribble():
        while not stop.is_set():
            for c in slow:
                try:
                    c.send(b"X")
                except OSError:
                    pass
            stop.wait(0.5)

    th = threading.Thread(target=dribble)
    th.start()
    # Tests never assert on time (machines here are noisy): the check is that every other
    # client is answered (within the client's 5 s timeout) while the slow sockets are held; the
    # latency is printed for the record.
    lat = []
    served = 0
    for _ in range(40):
        t0 = time.time()
        try:
            st, _, _ = s.request("GET", "/healthz", timeout=5)
        except OSError:
            st = 0
        lat.append(time.time() - t0)
        if st != 200:
            break
        served += 1
        time.sleep(0.02)
    lat.sort()
    p99 = lat[int(len(lat) * 0.99) - 1] if lat else 99
    check("others served during slowloris", served == 40,
          f"{served} of 40 answered, p99 {p99 * 1000:.1f} ms")
    time.sleep(timeout_s + 1.5)
    stop.set()
    th.join()
    closed = 0
    for c in slow:
        try:
            c.settimeout(0.5)
            data = c.recv(100)
            closed += data == b""
        except (ConnectionResetError, BrokenPipeError):
            closed += 1
        except socket.timeout:
            pass
        c.close()
    check("slowloris sockets cut by the header deadline", closed == len(slow),
          f"{closed}/{len(slow)} closed")


def kill9_during_issuance(tmp, db, name):
    """Clients issue concurrently; SIGKILL mid-way; after a restart every certificate that got a
    201 is there (committed before the answer)."""
    s = Server(tmp, name=name, db=db).start()
    acked, lock, stop = [], threading.Lock(), threading.Event()
    token = s.token()
    errors = []

    def client(k):
        i = 0
        while not stop.is_set() and i < 2000:
            i += 1
            try:
                st, _, j = s.json("POST", "/v1/certificates", dcc(), {"Authorization": "Bearer " + token})
            except (OSError, http.client.HTTPException):
                return  # the server died: anything unanswered was never promised
            if st == 201:
                with lock:
                    acked.append(j["uvci"])
            else:
                errors.append(st)

    ths = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    for t in ths:
        t.start()
    time.sleep(1.5)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait(10)
    s.proc = None
    stop.set()
    for t in ths:
        t.join(30)
    check(f"[{name}] certificates acknowledged before kill -9", len(acked) > 5 and not errors,
          f"{len(acked)} acked, errors {errors[:5]}")
    s.start()
    missing = 0
    for u in acked:
        st, _, r = s.json("GET", "/v1/certificates/" + quote(u), headers=s.auth())
        missing += st != 200
    check(f"[{name}] no acknowledged certificate lost ({len(acked)} checked)", missing == 0,
          f"{missing} missing")
    st, _, j = issue(s)
    check(f"[{name}] issuing works after the restart", st == 201, f"{st}")
    rc = s.stop()
    check(f"[{name}] exit 0", rc == 0, f"{rc}")


def test_faults(tmp, db):
    timeout_s = 2
    s = Server(tmp, db=db, extra=["--timeout", str(timeout_s), "--max-connections", "2048"]).start()
    try:
        cases = [
            ("garbage request line", b"GARBAGE\r\n\r\n", (400, 0)),
            ("no version", b"GET /\r\n\r\n", (400, 0)),
            ("unknown version", b"GET / HTTP/7.1\r\nHost: x\r\n\r\n", (505, 400)),
            ("space before colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", (400,)),
            # RFC 9112 §5.2: reject obs-fold with 400 or replace it with a space (libmicrohttpd).
            ("obs-fold", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", (400, 200)),
            ("header without colon", b"GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n", (400,)),
            ("duplicate Content-Length", b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 4"
             b"\r\nContent-Length: 5\r\n\r\nHC1:X", (400,)),
            ("Content-Length and Transfer-Encoding", b"POST /v1/verify HTTP/1.1\r\nHost: x\r\n"
             b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nHC1:\r\n0\r\n\r\n", (400,)),
            ("bad Content-Length", b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
             (400,)),
            ("no Host (HTTP/1.1)", b"GET /healthz HTTP/1.1\r\n\r\n", (400,)),
            # A raw NUL ends the path for libmicrohttpd: a lookup of "a" without a token.
            ("NUL in the path", b"GET /v1/certificates/a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
             (400, 401, 404, 0)),
            ("10 KiB of headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10240 +
             b"\r\n\r\n", (431,)),
            ("100 KiB of headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 102400 +
             b"\r\n\r\n", (431, 0)),
            ("1000 small headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
             b"".join(b"X-%d: 1\r\n" % i for i in range(1000)) + b"\r\n", (431,)),
            ("huge URL", b"GET /" + b"a" * 40000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", (414, 431, 0)),
            ("binary junk", bytes(range(256)) * 4, (400, 0)),
        ]
        for name, data, want in cases:
            code = s.raw(data)
            check(f"malformed: {name} -> {want}", code in want, f"got {code}")
            st, _, _ = s.request("GET", "/healthz")
            check(f"still up after: {name}", st == 200, f"{st}")
        # Our own 431 is JSON.
        st, h, body = s.request("GET", "/healthz", headers={"X-Big": "a" * 9000})
        check("431 for 9 KiB of headers, JSON", st == 431 and b"HEADERS_TOO_LARGE" in body, f"{st} {body[:100]}")

        # Slow body (1 byte/s): cut by the body deadline.
        c = socket.create_connection(("127.0.0.1", s.port), timeout=timeout_s + 30)
        c.sendall(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        t0 = time.time()
        cut = None
        # The server must cut the connection at its deadline; we only wait far longer than that
        # (no assertion on how fast: tests never assert on time).
        while time.time() - t0 < timeout_s + 30:
            try:
                c.send(b"H")
                c.settimeout(1.0)
                d = c.recv(100)
                if d == b"" or d.startswith(b"HTTP/1.1 408"):
                    cut = time.time() - t0
                    break
            except socket.timeout:
                continue
            except OSError:
                cut = time.time() - t0
                break
        c.close()
        check("slow body cut by the server", cut is not None, f"after {cut}")

        slowloris(s, 500, timeout_s)  # security.md J3: 500 sockets
        st, _, _ = s.request("GET", "/healthz")
        check("up after slowloris", st == 200, f"{st}")
        st, _, j = issue(s)
        check("issuing after the faults", st == 201, f"{st} {j}")
    finally:
        rc = s.stop()
        check("exit 0 after the faults", rc == 0, f"{rc}")
    kill9_during_issuance(tmp, db, "kill9")
    connection_limits(tmp, db)


def connection_limits(tmp, db):
    """--max-connections and --max-connections-per-ip as the acceptor (svc_accept.c) keeps them:
    at the limit a new connection waits unanswered until an open one closes; over the
    per-address limit it is closed unanswered; and the service listens on IPv6 when told to."""
    def ask(port, host="127.0.0.1", family=socket.AF_INET, wait=10.0):
        c = socket.socket(family)
        c.settimeout(wait)
        c.connect((host, port))
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        return c

    def answer(c):
        try:
            return c.recv(100)[:12]
        except socket.timeout:
            return None
        except OSError:
            return b""

    s = Server(tmp, name="lim", db=db, extra=["--max-connections", "2"]).start()
    try:
        a, b = ask(s.port), ask(s.port)
        check("[limits] two connections answered", answer(a) == answer(b) == b"HTTP/1.1 200")
        c = ask(s.port, wait=1.0)
        got = answer(c)
        check("[limits] a third waits while two are open", got is None, f"{got}")
        a.close()
        c.settimeout(10.0)
        got = answer(c)
        check("[limits] ... and is answered once one closes", got == b"HTTP/1.1 200", f"{got}")
        for x in (b, c):
            x.close()
    finally:
        check("[limits] exit 0", s.stop() == 0)
    s = Server(tmp, name="perip", db=db, extra=["--max-connections-per-ip", "2"]).start()
    try:
        a, b = ask(s.port), ask(s.port)
        check("[limits] per address: two answered", answer(a) == answer(b) == b"HTTP/1.1 200")
        c = ask(s.port)
        got = answer(c)
        check("[limits] per address: a third is closed unanswered", got == b"", f"{got}")
        for x in (a, b, c):
            x.close()
    finally:
        check("[limits] per address: exit 0", s.stop() == 0)
    if socket.has_ipv6:
        s = Server(tmp, name="v6", db=db, extra=["--listen", "[::1]:0"])
        try:
            s.start()
            c = ask(s.port, "::1", socket.AF_INET6)
            got = answer(c)
            c.close()
            check("[limits] IPv6 listener", got == b"HTTP/1.1 200", f"{got}")
            check("[limits] IPv6 demo banner", f"http://[::1]:{s.port}/" in open(s.out).read())
        except (OSError, RuntimeError) as e:  # no IPv6 loopback in this environment
            print(f"[limits] IPv6 not available here: {e}")
        finally:
            s.stop()


# --------------------------------------------------------------------------------------------
def test_multi(tmp, db):
    """Two stateless instances on one PostgreSQL database: what one issues the other knows, what
    one revokes the other reports REVOKED within its refresh interval."""
    a = Server(tmp, name="a", db=db, extra=["--revocation-refresh", "1"]).start()
    b = Server(tmp, name="b", db=db, extra=["--revocation-refresh", "1"],
               demo=a.demo).start()
    try:
        st, _, j = issue(a)
        if not check("[multi] issue on A", st == 201, f"{st} {j}"):
            return
        st, _, r = b.json("GET", "/v1/certificates/" + quote(j["uvci"]), headers=b.auth())
        check("[multi] record visible on B", st == 200, f"{st}")
        st, _, v = b.json("POST", "/v1/verify", j["qr"])
        check("[multi] valid on B", v["valid"] is True, f"{v.get('errors')}")
        st, _, r = a.json("POST", "/v1/certificates/" + quote(j["uvci"]) + "/revoke", headers=a.auth())
        check("[multi] revoke on A", st == 200, f"{st}")
        revoked = False
        for _ in range(40):
            st, _, v = b.json("POST", "/v1/verify", j["qr"])
            if any(e["code"] == "REVOKED" for e in v["errors"]):
                revoked = True
                break
            time.sleep(0.1)
        check("[multi] B reports REVOKED after its refresh", revoked, f"{v.get('errors')}")
        st, _, doc = b.json("GET", "/v1/revocations")
        check("[multi] B publishes the revocation", st == 200 and len(doc["lists"]) == 1, f"{doc}")
    finally:
        check("[multi] A exit 0", a.stop() == 0)
        check("[multi] B exit 0", b.stop() == 0)

# --------------------------------------------------------------------------------------------
def test_reload(tmp, db):
    """SIGHUP reloads the trust material of --trust DIR: a new DSC becomes trusted, a removed one
    untrusted, a broken folder keeps the previous material (trust-reload-failed), and requests
    posted during 20 reloads are all answered with the right verdict."""
    def keygen_dsc(name):
        d = os.path.join(tmp, name)
        for args in (["keygen", "csca", "--country", "XX", "--out", d],
                     ["keygen", "dsc", "--csca-cert", os.path.join(d, "csca.pem"), "--csca-key",
                      os.path.join(d, "csca.key"), "--out", d]):
            rc, out, err = run_cli(*args)
            if rc != 0:
                raise RuntimeError(f"{args}: {rc} {err}")
        return d

    def issue_cli(pki):
        path = os.path.join(tmp, "dcc.json")
        with open(path, "w") as f:
            json.dump(dcc(), f)
        rc, out, err = run_cli("issue", "--json", "--cert", os.path.join(pki, "dsc.pem"), "--key",
                               os.path.join(pki, "dsc.key"), path)
        if rc != 0:
            raise RuntimeError(f"issue: {rc} {err}")
        j = json.loads(out)
        return j["qr"], j["kid"]

    def codes(s, qr):
        st, _, v = s.json("POST", "/v1/verify", qr)
        return st, v.get("valid") if isinstance(v, dict) else None, \
            [e["code"] for e in v.get("errors", [])] if isinstance(v, dict) else []

    def etag(s):
        st, h, tl = s.json("GET", "/v1/trustlist")
        return h.get("etag"), [e["kid"] for e in tl] if st == 200 else []

    def reload(s, old_etag):
        """SIGHUP, then waits (at most 5 s) for the published trust list to change."""
        s.proc.send_signal(signal.SIGHUP)
        for _ in range(100):
            tag, kids = etag(s)
            if tag != old_etag:
                return tag, kids
            time.sleep(0.05)
        return old_etag, kids

    def events(s, name):
        return sum(1 for l in open(s.log, encoding="utf-8") if f'"event":"{name}"' in l)

    pki1, pki2 = keygen_dsc("pki1"), keygen_dsc("pki2")
    qr1, kid1 = issue_cli(pki1)
    qr2, kid2 = issue_cli(pki2)
    trust = os.path.join(tmp, "trust")
    os.mkdir(trust)
    shutil.copy(os.path.join(pki1, "dsc.pem"), os.path.join(trust, "dsc1.pem"))
    s = Server(tmp, name="reload", db=db, extra=["--trust", trust]).start()
    try:
        st, valid, errs = codes(s, qr1)
        check("[reload] DSC 1 trusted at start", st == 200 and valid is True, f"{st} {errs}")
        st, valid, errs = codes(s, qr2)
        check("[reload] DSC 2 not trusted at start", st == 200 and valid is False and
              "KEY_NOT_TRUSTED" in errs, f"{st} {errs}")
        tag0, kids = etag(s)
        check("[reload] trust list: DSC 1, not DSC 2", kid1 in kids and kid2 not in kids, f"{kids}")
        st, _, own = issue(s)
        check("[reload] issuing", st == 201, f"{st} {own}")

        # A new DSC in the folder: trusted after SIGHUP.
        shutil.copy(os.path.join(pki2, "dsc.pem"), os.path.join(trust, "dsc2.pem"))
        tag1, kids = reload(s, tag0)
        check("[reload] SIGHUP changes the trust list's ETag", tag1 != tag0, f"{tag1}")
        check("[reload] trust list lists the new kid", kid2 in kids and kid1 in kids, f"{kids}")
        st, valid, errs = codes(s, qr2)
        check("[reload] DSC 2 trusted after SIGHUP", st == 200 and valid is True, f"{st} {errs}")
        st, valid, errs = codes(s, qr1)
        check("[reload] DSC 1 still trusted", st == 200 and valid is True, f"{st} {errs}")
        st, valid, errs = codes(s, own["qr"])
        check("[reload] the issuer's own DSC still trusted", valid is True, f"{st} {errs}")
        # The event is logged by the reloading thread; polled, not timed.
        eventually(lambda: any('"event":"trust-reloaded"' in l
                               for l in open(s.log, encoding="utf-8")))
        lines = [l for l in open(s.log, encoding="utf-8") if '"event":"trust-reloaded"' in l]
        check("[reload] trust-reloaded logged with the entry count",
              len(lines) == 1 and '"detail":"3 entries' in lines[0], f"{lines}")

        # A removed DSC: untrusted after SIGHUP.
        os.unlink(os.path.join(trust, "dsc1.pem"))
        tag2, kids = reload(s, tag1)
        check("[reload] trust list without the removed kid", tag2 != tag1 and kid1 not in kids and
              kid2 in kids, f"{kids}")
        st, valid, errs = codes(s, qr1)
        check("[reload] removed DSC 1: KEY_NOT_TRUSTED", st == 200 and valid is False and
              "KEY_NOT_TRUSTED" in errs, f"{st} {errs}")

        # A broken file in the folder: the reload fails as a whole, the previous material stays.
        with open(os.path.join(trust, "broken.pem"), "wb") as f:
            f.write(b"-----BEGIN CERTIFICATE-----\n" + os.urandom(300) + b"\n")
        failed_before = events(s, "trust-reload-failed")
        s.proc.send_signal(signal.SIGHUP)
        for _ in range(100):
            if events(s, "trust-reload-failed") > failed_before:
                break
            time.sleep(0.05)
        lines = [l for l in open(s.log, encoding="utf-8") if "trust-reload-failed" in l]
        check("[reload] broken folder: trust-reload-failed logged", len(lines) == 1 and
              "TRUST_INVALID" in lines[0] and "broken" not in lines[0] and trust not in lines[0],
              f"{lines}")
        st, valid, errs = codes(s, qr2)
        check("[reload] broken folder: the previous store still verifies", st == 200 and
              valid is True, f"{st} {errs}")
        st, valid, errs = codes(s, qr1)
        check("[reload] broken folder: ... and still refuses", valid is False and
              "KEY_NOT_TRUSTED" in errs, f"{st} {errs}")
        tag3, kids = etag(s)
        check("[reload] broken folder: trust list unchanged", tag3 == tag2 and kid2 in kids,
              f"{tag3} {kids}")
        os.unlink(os.path.join(trust, "broken.pem"))

        # Requests in flight during reloads: 2,000 over 4 keep-alive connections, 20 SIGHUPs.
        done, bad, lock = [0], [], threading.Lock()
        body = qr2.encode()

        def client():
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            for _ in range(500):
                try:
                    c.request("POST", "/v1/verify", body=body)
                    r = c.getresponse()
                    data = r.read()
                    ok = r.status == 200 and json.loads(data)["valid"] is True
                    err = f"{r.status} {data[:200]}"
                except (OSError, http.client.HTTPException, ValueError) as e:
                    ok, err = False, repr(e)
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
                with lock:
                    done[0] += 1
                    if not ok:
                        bad.append(err)
            c.close()

        reloaded_before = events(s, "trust-reloaded")
        ths = [threading.Thread(target=client) for _ in range(4)]
        for th in ths:
            th.start()
        sent = 0
        while sent < 20:
            with lock:
                n = done[0]
            if n >= (sent + 1) * 90 or not any(th.is_alive() for th in ths):
                s.proc.send_signal(signal.SIGHUP)
                sent += 1
            else:
                time.sleep(0.002)
        for th in ths:
            th.join(120)
        check("[reload] 2,000 verifications during 20 reloads: all 200 VALID",
              done[0] == 2000 and not bad, f"{done[0]} done, {len(bad)} bad: {bad[:3]}")
        eventually(lambda: events(s, "trust-reloaded") > reloaded_before and
                   events(s, "trust-reload-failed") == 1)
        check("[reload] reloads happened meanwhile",
              events(s, "trust-reloaded") > reloaded_before and
              events(s, "trust-reload-failed") == 1, f"{events(s, 'trust-reloaded')}")
        st, _, j = s.json("GET", "/healthz")
        check("[reload] still up", st == 200 and j["status"] == "ok", f"{st}")
        st, valid, errs = codes(s, qr1)
        check("[reload] after the storm: DSC 1 still untrusted", valid is False and
              "KEY_NOT_TRUSTED" in errs, f"{errs}")
    finally:
        rc = s.stop()
        check("[reload] exit 0", rc == 0, f"exit {rc}: {open(s.err).read()[-2000:]}")


def main():
    global BIN
    if not BIN:
        print("HC_BIN is not set (run through ctest)")
        return 2
    mode = sys.argv[1] if len(sys.argv) > 1 else "basic"
    db = None
    if "--db" in sys.argv:
        db = sys.argv[sys.argv.index("--db") + 1]
    tmp = tempfile.mkdtemp(prefix="hc-serve-")
    try:
        {"basic": test_basic, "faults": test_faults, "multi": test_multi,
         "reload": test_reload}[mode](tmp, db)
    except Exception as e:  # a crash of the test itself is a failure, reported as such
        import traceback
        traceback.print_exc()
        check(f"{mode} ran to the end", False, repr(e))
        for f in os.listdir(tmp):
            if f.endswith(".err"):
                print(f"--- {f}:\n" + open(os.path.join(tmp, f)).read()[-3000:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{mode}{' (' + db.split('@')[-1] + ')' if db else ''}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
