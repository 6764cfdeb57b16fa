#!/bin/bash
# test_did_web.sh: `healthcert verify --resolve-did-web [--ca-file PEM]` against local peers
# (tests/cli/did_web_server.py on 127.0.0.1): a test CA and a server certificate for localhost
# made here with the openssl CLI, DID documents and VC-JWTs made by keygen jwks / issue. Valid
# with the flag and the CA; KEY_NOT_TRUSTED with the reason (exit 1, never a crash or a hang) for
# no flag, an unknown CA, a redirect, a 404, bodies over 64 KiB, a document of another DID, a peer
# that never answers (the 10 s deadline, once), and a peer that does not speak TLS.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
src=${HC_SOURCE_DIR:?}
py=/usr/bin/python3
command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
tmp=$(mktemp -d)
srv=
cleanup() {
    [ -n "$srv" ] && kill "$srv" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# A test CA and a certificate for localhost it signs.
d=$tmp/srv
mkdir -p "$d"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/ca.key" \
    -out "$tmp/ca.pem" -subj "/CN=healthcert test CA" -days 2 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/server.key" \
        -out "$tmp/server.csr" -subj "/CN=localhost" 2>/dev/null &&
    printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$tmp/ext" &&
    openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
        -out "$d/server.pem" -days 2 -extfile "$tmp/ext" 2>/dev/null
check "test CA and server certificate" 0 $?

$py "$src/tests/cli/did_web_server.py" "$d" &
srv=$!
for _ in $(seq 100); do [ -f "$d/ports" ] && break; sleep 0.1; done
read -r port hang_port plain_port <"$d/ports" || { echo "FAIL: the test server did not start"; exit 1; }

echo '{"id":"urn:example:holder:1","name":"Ada Lovelace","birthDate":"1815-12-10"}' >"$tmp/subject.json"
# credential NAME DID: a key and DID document for DID (the document kept as $tmp/NAME.did.json),
# and a VC-JWT it signs ($tmp/NAME.jwt).
credential() {
    "$bin" keygen jwks --out "$tmp/k" --name "$1" --alg es256 --did "$2" >/dev/null &&
        cp "$tmp/k/$1.did.json" "$tmp/$1.did.json" &&
        "$bin" issue --format vc-jwt --key "$tmp/k/$1.private.jwk" --iss "$2" --jws \
            --validity-days 30 "$tmp/subject.json" >"$tmp/$1.jwt"
    check "keygen + issue $1" 0 $?
}

host="localhost%3A$port"
did=did:web:$host
credential root "$did"
cp "$tmp/root.did.json" "$d/root.did.json"

# Off by default: nothing fetched, the message names the location.
"$bin" verify "$tmp/root.jwt" >"$tmp/out" 2>&1
check "no --resolve-did-web" 1 $? "https://localhost:$port/.well-known/did.json" "$tmp/out"
grep -q KEY_NOT_TRUSTED "$tmp/out" || { echo "FAIL no flag: not KEY_NOT_TRUSTED"; fails=$((fails + 1)); }
[ ! -s "$d/requests.log" ] || { echo "FAIL no flag: the server was asked"; cat "$d/requests.log"; fails=$((fails + 1)); }

# With the flag and the test CA: fetched, checked, valid.
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" --json "$tmp/root.jwt" >"$tmp/v.json" 2>&1
check "--resolve-did-web --ca-file" 0 $? '"valid": *true' "$tmp/v.json"
check "request line" 0 0 "GET /.well-known/did.json HTTP/1.0 | Host: localhost:$port | Accept: application/did+json, application/json" "$d/requests.log"

# An altered credential still fails on its signature with the fetched key.
$py - "$tmp/root.jwt" "$tmp/tampered.jwt" <<'PY'
import base64, json, sys
h, p, s = open(sys.argv[1]).read().strip().split(".")
claims = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
claims["vc"]["credentialSubject"]["name"] = "Eve"
p2 = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
open(sys.argv[2], "w").write(".".join([h, p2, s]))
PY
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" "$tmp/tampered.jwt" >"$tmp/out" 2>&1
check "tampered, key fetched" 1 $? "SIGNATURE_INVALID" "$tmp/out"

# A --trust document of the DID decides alone: nothing fetched.
: >"$d/requests.log"
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" --trust "$tmp/root.did.json" "$tmp/root.jwt" >"$tmp/out" 2>&1
check "--trust covers the DID" 0 $? "VALID" "$tmp/out"
[ ! -s "$d/requests.log" ] || { echo "FAIL --trust covers the DID: fetched anyway"; fails=$((fails + 1)); }

# System CAs do not know the test CA.
"$bin" verify --resolve-did-web "$tmp/root.jwt" >"$tmp/out" 2>&1
check "unknown CA" 1 $? "could not be fetched: .*certificate verify failed" "$tmp/out"
grep -q KEY_NOT_TRUSTED "$tmp/out" || { echo "FAIL unknown CA: not KEY_NOT_TRUSTED"; fails=$((fails + 1)); }

# The certificate is for localhost, not for 127.0.0.1.
credential ip "did:web:127.0.0.1%3A$port"
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" "$tmp/ip.jwt" >"$tmp/out" 2>&1
check "certificate of another name" 1 $? "certificate verify failed" "$tmp/out"

# bad NAME PATTERN: the server's answer for did:web:localhost%3APORT:NAME is refused.
bad() {
    [ -f "$tmp/$1.jwt" ] || credential "$1" "$did:$1"
    "$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" --json "$tmp/$1.jwt" >"$tmp/v.json" 2>"$tmp/err"
    check "$1" 1 $? "$2" "$tmp/v.json"
    grep -q KEY_NOT_TRUSTED "$tmp/v.json" || { echo "FAIL $1: not KEY_NOT_TRUSTED"; fails=$((fails + 1)); }
}
bad redirect "answered 302, a redirect to https://elsewhere.example/did.json"
bad missing "HTTP status 404"
bad big "longer than 64 KiB"
bad bignolen "longer than 64 KiB"
credential other "$did:other"
sed "s/$did:other/$did:someone-else/g" "$tmp/other.did.json" >"$d/otherid.did.json"
bad otherid "its id $did:someone-else is not the DID $did:otherid"
cp "$tmp/root.did.json" "$d/rootdoc.did.json"
bad rootdoc "its id $did is not the DID $did:rootdoc" # the host's document served for another DID
credential nokey "$did:nokey"
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["assertionMethod"]; json.dump(d, open(sys.argv[2],"w"))' \
    "$tmp/nokey.did.json" "$d/nokey.did.json"
bad nokey "was refused: .*assertionMethod" # the DID document loader's own rules apply

# A peer that never answers: the deadline (10 s), once.
credential hang "did:web:localhost%3A$hang_port"
start=$(date +%s)
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" "$tmp/hang.jwt" >"$tmp/out" 2>&1
check "a peer that never answers" 1 $? "no answer within 10 s" "$tmp/out"
elapsed=$(($(date +%s) - start))
# It waited for the peer (the message above says the deadline ran out) and then gave up: the
# upper bound is liveness only, far above the 10 s deadline, so that a loaded machine cannot
# fail it (tests never assert on speed); a real hang is also cut by ctest's TIMEOUT.
[ $elapsed -ge 9 ] && [ $elapsed -le 120 ] || { echo "FAIL hang: $elapsed s"; fails=$((fails + 1)); }

# A peer that is no TLS server.
credential plain "did:web:localhost%3A$plain_port"
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" "$tmp/plain.jwt" >"$tmp/out" 2>&1
check "a plain HTTP peer" 1 $? "could not be fetched: TLS handshake failed" "$tmp/out"

# Nobody listening (the server's port after it is gone is not reused here: a fresh closed port).
closed=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
credential closed "did:web:localhost%3A$closed"
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" "$tmp/closed.jwt" >"$tmp/out" 2>&1
check "nobody listening" 1 $? "cannot connect to localhost port $closed" "$tmp/out"

# Usage: --ca-file alone, an unreadable CA file.
"$bin" verify --ca-file "$tmp/ca.pem" "$tmp/root.jwt" >"$tmp/out" 2>&1
check "--ca-file without --resolve-did-web" 2 $? "needs --resolve-did-web" "$tmp/out"
"$bin" verify --resolve-did-web --ca-file "$tmp/none.pem" "$tmp/root.jwt" >"$tmp/out" 2>&1
check "unreadable --ca-file" 2 $? "cannot read --ca-file" "$tmp/out"

# --batch: each issuer fetched once.
: >"$d/requests.log"
cat "$tmp/root.jwt" "$tmp/root.jwt" "$tmp/missing.jwt" "$tmp/missing.jwt" >"$tmp/batch.txt"
"$bin" verify --resolve-did-web --ca-file "$tmp/ca.pem" --batch "$tmp/batch.txt" >"$tmp/b.jsonl" 2>&1
check "batch" 1 $?
[ "$($py -c 'import json,sys; print(" ".join(str(json.loads(l)["valid"]) for l in open(sys.argv[1])))' "$tmp/b.jsonl")" = "True True False False" ] ||
    { echo "FAIL batch verdicts"; cat "$tmp/b.jsonl"; fails=$((fails + 1)); }
[ "$(wc -l <"$d/requests.log")" -eq 2 ] || { echo "FAIL batch: not one fetch per issuer"; cat "$d/requests.log"; fails=$((fails + 1)); }

finish "did:web resolution"
