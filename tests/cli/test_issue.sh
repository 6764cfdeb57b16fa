#!/bin/bash
# test_issue.sh: `healthcert keygen` and `healthcert issue` driven as a user would: a PKI made by
# keygen (ES256, PS256, restricted, expired, encrypted), every schema example issued and proven
# twice (healthcert verify, and the independent Python verifier tests/independent/verify_hc1.py),
# QR images and the printable PDF scanned back, --batch order and refusals, and the negative
# cases of the contract (exit 1 with nothing on stdout and the field named on stderr; exit 2 for
# unusable keys).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
src=${HC_SOURCE_DIR:?}
vec=${HC_VECTORS:?}
py=/usr/bin/python3 # Debian's, with python3-cryptography and python3-cbor2 (a pyenv may shadow it)
indep="$py $src/tests/independent/verify_hc1.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mode_of() { stat -c %a "$1"; }

# ---- keygen ----
pki=$tmp/pki
"$bin" keygen csca --country AT --out "$pki" --not-before 2021-01-01T00:00:00Z --days 7300 >"$tmp/out"
check "keygen csca" 0 $? "kid" "$tmp/out"
[ "$(mode_of "$pki/csca.key")" = 600 ] || fail "csca.key mode $(mode_of "$pki/csca.key")"
[ "$(mode_of "$pki/csca.pem")" = 644 ] || fail "csca.pem mode $(mode_of "$pki/csca.pem")"
grep -q "BEGIN PRIVATE KEY" "$pki/csca.key" || fail "csca.key is not PKCS#8"
ca=(--csca-cert "$pki/csca.pem" --csca-key "$pki/csca.key")
"$bin" keygen dsc "${ca[@]}" --out "$pki" >"$tmp/out"
check "keygen dsc es256" 0 $? "all certificate types" "$tmp/out"
"$bin" keygen dsc "${ca[@]}" --alg ps256 --name rsa --out "$pki" >/dev/null
check "keygen dsc ps256" 0 $?
"$bin" keygen dsc "${ca[@]}" --type v --name vonly --out "$pki" >"$tmp/out"
check "keygen dsc eku" 0 $? "vaccination certificates only" "$tmp/out"
"$bin" keygen dsc "${ca[@]}" --not-before 2021-03-01T00:00:00Z --days 30 --name old --out "$pki" >/dev/null
check "keygen dsc expired" 0 $?
printf 'correct horse battery\n' >"$tmp/pass"
printf 'wrong\n' >"$tmp/wrong"
"$bin" keygen dsc "${ca[@]}" --passphrase-file "$tmp/pass" --name enc --out "$pki" >"$tmp/out"
check "keygen dsc encrypted" 0 $? "passphrase-encrypted" "$tmp/out"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$pki/enc.key" || fail "enc.key is not encrypted PKCS#8"
[ "$(mode_of "$pki/enc.key")" = 600 ] || fail "enc.key mode"
"$bin" keygen dsc "${ca[@]}" --out "$pki" 2>"$tmp/err"
check "keygen keeps existing files" 2 $? "exists" "$tmp/err"
"$bin" keygen dsc "${ca[@]}" --country DE --name de --out "$pki" 2>"$tmp/err"
check "keygen dsc foreign country" 2 $? "country" "$tmp/err"
"$bin" keygen csca --out "$pki" 2>"$tmp/err"
check "keygen csca needs country" 2 $? "country" "$tmp/err"
"$bin" keygen dsc --csca-cert "$pki/dsc.pem" --csca-key "$pki/dsc.key" --name x --out "$pki" 2>"$tmp/err"
check "keygen dsc needs a CA" 2 $? "CA" "$tmp/err"
"$bin" keygen rsa 2>/dev/null
check "keygen unknown kind" 2 $?
"$bin" keygen --help >"$tmp/out"
check "keygen help" 0 $? "csca" "$tmp/out"
# openssl agrees on the chain and the profile.
if command -v openssl >/dev/null; then
    openssl verify -CAfile "$pki/csca.pem" "$pki/dsc.pem" "$pki/rsa.pem" "$pki/vonly.pem" >"$tmp/out" 2>&1
    check "openssl verifies the chain" 0 $?
    openssl x509 -in "$pki/vonly.pem" -noout -text >"$tmp/out"
    check "eku in the dsc" 0 $? "1.3.6.1.4.1.1847.2021.1.2" "$tmp/out"
    openssl pkey -in "$pki/enc.key" -passin file:"$tmp/pass" -noout 2>"$tmp/err"
    check "openssl reads the encrypted key" 0 $?
fi

issue=("$bin" issue --cert "$pki/dsc.pem" --key "$pki/dsc.key")

# ---- every schema example, ES256 and PS256, proven twice ----
n=0
for f in "$vec"/eu-dcc/schema/examples/{vaccination,test,recovery}/*.json; do
    n=$((n + 1))
    for signer in dsc rsa; do
        out=$tmp/ex$n-$signer.txt
        if ! "$bin" issue --cert "$pki/$signer.pem" --key "$pki/$signer.key" "$f" >"$out" 2>"$tmp/err"; then
            fail "issue $signer $f: $(cat "$tmp/err")"
            continue
        fi
        "$bin" verify --trust "$pki/$signer.pem" --json "$out" >"$tmp/v.json"
        if [ $? != 0 ]; then
            fail "verify $signer $f: $(json "$tmp/v.json" "d['errors']")"
            continue
        fi
        # The payload is the input, UVCI included.
        $py - "$tmp/v.json" "$f" <<'PY' || fail "payload differs for $signer $f"
import json, sys
v = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2]))
sys.exit(0 if v["payload"] == want and v["valid"] else 1)
PY
        $indep --cert "$pki/$signer.pem" --expect-json "$f" "$out" >"$tmp/i.json" ||
            fail "independent verifier, $signer $f: $(cat "$tmp/i.json")"
    done
    pass=$((pass + 1))
done
[ "$n" = 27 ] || fail "expected 27 schema examples, found $n"
[ "$(json "$tmp/i.json" "d['alg']")" = PS256 ] || fail "the rsa signer did not sign PS256"

# ---- UVCI generation: absent or empty ci gets URN:UVCI:01:AT:...#check ----
ex=$vec/eu-dcc/schema/examples/vaccination/simple.json
$py -c "
import json,sys; d=json.load(open(sys.argv[1])); del d['v'][0]['ci']; json.dump(d,open(sys.argv[2],'w'))
d['v'][0]['ci']=''; json.dump(d,open(sys.argv[3],'w'))" "$ex" "$tmp/noci.json" "$tmp/emptyci.json"
for f in noci emptyci; do
    "${issue[@]}" --json "$tmp/$f.json" >"$tmp/$f.out"
    check "issue $f" 0 $?
    json "$tmp/$f.out" "d['qr']" >"$tmp/$f.txt"
    $indep --cert "$pki/dsc.pem" "$tmp/$f.txt" >"$tmp/i.json" || fail "independent $f"
    # The UVCI: format, the Luhn mod N check character (computed here independently), in the DCC.
    $py - "$tmp/$f.out" "$tmp/i.json" <<'PY' || fail "generated UVCI for $f"
import json, re, sys
out = json.load(open(sys.argv[1])); ind = json.load(open(sys.argv[2]))
u = out["uvci"]
assert re.fullmatch(r"URN:UVCI:01:AT:[0-9A-Z]{26}#[0-9A-Z/:]", u), u
cp = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:"
body, check = u.split("#")
factor, total = 2, 0
for ch in reversed(body):
    a = factor * cp.index(ch); factor = 3 - factor; total += a // 38 + a % 38
assert cp[(38 - total % 38) % 38] == check, (u, check)
assert ind["dcc"]["v"][0]["ci"] == u
assert out["issuer_country"] == "AT" and out["type"] == "v"
PY
done
[ "$(json "$tmp/noci.out" "d['uvci']")" != "$(json "$tmp/emptyci.out" "d['uvci']")" ] || fail "UVCIs repeat"

# ---- times: --at, --validity-days, never past the DSC ----
"$bin" keygen dsc "${ca[@]}" --not-before 2025-01-01T00:00:00Z --days 3650 --name dated --out "$pki" >/dev/null
check "keygen dated dsc" 0 $?
"$bin" issue --cert "$pki/dated.pem" --key "$pki/dated.key" --json --at 2025-06-01T10:00:00+02:00 \
    --validity-days 30 "$ex" >"$tmp/t.out"
check "issue --at" 0 $?
[ "$(json "$tmp/t.out" "d['issued_at'], d['expires_at']")" = "2025-06-01T08:00:00Z 2025-07-01T08:00:00Z" ] ||
    fail "times: $(json "$tmp/t.out" "d['issued_at'], d['expires_at']")"
json "$tmp/t.out" "d['qr']" >"$tmp/t.txt"
"$bin" verify --trust "$pki/dated.pem" --at 2025-06-15T00:00:00Z "$tmp/t.txt" >"$tmp/out"
check "verify at mid validity" 0 $? "VALID" "$tmp/out"
"$bin" verify --trust "$pki/dated.pem" --at 2025-07-02T00:00:00Z "$tmp/t.txt" >"$tmp/out"
check "expired after validity-days" 1 $? "EXPIRED" "$tmp/out"
# The CSCA ends 2040-12-27: a DSC starting near its end is cut to it, and exp to the DSC.
"$bin" keygen dsc "${ca[@]}" --not-before 2040-06-01T00:00:00Z --name late --out "$pki" >"$tmp/out"
check "dsc cut to the csca" 0 $? "to 2040-12-27T00:00:00Z" "$tmp/out"
"$bin" issue --cert "$pki/late.pem" --key "$pki/late.key" --json --at 2040-12-01T00:00:00Z "$ex" >"$tmp/late.out"
check "issue near the dsc end" 0 $?
[ "$(json "$tmp/late.out" "d['expires_at']")" = "2040-12-27T00:00:00Z" ] ||
    fail "exp past the DSC end: $(json "$tmp/late.out" "d['expires_at']")"

# ---- QR images: PNG and SVG ----
"${issue[@]}" --qr "$tmp/code.png" "$ex" >"$tmp/q.txt"
check "issue --qr png" 0 $?
"$bin" verify --trust "$pki/dsc.pem" "$tmp/code.png" >"$tmp/out"
check "png verifies" 0 $? "VALID" "$tmp/out"
if command -v zbarimg >/dev/null; then
    zbarimg -q --raw "$tmp/code.png" 2>/dev/null >"$tmp/scan.txt"
    cmp -s "$tmp/scan.txt" "$tmp/q.txt" && pass=$((pass + 1)) || fail "zbarimg: png text differs"
fi
"${issue[@]}" --qr "$tmp/code.svg" "$ex" >"$tmp/q.txt"
check "issue --qr svg" 0 $? "" "$tmp/q.txt"
grep -q "<svg" "$tmp/code.svg" && grep -q 'shape-rendering="crispEdges"' "$tmp/code.svg" ||
    fail "svg output"
"${issue[@]}" --qr "$tmp/code.gif" "$ex" >"$tmp/out" 2>"$tmp/err"
check "--qr needs png or svg" 2 $? ".png or .svg" "$tmp/err"
[ -s "$tmp/out" ] && fail "stdout written for a usage error"

# ---- printable PDF ----
"${issue[@]}" --pdf "$tmp/cert.pdf" "$vec/eu-dcc/schema/examples/test/simple-rat.json" >"$tmp/p.txt"
check "issue --pdf" 0 $?
head -c 5 "$tmp/cert.pdf" | grep -q "%PDF-" || fail "not a PDF"
[ "$(mode_of "$tmp/cert.pdf")" = 600 ] || fail "pdf mode $(mode_of "$tmp/cert.pdf")"
if command -v pdftoppm >/dev/null; then
    pdftoppm -r 200 -png -singlefile "$tmp/cert.pdf" "$tmp/page"
    "$bin" verify --trust "$pki/dsc.pem" "$tmp/page.png" >"$tmp/out"
    check "printed page verifies" 0 $? "VALID" "$tmp/out"
    if command -v zbarimg >/dev/null; then
        zbarimg -q --raw "$tmp/page.png" 2>/dev/null >"$tmp/scan.txt"
        cmp -s "$tmp/scan.txt" "$tmp/p.txt" && pass=$((pass + 1)) || fail "zbarimg: pdf text differs"
    fi
    if command -v pdftotext >/dev/null; then
        pdftotext "$tmp/cert.pdf" "$tmp/cert.txt"
        for want in "EU DIGITAL COVID CERTIFICATE" "Test certificate" "Smith-Jones" "1964-01-01" \
            "Rapid immunoassay" "Not detected" "COVID-19" "Netherlands (NL)" "URN:UVCI:01:NL:"; do
            grep -q -- "$want" "$tmp/cert.txt" || fail "pdf text lacks '$want'"
        done
    fi
else
    fail "pdftoppm is missing: install poppler-utils (sh scripts/install-deps.sh --test)"
fi

# ---- refusals: exit 1, nothing on stdout, the reason (field named) on stderr ----
$py -c "
import json,sys; d=json.load(open(sys.argv[1])); d['v'][0]['dn']=0; json.dump(d,open(sys.argv[2],'w'))" "$ex" "$tmp/bad.json"
"${issue[@]}" "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
check "schema invalid" 1 $? "SCHEMA_INVALID" "$tmp/err"
grep -q "v\[0\].dn" "$tmp/err" || fail "schema error does not name v[0].dn: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "stdout written for a refused input"
# Impossible dates: the schema's "format": "date" is asserted when issuing (dcc_schema.h), while
# 2024-02-29 (a leap day) is a real date and signs.
for bad in 2026-13-01 2026-02-29 2026-04-31; do
    $py -c "
import json,sys; d=json.load(open(sys.argv[1])); d['v'][0]['dt']=sys.argv[3]; json.dump(d,open(sys.argv[2],'w'))" "$ex" "$tmp/bad.json" "$bad"
    "${issue[@]}" "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
    check "impossible date $bad" 1 $? "v\[0\].dt: is not a valid date" "$tmp/err"
    [ -s "$tmp/out" ] && fail "stdout written for an impossible date"
done
$py -c "
import json,sys; d=json.load(open(sys.argv[1])); d['v'][0]['dt']='2024-02-29'; json.dump(d,open(sys.argv[2],'w'))" "$ex" "$tmp/leap.json"
"${issue[@]}" "$tmp/leap.json" >"$tmp/out" 2>"$tmp/err"
check "leap day" 0 $?
echo '{"ver": "1.3.0", "nam": ' | "${issue[@]}" - >"$tmp/out" 2>"$tmp/err"
check "not json" 1 $? "STRUCTURE_INVALID" "$tmp/err"
[ -s "$tmp/out" ] && fail "stdout written for non-JSON"
"$bin" issue --cert "$pki/vonly.pem" --key "$pki/vonly.key" "$vec/eu-dcc/schema/examples/test/simple-naat.json" >"$tmp/out" 2>"$tmp/err"
check "wrong eku" 1 $? "KEY_USAGE_MISMATCH" "$tmp/err"
[ -s "$tmp/out" ] && fail "stdout written for a key usage refusal"
"$bin" issue --cert "$pki/vonly.pem" --key "$pki/vonly.key" "$ex" >/dev/null
check "right eku" 0 $?
"$bin" issue --cert "$pki/old.pem" --key "$pki/old.key" "$ex" >"$tmp/out" 2>"$tmp/err"
check "expired dsc" 1 $? "KEY_EXPIRED" "$tmp/err"
[ -s "$tmp/out" ] && fail "stdout written for an expired DSC"
"${issue[@]}" --at 2020-01-01T00:00:00Z "$ex" >"$tmp/out" 2>"$tmp/err"
check "before the dsc" 1 $? "KEY_NOT_YET_VALID" "$tmp/err"

# ---- unusable keys: exit 2 ----
"$bin" issue --cert "$tmp/missing.pem" --key "$pki/dsc.key" "$ex" >"$tmp/out" 2>"$tmp/err"
check "unreadable cert" 2 $? "cannot read" "$tmp/err"
"$bin" issue --cert "$pki/dsc.pem" --key "$tmp/missing.key" "$ex" >"$tmp/out" 2>"$tmp/err"
check "unreadable key" 2 $? "cannot read" "$tmp/err"
"$bin" issue --cert "$pki/dsc.pem" --key "$pki/rsa.key" "$ex" >"$tmp/out" 2>"$tmp/err"
check "mismatched key" 2 $? "does not belong" "$tmp/err"
[ -s "$tmp/out" ] && fail "stdout written for a mismatched key"
"$bin" issue --cert "$pki/csca.pem" --key "$pki/csca.key" "$ex" >"$tmp/out" 2>"$tmp/err"
check "csca as signer" 2 $? "CA certificate" "$tmp/err"
"$bin" issue --cert "$pki/enc.pem" --key "$pki/enc.key" "$ex" >"$tmp/out" 2>"$tmp/err"
check "encrypted key without passphrase" 2 $? "passphrase" "$tmp/err"
"$bin" issue --cert "$pki/enc.pem" --key "$pki/enc.key" --passphrase-file "$tmp/wrong" "$ex" >"$tmp/out" 2>"$tmp/err"
check "wrong passphrase" 2 $? "wrong passphrase" "$tmp/err"
grep -q "wrong$" "$tmp/err" && fail "the passphrase shows in the message"
"$bin" issue --cert "$pki/enc.pem" --key "$pki/enc.key" --passphrase-file "$tmp/pass" "$ex" >"$tmp/enc.txt"
check "right passphrase" 0 $?
$indep --cert "$pki/enc.pem" "$tmp/enc.txt" >/dev/null || fail "independent: encrypted-key certificate"
"$bin" issue --key "$pki/dsc.key" "$ex" 2>"$tmp/err"
check "issue needs --cert" 2 $? "--cert" "$tmp/err"
"${issue[@]}" --format frobnicate "$ex" 2>"$tmp/err"
check "unknown format" 2 $? "not supported" "$tmp/err"
"${issue[@]}" --validity-days 0 "$ex" 2>"$tmp/err"
check "bad validity" 2 $?
"$bin" issue --help >"$tmp/out"
check "issue help" 0 $? "--batch" "$tmp/out"

# ---- the independent verifier refuses what it should ----
good=$tmp/ex1-dsc.txt
$indep --cert "$pki/rsa.pem" "$good" >/dev/null
check "independent: wrong key" 1 $?
$py - "$good" "$tmp/tampered.txt" <<'PY'
import sys
t = open(sys.argv[1]).read().strip()
i = len(t) // 2
open(sys.argv[2], "w").write(t[:i] + ("0" if t[i] != "0" else "1") + t[i + 1:] + "\n")
PY
$indep --cert "$pki/dsc.pem" "$tmp/tampered.txt" >/dev/null
check "independent: tampered" 1 $?
"$bin" verify --trust "$pki/dsc.pem" "$tmp/tampered.txt" >/dev/null
check "verify: tampered" 1 $?

# ---- batch: JSON Lines in, one line out per line, in order, refusals in place ----
$py - "$vec/eu-dcc/schema/examples" "$tmp/batch.jsonl" <<'PY'
import glob, json, sys
files = sorted(glob.glob(sys.argv[1] + "/*/*.json"))
lines = [json.dumps(json.load(open(f)), ensure_ascii=False) for f in files]
bad = json.loads(next(l for l in lines if '"v"' in l)); bad["v"][0]["dn"] = 0
lines.insert(10, json.dumps(bad))
lines.insert(20, "not json at all")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
for jobs in 1 2; do
    "${issue[@]}" --batch --jobs $jobs "$tmp/batch.jsonl" >"$tmp/batch.out" 2>"$tmp/err"
    check "batch jobs=$jobs exit" 1 $? "29 lines: 27 issued, 2 refused" "$tmp/err"
    grep "^HC1:" "$tmp/batch.out" >"$tmp/batch.hc1"
    $indep --cert "$pki/dsc.pem" "$tmp/batch.hc1" >"$tmp/batch.ind" || fail "independent: batch"
    $py - "$tmp/batch.jsonl" "$tmp/batch.out" "$tmp/batch.ind" <<'PY' || fail "batch order jobs=$jobs"
import json, sys
inp = open(sys.argv[1], encoding="utf-8").read().splitlines()
out = open(sys.argv[2]).read().splitlines()
ind = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
assert len(out) == len(inp) == 29, (len(out), len(inp))
k = 0
for no, (i, o) in enumerate(zip(inp, out), 1):
    if no in (11, 21):
        err = json.loads(o)
        assert err["line"] == no, err
        code = err["errors"][0]["code"]
        assert code == ("SCHEMA_INVALID" if no == 11 else "STRUCTURE_INVALID"), err
        if no == 11:
            assert "v[0].dn" in err["errors"][0]["message"], err
    else:
        assert o.startswith("HC1:"), o[:40]
        assert ind[k]["dcc"] == json.loads(i), no  # line N answers input line N
        k += 1
assert k == 27
PY
done
"${issue[@]}" --batch --qr "$tmp/x.png" "$tmp/batch.jsonl" 2>"$tmp/err"
check "batch with --qr" 2 $?
printf '' | "${issue[@]}" --batch - >"$tmp/out" 2>"$tmp/err"
check "empty batch" 0 $? "0 lines" "$tmp/err"

finish
