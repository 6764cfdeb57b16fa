#!/bin/bash
# test_contract.sh: items of shared/CONTRACT.md checked through the program as an acceptance test
# would drive it, where the other CLI tests did not: white space around the input (trailing spaces
# included), the stable codes DECOMPRESS_FAILED, KID_MISSING, ALG_UNSUPPORTED, KEY_USAGE_MISMATCH
# and RULE_FAILED from `verify`, and `serve` started with only the contract's options
# (--issuer-cert/--issuer-key, no --payload-key-file), with 405 on wrong methods of sub-resources.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
src=${HC_SOURCE_DIR:?}
vec=${HC_VECTORS:?}
tmp=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "${HC_KEEP_TMP:-}" ] && trap - EXIT

codes() { # codes FILE: the verdict's error codes, space-separated
    python3 -c "import json,sys; print(' '.join(e['code'] for e in json.load(open(sys.argv[1]))['errors']))" "$1"
}

sample=$src/examples/DE-vaccination.txt
dsc=$src/examples/DE-vaccination-dsc.pem
at=2021-06-01T20:00:00+02:00

# --- Surrounding white space, trailing spaces included (a Base45 text never ends in SPACE).
printf '  \t%s  \t \r\n\n' "$(cat "$sample")" >"$tmp/spaced.txt"
"$bin" verify --trust "$dsc" --at "$at" "$tmp/spaced.txt" >"$tmp/out"
check "spaces around the text" 0 $? "VALID" "$tmp/out"
"$bin" verify --trust "$dsc" --at "$at" - <"$tmp/spaced.txt" >"$tmp/out"
check "spaces around standard input" 0 $? "VALID" "$tmp/out"
printf '%s \n%s\n' "$(cat "$sample")" "$(cat "$sample")" >"$tmp/batch.txt"
"$bin" verify --trust "$dsc" --at "$at" --batch "$tmp/batch.txt" >"$tmp/out"
check "batch line with a trailing space" 0 $?
"$bin" decode "$tmp/spaced.txt" >"$tmp/out"
check "decode with spaces around" 0 $? "Mustermann" "$tmp/out"

# --- Codes crafted from the sample: its COSE message rebuilt with other headers.
python3 - "$sample" "$tmp" <<'PY'
import base64, sys, zlib
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

def b45d(s):
    out = bytearray()
    for i in range(0, len(s), 3):
        c = [A.index(ch) for ch in s[i:i + 3]]
        n = sum(v * 45 ** k for k, v in enumerate(c))
        out += n.to_bytes(2 if len(c) == 3 else 1, "big")
    return bytes(out)

def b45e(b):
    out = ""
    for i in range(0, len(b), 2):
        n = int.from_bytes(b[i:i + 2], "big")
        k = 3 if i + 1 < len(b) else 2
        for _ in range(k):
            out += A[n % 45]
            n //= 45
    return out

def head(major, n):  # CBOR head (RFC 8949 §3)
    if n < 24:
        return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | ai]) + n.to_bytes(size, "big")

def bstr(b):
    return head(2, len(b)) + b

def item(b, i):  # (end of the item at i) for the few shapes a COSE_Sign1 has
    major, ai = b[i] >> 5, b[i] & 31
    i += 1
    n = ai
    if ai >= 24:
        size = 1 << (ai - 24)
        n, i = int.from_bytes(b[i:i + size], "big"), i + size
    if major in (2, 3):
        return i + n
    if major == 4:
        for _ in range(n):
            i = item(b, i)
        return i
    if major == 5:
        for _ in range(2 * n):
            i = item(b, i)
        return i
    if major == 6:
        return item(b, i)
    return i

def parts(cose):  # tag 18, [protected, unprotected, payload, signature]
    i = 1 if cose[0] == 0xD2 else 0
    assert cose[i] == 0x84
    i += 1
    out = []
    for _ in range(4):
        j = item(cose, i)
        out.append(cose[i:j])
        i = j
    return out

text = open(sys.argv[1]).read().strip()
cose = zlib.decompress(b45d(text[4:]))
prot, unprot, payload, sig = parts(cose)

def hc1(protected_map, unprotected_map=b"\xa0"):
    c = b"\xd2\x84" + bstr(protected_map) + unprotected_map + payload + sig
    return "HC1:" + b45e(zlib.compress(c, 9))

kid = bytes.fromhex("0c4b15512be91401")  # DEsVUSvpFAE=
out = sys.argv[2]
open(out + "/deflate.txt", "w").write("HC1:" + b45e(b"this is not zlib data") + "\n")
open(out + "/nokid.txt", "w").write(hc1(b"\xa1\x01\x26") + "\n")  # {1: -7}
open(out + "/eddsa.txt", "w").write(hc1(b"\xa2\x01\x27\x04" + bstr(kid)) + "\n")  # {1: -8, 4: kid}
PY
"$bin" verify --trust "$dsc" --at "$at" --json "$tmp/deflate.txt" >"$tmp/v.json"
check "DECOMPRESS_FAILED" 1 $?
[ "$(codes "$tmp/v.json")" = DECOMPRESS_FAILED ] || { echo "FAIL deflate: $(codes "$tmp/v.json")"; fails=$((fails + 1)); }
"$bin" verify --trust "$dsc" --at "$at" --json "$tmp/nokid.txt" >"$tmp/v.json"
check "KID_MISSING" 1 $?
[ "$(codes "$tmp/v.json")" = KID_MISSING ] || { echo "FAIL no kid: $(codes "$tmp/v.json")"; fails=$((fails + 1)); }
"$bin" verify --trust "$dsc" --at "$at" --json "$tmp/eddsa.txt" >"$tmp/v.json"
check "ALG_UNSUPPORTED" 1 $?
[ "$(codes "$tmp/v.json")" = ALG_UNSUPPORTED ] || { echo "FAIL EdDSA: $(codes "$tmp/v.json")"; fails=$((fails + 1)); }

# --- Our own signer: a test-only DSC (extended key usage) and a first dose.
"$bin" keygen csca --country XX --out "$tmp/pki" --not-before 2025-01-01T00:00:00Z >/dev/null &&
    "$bin" keygen dsc --csca-cert "$tmp/pki/csca.pem" --csca-key "$tmp/pki/csca.key" \
        --out "$tmp/pki" --not-before 2025-01-01T00:00:00Z --days 3000 >/dev/null &&
    "$bin" keygen dsc --csca-cert "$tmp/pki/csca.pem" --csca-key "$tmp/pki/csca.key" \
        --out "$tmp/pki" --name dsc-t --type t --not-before 2025-01-01T00:00:00Z --days 3000 >/dev/null
check "keygen" 0 $?
cat >"$tmp/dose1.json" <<'EOF'
{"ver":"1.3.0","nam":{"fn":"Müller","gn":"Zoë","fnt":"MUELLER","gnt":"ZOE"},"dob":"1980-02-29",
 "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":1,"sd":2,
       "dt":"2026-05-01","co":"XX","is":"Ministry of Health XX"}]}
EOF
"$bin" issue --cert "$tmp/pki/dsc.pem" --key "$tmp/pki/dsc.key" --at 2026-05-01T00:00:00Z \
    "$tmp/dose1.json" >"$tmp/dose1.txt"
check "issue" 0 $?
"$bin" verify --trust "$tmp/pki/dsc.pem" --at 2026-06-01T12:00:00Z --rules "$vec/rules/XX" \
    --valuesets "$vec/eu-dcc/valuesets" --country XX --json "$tmp/dose1.txt" >"$tmp/v.json"
check "RULE_FAILED" 1 $? "VR-XX-0002" "$tmp/v.json"
[ "$(codes "$tmp/v.json")" = RULE_FAILED ] || { echo "FAIL rules: $(codes "$tmp/v.json")"; fails=$((fails + 1)); }
# The same key certified again for tests only (extended key usage), and the first dose signed
# again under that certificate's kid: a trusted signer that may not sign vaccinations.
python3 - "$tmp" <<'PY'
import base64, hashlib, sys, zlib
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
t = sys.argv[1]
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
def b45d(s):
    out = bytearray()
    for i in range(0, len(s), 3):
        c = [A.index(ch) for ch in s[i:i + 3]]
        out += sum(v * 45 ** k for k, v in enumerate(c)).to_bytes(2 if len(c) == 3 else 1, "big")
    return bytes(out)
def b45e(b):
    out = ""
    for i in range(0, len(b), 2):
        n = int.from_bytes(b[i:i + 2], "big")
        for _ in range(3 if i + 1 < len(b) else 2):
            out += A[n % 45]
            n //= 45
    return out
def bstr(b):
    n = len(b)
    return (bytes([0x40 | n]) if n < 24 else bytes([0x58, n]) if n < 256 else
            bytes([0x59]) + n.to_bytes(2, "big")) + b
# Built here, not with `openssl x509 -req`: OpenSSL 3.0 cannot back-date notBefore, and the
# certificate must cover the first dose's issuing time.
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
key = serialization.load_pem_private_key(open(t + "/pki/dsc.key", "rb").read(), None)
ca_key = serialization.load_pem_private_key(open(t + "/pki/csca.key", "rb").read(), None)
ca = x509.load_pem_x509_certificate(open(t + "/pki/csca.pem", "rb").read())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "DSC XX t"),
                  x509.NameAttribute(NameOID.COUNTRY_NAME, "XX")])
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(7)
        .not_valid_before(datetime.datetime(2025, 1, 2, tzinfo=datetime.timezone.utc))
        .not_valid_after(datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc))
        .add_extension(x509.ExtendedKeyUsage([x509.ObjectIdentifier("1.3.6.1.4.1.1847.2021.1.1")]),
                       critical=False)
        .sign(ca_key, hashes.SHA256()))
open(t + "/t.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
der = cert.public_bytes(serialization.Encoding.DER)
kid = hashlib.sha256(der).digest()[:8]
cose = zlib.decompress(b45d(open(t + "/dose1.txt").read().strip()[4:]))
# Our issuer writes tag 18, [bstr protected, {}, bstr payload, bstr signature]: find the payload.
assert cose[:2] == b"\xd2\x84"
i = 2 + 1 + (cose[2] & 31)           # past the short protected header
assert cose[i] == 0xA0
i += 1
assert cose[i] == 0x59               # payload: bstr with a 2-byte length
end = i + 3 + int.from_bytes(cose[i + 1:i + 3], "big")
payload = cose[i:end]
prot = b"\xa2\x01\x26\x04" + bstr(kid)  # {1: -7, 4: kid}
tbs = b"\x84\x6aSignature1" + bstr(prot) + b"\x40" + payload
r, s = utils.decode_dss_signature(key.sign(tbs, ec.ECDSA(hashes.SHA256())))
sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
signed = b"\xd2\x84" + bstr(prot) + b"\xa0" + payload + bstr(sig)
open(t + "/eku.txt", "w").write("HC1:" + b45e(zlib.compress(signed, 9)) + "\n")
PY
"$bin" verify --trust "$tmp/t.pem" --at 2026-06-01T12:00:00Z --json "$tmp/eku.txt" >"$tmp/v.json"
check "KEY_USAGE_MISMATCH" 1 $? "KEY_USAGE_MISMATCH" "$tmp/v.json"
[ "$(codes "$tmp/v.json")" = KEY_USAGE_MISMATCH ] || { echo "FAIL eku: $(codes "$tmp/v.json")"; fails=$((fails + 1)); }

# --- serve with only the contract's options: the payload key is made beside the database.
printf 'contract-test-token-0123456789\n' >"$tmp/tokens"
chmod 600 "$tmp/tokens"
start_server() {
    rm -f "$tmp/port"
    "$bin" serve --listen 127.0.0.1:0 --port-file "$tmp/port" --db "sqlite:$tmp/hc.db" \
        --issuer-cert "$tmp/pki/dsc.pem" --issuer-key "$tmp/pki/dsc.key" \
        --api-token-file "$tmp/tokens" 2>>"$tmp/serve.err" &
    server=$!
    for _ in $(seq 100); do
        [ -s "$tmp/port" ] && return 0
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    echo "FAIL serve did not start: $(tail -3 "$tmp/serve.err")"
    fails=$((fails + 1))
    return 1
}
stop_server() {
    kill "$server" && wait "$server"
    local rc=$?
    server=
    return $rc
}
if start_server; then
    python3 - "$tmp" "$(cat "$tmp/port")" first <<'PY' || fails=$((fails + 1))
import http.client, json, sys, urllib.parse
t, port, phase = sys.argv[1], int(sys.argv[2]), sys.argv[3]
auth = {"Authorization": "Bearer contract-test-token-0123456789"}
def req(method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    return r.status, r.getheader("Allow"), r.read()
bad = []
st, _, body = req("POST", "/v1/certificates", open(t + "/dose1.json", "rb").read(), auth)
if st != 201:
    sys.exit(f"FAIL issue without --payload-key-file: {st} {body[:300]}")
uvci = json.loads(body)["uvci"]
open(t + "/uvci", "w").write(uvci)
path = "/v1/certificates/" + urllib.parse.quote(uvci, safe="")
for method, sub, allow in (("GET", "/revoke", "POST"), ("DELETE", "/revoke", "POST"),
                           ("POST", "/pdf", "GET, HEAD"), ("PUT", "", "GET, HEAD")):
    st, got, body = req(method, path + sub, None, auth)
    if st != 405 or got != allow or b"METHOD_NOT_ALLOWED" not in body:
        bad.append(f"{method} {sub or '{uvci}'}: {st} Allow={got}")
st, _, body = req("GET", path + "?include=payload", None, auth)
if st != 200 or json.loads(body).get("qr", "")[:4] != "HC1:":
    bad.append(f"record with payload: {st} {body[:200]}")
if bad:
    sys.exit("FAIL " + "; ".join(bad))
PY
    stop_server
    check "serve stops" 0 $?
    mode=$(stat -c %a "$tmp/hc.db.payload-key" 2>/dev/null)
    [ "$mode" = 600 ] || { echo "FAIL payload key beside the database: mode '$mode'"; fails=$((fails + 1)); }
    # After a restart the same key is used: the stored payload still decrypts.
    if start_server; then
        python3 - "$(cat "$tmp/port")" "$(cat "$tmp/uvci")" <<'PY' || fails=$((fails + 1))
import http.client, json, sys, urllib.parse
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
c.request("GET", "/v1/certificates/" + urllib.parse.quote(sys.argv[2], safe="") + "?include=payload",
          headers={"Authorization": "Bearer contract-test-token-0123456789"})
r = c.getresponse()
body = r.read()
if r.status != 200 or "dcc" not in json.loads(body):
    sys.exit(f"FAIL payload after restart: {r.status} {body[:300]}")
PY
        stop_server
    fi
    grep -q '"payload-key-created"' "$tmp/serve.err" ||
        { echo "FAIL no payload-key-created event"; fails=$((fails + 1)); }
fi
# PostgreSQL instances share a database, so the key stays required there (exit 2, no start).
"$bin" serve --listen 127.0.0.1:0 --db postgres://nobody@127.0.0.1:1/none \
    --issuer-cert "$tmp/pki/dsc.pem" --issuer-key "$tmp/pki/dsc.key" 2>"$tmp/err"
check "postgres needs --payload-key-file" 2 $? "payload-key-file" "$tmp/err"

finish
