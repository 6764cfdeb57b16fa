#!/bin/bash
# test_shc.sh: SMART Health Cards through the healthcert program, as a user would: the spec
# examples (QR text, chunks in any order, bare JWS, decode), trust by JWKS / snapshot / CRL folder,
# exit codes, keygen jwks + issue --format shc from FHIR bundles and EU DCC JSON, the QR image, and
# every issued card checked again by the independent Python verifier (tests/independent).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
src=${HC_SOURCE_DIR:?}
vec=${HC_VECTORS:?}
py=/usr/bin/python3
indep=$src/tests/independent/verify_jose.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ex=$vec/shc/examples
jwks=$ex/issuer/.well-known/jwks.json
crl=$ex/issuer/.well-known/crl
at=2023-06-23T00:00:00Z # after the examples' nbf (2023-06-22T16:19:24Z): their own time

# The four spec examples, at their own time.
for i in 00 01 03; do
    "$bin" verify --trust "$jwks" --at $at "$ex/example-$i-f-qr-code-numeric-value-0.txt" >"$tmp/out"
    check "example $i" 0 $? "VALID" "$tmp/out"
done
{ cat "$ex/example-02-f-qr-code-numeric-value-2.txt"; echo; cat "$ex/example-02-f-qr-code-numeric-value-0.txt"; echo
  cat "$ex/example-02-f-qr-code-numeric-value-1.txt"; echo; } >"$tmp/02.txt"
"$bin" verify --trust "$jwks" --at $at - <"$tmp/02.txt" >"$tmp/out"
check "example 02, three chunks in any order, stdin" 0 $? "VALID" "$tmp/out"
head -2 "$tmp/02.txt" >"$tmp/02-missing.txt"
"$bin" verify --trust "$jwks" --at $at --json "$tmp/02-missing.txt" >"$tmp/v.json"
check "example 02 missing a chunk" 1 $? "STRUCTURE_INVALID" "$tmp/v.json"
"$bin" verify --trust "$jwks" --trust "$crl" --at $at --json "$ex/example-03-f-qr-code-numeric-value-0.txt" >"$tmp/v.json"
check "example 03 revoked by the CRL" 1 $? "REVOKED" "$tmp/v.json"
"$bin" verify --trust "$jwks" --trust "$crl" --at $at "$ex/example-00-f-qr-code-numeric-value-0.txt" >"$tmp/out"
check "example 00 not revoked" 0 $? "VALID" "$tmp/out"

# The verdict's shape (CONTRACT.md): the same fields as for the EU format.
"$bin" verify --trust "$jwks" --at $at --json "$ex/example-00-d-jws.txt" >"$tmp/v.json"
check "bare JWS" 0 $?
[ "$(json "$tmp/v.json" "d['valid'], d['format'], d['type'], d['issuer']['name'], d['issuer']['kid'], d['subject']['name'], d['subject']['dob'], d['issued_at']")" = \
  "True shc v https://spec.smarthealth.cards/examples/issuer 3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s John B. Anyperson 1951-01-20 2023-06-22T16:19:24Z" ] ||
    { echo "FAIL verdict fields: $(head -c 600 "$tmp/v.json")"; fails=$((fails + 1)); }
[ "$(json "$tmp/v.json" "[c['name'] for c in d['checks']]")" = "['signature', 'expiry', 'schema']" ] ||
    { echo "FAIL checks: $(json "$tmp/v.json" "d['checks']")"; fails=$((fails + 1)); }
"$bin" verify --trust "$vec/shc/trust/spec-issuer.snapshot.json" --at $at --json "$ex/example-00-d-jws.txt" >"$tmp/v.json"
[ "$(json "$tmp/v.json" "[c['name'] for c in d['checks']]")" = "['signature', 'issuer', 'expiry', 'schema']" ] ||
    { echo "FAIL checks with a bound key: $(json "$tmp/v.json" "d['checks']")"; fails=$((fails + 1)); }
"$bin" decode --json "$ex/example-00-f-qr-code-numeric-value-0.txt" >"$tmp/d.json"
check "decode" 0 $?
[ "$(json "$tmp/d.json" "d['valid'], d['details']['header']['zip'], len(d['details']['records']), d['payload']['vc']['rid']")" = "False DEF 3 MKyCxh7p6uQ" ] ||
    { echo "FAIL decode details: $(head -c 400 "$tmp/d.json")"; fails=$((fails + 1)); }

# Trust, keys and the clock.
"$bin" verify --at $at "$ex/example-00-d-jws.txt" >"$tmp/out"
check "no trust" 1 $? "KEY_NOT_TRUSTED" "$tmp/out"
"$bin" verify --trust "$vec/shc/trust/spec-issuer.snapshot.json" --trust "$vec/shc/trust/not-smart-issuer.snapshot.json" \
    --at 2022-05-31T00:00:00Z "$vec/shc/dev-tools/testdata/test-example-00-d-jws-issuer-kid-mismatch.txt" >"$tmp/out"
check "a key of another issuer" 1 $? "ISSUER_MISMATCH" "$tmp/out"
"$bin" verify --trust "$jwks" --at 2021-01-01T00:00:00Z "$ex/example-00-d-jws.txt" >"$tmp/out"
check "before nbf" 1 $? "NOT_YET_VALID" "$tmp/out"
"$bin" verify --trust "$jwks" --at 2025-01-01T00:00:00Z "$ex/example-03-d-jws.txt" >"$tmp/out"
check "after exp" 1 $? "EXPIRED" "$tmp/out"
"$bin" verify --trust "$vec/shc/dev-tools/testdata/private_key.json" "$ex/example-00-d-jws.txt" >"$tmp/out" 2>&1
check "a private key as trust is refused" 2 $? "private key material" "$tmp/out"
"$bin" verify --trust "$vec/shc/dev-tools/testdata/badcrl/duplicate-rid/.well-known/crl" "$ex/example-00-d-jws.txt" >"$tmp/out" 2>&1
check "a malformed revocation list is refused" 2 $? "listed twice" "$tmp/out"

# Broken input: numeric and JWS errors, with their stable codes.
printf 'shc:/5676290' >"$tmp/odd.txt"
"$bin" verify --json "$tmp/odd.txt" >"$tmp/v.json"
check "odd digit count" 1 $? "ENCODING_INVALID" "$tmp/v.json"
printf 'shc:/9999' >"$tmp/big.txt"
"$bin" verify --json "$tmp/big.txt" >"$tmp/v.json"
check "pair over 77" 1 $? "ENCODING_INVALID" "$tmp/v.json"
$py -c "print('shc:/' + '56' * 5000)" >"$tmp/huge.txt"
"$bin" verify --json "$tmp/huge.txt" >"$tmp/v.json"
check "a QR text over 4 KiB" 1 $? "INPUT_TOO_LARGE" "$tmp/v.json"
"$bin" verify --trust "$jwks" --json "$vec/shc/dev-tools/testdata/test-example-00-d-jws-der-signature.txt" >"$tmp/v.json"
check "DER signature" 1 $? "SIGNATURE_INVALID" "$tmp/v.json"

# Issuing: keygen jwks, then cards from FHIR bundles and EU DCC JSON, each verified by healthcert
# and by the independent Python check.
"$bin" keygen jwks --out "$tmp/keys" >"$tmp/out"
check "keygen jwks" 0 $? "kid" "$tmp/out"
[ "$(stat -c %a "$tmp/keys/issuer.private.jwk")" = 600 ] || { echo "FAIL private key mode"; fails=$((fails + 1)); }
"$bin" keygen jwks --out "$tmp/keys" >"$tmp/out" 2>&1
check "keygen keeps existing files" 2 $? "exists" "$tmp/out"
iss=https://issuer.example.org/shc
cat >"$tmp/dcc-v.json" <<'J'
{"ver":"1.3.0","nam":{"fn":"Müller","fnt":"MUELLER","gn":"Zoë","gnt":"ZOE"},"dob":"1980-02-29","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-06-01","co":"AT","is":"Ministry of Health, Austria","ci":"URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"}]}
J
cat >"$tmp/dcc-t.json" <<'J'
{"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},"dob":"1964","t":[{"tg":"840539006","tt":"LP217198-3","ma":"1232","sc":"2021-05-30T10:12:22Z","tr":"260415000","tc":"Testzentrum Köln Hbf","co":"DE","is":"Robert Koch-Institut","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}
J
n=0
for input in "$ex/example-00-a-fhirBundle.json" "$ex/example-01-a-fhirBundle.json" "$ex/example-03-a-fhirBundle.json" \
    "$vec/shc/dev-tools/testdata/test-example-00-a-non-dm-properties.json" "$tmp/dcc-v.json" "$tmp/dcc-t.json"; do
    n=$((n + 1))
    "$bin" issue --format shc --key "$tmp/keys/issuer.private.jwk" --iss $iss --validity-days 365 --rid "rid$n" \
        "$input" >"$tmp/card$n.txt" 2>"$tmp/err"
    check "issue card $n" 0 $? "^shc:/[0-9]*$" "$tmp/card$n.txt"
    "$bin" verify --trust "$tmp/keys/issuer.jwks.json" "$tmp/card$n.txt" >"$tmp/out"
    check "card $n verifies" 0 $? "VALID" "$tmp/out"
    $py "$indep" shc "$tmp/card$n.txt" "$tmp/keys/issuer.jwks.json" >"$tmp/out"
    check "card $n: independent check" 0 $? "^OK $iss" "$tmp/out"
done
"$bin" issue --format shc --key "$tmp/keys/issuer.private.jwk" --iss $iss --jws --at 2024-01-01T00:00:00Z \
    --qr "$tmp/card.png" "$tmp/dcc-t.json" >"$tmp/card.jws"
check "issue: JWS and QR image" 0 $? "^eyJ" "$tmp/card.jws"
"$bin" verify --trust "$tmp/keys/issuer.jwks.json" --json "$tmp/card.png" >"$tmp/v.json"
check "the QR image verifies" 0 $?
[ "$(json "$tmp/v.json" "d['type'], d['subject']['name'], d['subject']['dob']")" = "t Erika Musterfrau 1964" ] ||
    { echo "FAIL test card fields: $(head -c 400 "$tmp/v.json")"; fails=$((fails + 1)); }
$py "$indep" shc "$tmp/card.jws" "$tmp/keys/issuer.jwks.json" --at 1704067300 >"$tmp/out"
check "JWS: independent check" 0 $? "^OK" "$tmp/out"
# A card the independent check must refuse: one digit changed in the signature part.
# (one base64url character of the signature, re-encoded: a well-formed card signed by nobody)
$py - "$tmp/card1.txt" >"$tmp/bad.txt" <<'PY'
import sys
t = open(sys.argv[1]).read().strip()[len("shc:/"):]
jws = "".join(chr(int(t[i:i + 2]) + 45) for i in range(0, len(t), 2))
i = len(jws) - 20
jws = jws[:i] + ("B" if jws[i] != "B" else "C") + jws[i + 1:]
print("shc:/" + "".join("%02d" % (ord(c) - 45) for c in jws))
PY
"$bin" verify --trust "$tmp/keys/issuer.jwks.json" --json "$tmp/bad.txt" >"$tmp/v.json"
check "altered card" 1 $? "SIGNATURE_INVALID" "$tmp/v.json"
$py "$indep" shc "$tmp/bad.txt" "$tmp/keys/issuer.jwks.json" >"$tmp/out"
check "altered card: independent check refuses" 1 $? "FAIL" "$tmp/out"
# Refusals: a recovery statement (exit 1, nothing on stdout), a missing --iss and a bad key (exit 2).
echo '{"ver":"1.3.0","nam":{"fnt":"X"},"dob":"1990","r":[{"tg":"840539006","fr":"2021-01-01","co":"AT","is":"X","df":"2021-01-01","du":"2021-06-01","ci":"URN:UVCI:01:AT:1#X"}]}' >"$tmp/dcc-r.json"
"$bin" issue --format shc --key "$tmp/keys/issuer.private.jwk" --iss $iss "$tmp/dcc-r.json" >"$tmp/out" 2>"$tmp/err"
check "recovery refused" 1 $? "recovery" "$tmp/err"
[ -s "$tmp/out" ] && { echo "FAIL refused input printed something"; fails=$((fails + 1)); }
"$bin" issue --format shc --key "$tmp/keys/issuer.private.jwk" "$tmp/dcc-v.json" >"$tmp/out" 2>"$tmp/err"
check "issue without --iss" 2 $? "iss" "$tmp/err"
"$bin" issue --format shc --key "$tmp/keys/issuer.jwks.json" --iss $iss "$tmp/dcc-v.json" >"$tmp/out" 2>"$tmp/err"
check "a public key cannot sign" 2 $? "private" "$tmp/err"
# --batch: one card per line, in order.
{ tr -d '\n' <"$tmp/dcc-v.json"; echo; tr -d '\n' <"$tmp/dcc-t.json"; echo; } >"$tmp/batch.jsonl"
"$bin" issue --format shc --key "$tmp/keys/issuer.private.jwk" --iss $iss --batch "$tmp/batch.jsonl" >"$tmp/cards.txt"
check "batch" 0 $?
[ "$(wc -l <"$tmp/cards.txt")" = 2 ] || { echo "FAIL batch lines"; fails=$((fails + 1)); }
"$bin" verify --trust "$tmp/keys/issuer.jwks.json" --batch "$tmp/cards.txt" >"$tmp/v.jsonl"
check "batch cards verify" 0 $?

finish "test_shc.sh"
