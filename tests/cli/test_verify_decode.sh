#!/bin/bash
# test_verify_decode.sh: `healthcert verify` and `decode` driven as a user would, on real data:
# exit codes 0/1/2, human and JSON output, --batch order, stdin, images, trust lists, bad input.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
src=${HC_SOURCE_DIR:?}
vec=${HC_VECTORS:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sample=$src/examples/DE-vaccination.txt
dsc=$src/examples/DE-vaccination-dsc.pem
at=2021-06-01T20:00:00+02:00

"$bin" verify --trust "$dsc" --at "$at" "$sample" >"$tmp/out" 2>&1
check "valid sample" 0 $? "VALID" "$tmp/out"
grep -q "INVALID" "$tmp/out" && { echo "FAIL valid sample says INVALID"; fails=$((fails + 1)); }
check "name shown" 0 0 "Mustermann" "$tmp/out"
check "dob shown" 0 0 "1964-08-12" "$tmp/out"

"$bin" verify --trust "$dsc" --at "$at" --json "$sample" >"$tmp/v.json"
check "json valid" 0 $?
[ "$(json "$tmp/v.json" "d['valid'], d['format'], d['type'], d['issuer']['country'], d['subject']['dob']")" = \
  "True eu-dcc v DE 1964-08-12" ] || { echo "FAIL json fields: $(cat "$tmp/v.json" | head -30)"; fails=$((fails + 1)); }
[ "$(json "$tmp/v.json" "[c['name'] for c in d['checks'] if c['ok']]")" = \
  "['signature', 'expiry', 'key_validity', 'key_usage', 'schema']" ] || { echo "FAIL checks: $(json "$tmp/v.json" "d['checks']")"; fails=$((fails + 1)); }

"$bin" verify --trust "$dsc" --at "$at" - <"$sample" >"$tmp/out"
check "stdin" 0 $? "VALID" "$tmp/out"

"$bin" verify --trust "$dsc" "$sample" >"$tmp/out"
check "expired today" 1 $? "EXPIRED" "$tmp/out"

"$bin" verify --at "$at" "$sample" >"$tmp/out"
check "no trust" 1 $? "KEY_NOT_TRUSTED" "$tmp/out"

"$bin" verify --trust "$dsc" --at 2021-04-01T00:00:00Z --json "$sample" >"$tmp/v.json"
check "before issuance" 1 $?
[ "$(json "$tmp/v.json" "sorted(e['code'] for e in d['errors'])")" = "['KEY_NOT_YET_VALID', 'NOT_YET_VALID']" ] ||
    { echo "FAIL early clock errors: $(json "$tmp/v.json" "d['errors']")"; fails=$((fails + 1)); }

# A PNG of the same code (the corpus's 2DCODE field).
python3 -c "import json,base64,sys; d=json.load(open(sys.argv[1])); open(sys.argv[2],'wb').write(base64.b64decode(d['2DCODE']))" \
    "$vec/eu-dcc/dgc-testdata/DE/2DCode/raw/1.json" "$tmp/code.png"
"$bin" verify --trust "$dsc" --at "$at" "$tmp/code.png" >"$tmp/out"
check "png image" 0 $? "VALID" "$tmp/out"
head -c 100 "$tmp/code.png" >"$tmp/broken.png"
"$bin" verify --trust "$dsc" --at "$at" --json "$tmp/broken.png" >"$tmp/out"
check "broken image" 1 $? "IMAGE_UNREADABLE" "$tmp/out"

# An EU gateway-style trust list holding the DSC.
python3 - "$dsc" "$tmp/trustlist.json" <<'PY'
import base64, hashlib, json, sys
pem = open(sys.argv[1]).read()
der = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
kid = base64.b64encode(hashlib.sha256(der).digest()[:8]).decode()
json.dump([{"kid": kid, "country": "DE", "certificateType": "DSC",
            "rawData": base64.b64encode(der).decode()}], open(sys.argv[2], "w"))
PY
"$bin" verify --trust "$tmp/trustlist.json" --at "$at" "$sample" >"$tmp/out"
check "trust list" 0 $? "VALID" "$tmp/out"
mkdir "$tmp/certs" && cp "$dsc" "$tmp/certs/"
"$bin" verify --trust "$tmp/certs" --at "$at" "$sample" >"$tmp/out"
check "trust folder" 0 $? "VALID" "$tmp/out"

# --batch: one JSON line per input line, in order.
{ cat "$sample"; echo "not a certificate"; echo "HC2:ABC"; echo "HC1:GGW"; } >"$tmp/batch.txt"
"$bin" verify --trust "$dsc" --at "$at" --batch "$tmp/batch.txt" >"$tmp/out"
check "batch exit" 1 $?
[ "$(wc -l <"$tmp/out")" = 4 ] || { echo "FAIL batch line count"; fails=$((fails + 1)); }
codes=$(python3 -c "
import json,sys
for l in open(sys.argv[1]):
    d=json.loads(l); print(d['valid'], d['errors'][0]['code'] if d['errors'] else '-')" "$tmp/out" | tr '\n' ' ')
[ "$codes" = "True - False PREFIX_UNKNOWN False PREFIX_UNKNOWN False ENCODING_INVALID " ] ||
    { echo "FAIL batch verdicts: $codes"; fails=$((fails + 1)); }

# Business rules of an arrival country (the XX policy in EU rule format).
"$bin" verify --trust "$dsc" --at 2022-01-10T12:00:00Z --rules "$vec/rules/XX" \
    --valuesets "$vec/eu-dcc/valuesets" --country XX --json "$sample" >"$tmp/v.json"
check "rules valid" 0 $?
[ "$(json "$tmp/v.json" "len([c for c in d['checks'] if c['name'].startswith('rule:') and c['ok']])")" = 5 ] ||
    { echo "FAIL rule checks: $(json "$tmp/v.json" "d['checks']")"; fails=$((fails + 1)); }
"$bin" verify --trust "$dsc" --at 2022-01-10T12:00:00Z --rules "$vec/rules/XX" "$sample" 2>"$tmp/err"
check "rules need a country" 2 $? "--country" "$tmp/err"
"$bin" verify --trust "$dsc" --rules "$tmp/missing" --country XX "$sample" 2>"$tmp/err"
check "missing rules" 2 $?

# Bad input and usage.
head -c 1048576 /dev/zero | tr '\0' 'A' >"$tmp/big.txt"
"$bin" verify --json "$tmp/big.txt" >"$tmp/out"
check "oversized" 1 $? "INPUT_TOO_LARGE" "$tmp/out"
"$bin" verify --at yesterday "$sample" 2>"$tmp/err"
check "bad --at" 2 $? "ISO 8601" "$tmp/err"
"$bin" verify "$tmp/missing.txt" 2>"$tmp/err"
check "missing file" 2 $? "cannot read" "$tmp/err"
"$bin" verify --trust "$tmp/missing.pem" "$sample" 2>"$tmp/err"
check "missing trust" 2 $?
echo "garbage" >"$tmp/garbage.pem"
"$bin" verify --trust "$tmp/garbage.pem" "$sample" 2>"$tmp/err"
check "garbage trust" 2 $?
"$bin" verify --bogus 2>/dev/null
check "unknown option" 2 $?
"$bin" verify --help >"$tmp/out"
check "verify help" 0 $? "--trust" "$tmp/out"
"$bin" frobnicate 2>/dev/null
check "unknown command" 2 $?

# decode: no signature needed, says so.
"$bin" decode "$sample" >"$tmp/out"
check "decode" 0 $? "NOT checked" "$tmp/out"
# No verdict banner under "DECODED": nothing was verified, so neither VALID nor INVALID.
if grep -Eq '^ *(IN)?VALID *$' "$tmp/out"; then
    echo "FAIL decode prints a verdict banner: $(head -3 "$tmp/out")"
    fails=$((fails + 1))
fi
check "decode shows the holder" 0 0 "Mustermann" "$tmp/out"
"$bin" decode --json "$sample" >"$tmp/d.json"
check "decode json" 0 $?
[ "$(json "$tmp/d.json" "d['valid'], d['details']['cose']['alg'], d['details']['claims']['1'], d['payload']['ver']")" = \
  "False ES256 DE 1.0.0" ] || { echo "FAIL decode json: $(head -c 600 "$tmp/d.json")"; fails=$((fails + 1)); }
echo "HC1:NCFOXN%TS3DH" | "$bin" decode >"$tmp/out"
check "decode broken" 1 $?

finish
