#!/bin/bash
# test_who_formats.sh: WHO DDCC, ICAO VDS-NC, Swiss light certificates and GDHCN trust lists driven
# as a user would: `verify` on the real samples (exit codes, JSON verdicts), `issue --format
# who-ddcc|icao-vds-nc` round trips checked twice (healthcert verify, and the independent Python
# checker tests/independent/verify_who_formats.py), `convert`, and --trust with a GDHCN filter.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
src=${HC_SOURCE_DIR:?}
vec=${HC_VECTORS:?}
py=/usr/bin/python3
indep="$py $src/tests/independent/verify_who_formats.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- real samples ----

W=$vec/who-ddcc
"$bin" verify --json --trust "$W/singapore-dsc.pem" --at 2022-08-01T00:00:00Z \
    "$W/WHOSingaporePCRContents.txt" >"$tmp/v.json"
check "singapore valid" 0 $?
[ "$(json "$tmp/v.json" "d['format'], d['type'], d['subject']['name'], d['issuer']['country']")" = \
    "who-ddcc t TAN CHEN CHEN SG" ] || fail "singapore fields: $(head -c 400 "$tmp/v.json")"
$indep ddcc --cert "$W/singapore-dsc.pem" "$W/WHOSingaporePCRContents.txt" >"$tmp/i.json"
check "independent: singapore" 0 $?

"$bin" verify --trust "$W/singapore-dsc.pem" --at 2025-01-01T00:00:00Z \
    "$W/WHOSingaporePCRContents.txt" >"$tmp/out"
check "singapore after its DSC" 1 $? "KEY_EXPIRED" "$tmp/out"

"$bin" verify --at 2024-09-25T00:00:00Z "$W/WHOQR1Contents.txt" >"$tmp/out"
check "WHOQR1 without its key" 1 $? "KEY_NOT_TRUSTED" "$tmp/out"

"$bin" verify --trust "$vec/gdhcn/trustlist-v1-excerpt.json" --at 2024-09-25T00:00:00Z \
    "$W/DVCTest3QR.txt" >"$tmp/out"
check "DVC with the GDHCN list" 0 $? "VALID" "$tmp/out"
"$bin" verify --trust "$vec/gdhcn/trustlist-v1-excerpt.json" --at 2024-09-25T00:00:00Z \
    "$W/DVCTestQR.txt" >"$tmp/out"
check "DVC signed with another key" 1 $? "SIGNATURE_INVALID" "$tmp/out"

V=$vec/vdsnc
"$bin" verify --trust "$V/apo/AU-CSCA-cert.der" --trust "$V/apo/AU-CRL-2021-08-19.crl.der" \
    --at 2021-10-01T00:00:00Z "$V/ICAOAUQR1Contents.txt" >"$tmp/out"
check "AU seal" 0 $? "JANE SUE CITIZEN" "$tmp/out"
$indep vdsnc --csca "$V/apo/AU-CSCA-cert.der" --crl "$V/apo/AU-CRL-2021-08-19.crl.der" \
    "$V/ICAOAUQR1Contents.txt" >"$tmp/i.json"
check "independent: AU seal" 0 $?
"$bin" verify --trust "$V/JP-signer-cert.der" --at 2022-10-01T00:00:00Z \
    "$V/ICAOJPQR1Contents.txt" >"$tmp/out"
check "JP seal" 0 $? "NIHON HANAKO" "$tmp/out"
$indep vdsnc --pin "$V/JP-signer-cert.der" "$V/ICAOJPQR1Contents.txt" >"$tmp/i.json"
check "independent: JP seal" 0 $?
"$bin" verify --batch --trust "$V/apo/AU-CSCA-cert.der" --at 2021-10-01T00:00:00Z \
    < <(cat "$V/apo/validVDSJson.json"; echo; cat "$V/apo/invalidVDSJson.json"; echo) >"$tmp/b.jsonl"
check "APO set (batch)" 1 $?
[ "$($py -c "import json,sys; print([json.loads(l)['valid'] for l in open(sys.argv[1])])" "$tmp/b.jsonl")" = \
    "[True, False]" ] || fail "APO batch verdicts: $(cat "$tmp/b.jsonl" | head -c 300)"

L=$vec/privacy/swiss-light-cert
"$bin" verify --trust "$L/LT1_A.jwks.json" --at 2021-07-08T00:00:00Z "$L/LT1_A.qr.txt" >"$tmp/out"
check "Swiss light certificate" 0 $? "ch-light" "$tmp/out"
$indep lt1 --jwks "$L/LT1_A.jwks.json" "$L/LT1_A.qr.txt" >"$tmp/i.json"
check "independent: Swiss light certificate" 0 $?

# ---- GDHCN lists with a filter ----

G=$vec/gdhcn/v2/trustlist/-/ARG/did.json
HEALTHCERT_TRUST_REPORT=1 "$bin" verify --trust "$G?participant=ARG&usage=DSC" \
    "$W/DVCTestQR.txt" >/dev/null 2>"$tmp/err"
check "GDHCN filter" 1 $? "3 keys added" "$tmp/err"
grep -q "3 chained" "$tmp/err" || fail "GDHCN filter: DSCs not chained: $(cat "$tmp/err")"
"$bin" verify --trust "$G?usage" "$W/DVCTestQR.txt" >/dev/null 2>"$tmp/err"
check "GDHCN filter syntax" 2 $? "key=value" "$tmp/err"
"$bin" verify --trust "$vec/gdhcn/v2/trustlist-ref/-/ARG/did.json" "$W/DVCTestQR.txt" \
    >/dev/null 2>"$tmp/err"
check "GDHCN reference list" 2 $? "no usable" "$tmp/err"
[ "$($indep gdhcn "$G" | $py -c "import json,sys; d=json.load(sys.stdin); print(d['by_usage'])")" = \
    "{'#CSCA': 4, '#DSC': 3}" ] || fail "independent GDHCN counts"

# ---- issuing ----

pki=$tmp/pki
mkdir -p "$pki"
ossl() { openssl "$@" 2>/dev/null || fail "openssl $*"; }
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/csca.key" \
    -out "$pki/csca.pem" -days 3650 -subj "/C=AU/CN=Test CSCA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"
printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=critical,2.23.136.1.1.14.2\n'`
    `'authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n' >"$pki/ext"
for curve in P-256 P-384; do
    ossl req -new -newkey ec -pkeyopt ec_paramgen_curve:$curve -nodes -keyout "$pki/$curve.key" \
        -out "$pki/$curve.csr" -subj "/C=AU/CN=Test signer $curve"
    ossl x509 -req -in "$pki/$curve.csr" -CA "$pki/csca.pem" -CAkey "$pki/csca.key" \
        -CAcreateserial -out "$pki/$curve.pem" -days 365 -extfile "$pki/ext"
done
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/dsc.key" \
    -out "$pki/dsc.pem" -days 365 -subj "/C=CH/CN=DDCC test DSC"

cat >"$tmp/vs.json" <<'EOF'
{"name": "Aulus Agerius", "birthDate": "2003-03-03",
 "identifier": {"system": "urn:example", "value": "999123456123456123456"},
 "certificate": {"issuer": {"display": "Ministry of Health"}, "hcid": {"value": "URN:UVCI:01:CH:ABC123"}, "version": "RC2"},
 "vaccination": {"vaccine": {"system": "http://id.who.int/icd11/mms", "code": "XM0GQ8"},
   "brand": {"code": "EU/1/20/1528"}, "maholder": {"code": "ORG-100030215"}, "lot": "PT123F",
   "date": "2021-02-02", "dose": 1, "totalDoses": 2, "country": {"code": "CHE"},
   "centre": "Government Hospital", "disease": {"system": "http://id.who.int/icd11/mms", "code": "RA01.0"}}}
EOF
cat >"$tmp/tr.json" <<'EOF'
{"name": "Tan Chen Chen", "birthDate": "1990-01-15",
 "test": {"pathogen": {"code": "XN109"}, "type": {"system": "http://loinc.org", "code": "LP6464-4"},
   "date": "2022-07-27T06:15:00Z", "result": {"code": "260415000"}, "country": {"code": "SGP"}}}
EOF
for rec in vs tr; do
    "$bin" issue --format who-ddcc --cert "$pki/dsc.pem" --key "$pki/dsc.key" --validity-days 30 \
        "$tmp/$rec.json" >"$tmp/$rec.txt"
    check "issue who-ddcc $rec" 0 $?
    "$bin" verify --trust "$pki/dsc.pem" "$tmp/$rec.txt" >"$tmp/out"
    check "verify issued $rec" 0 $? "who-ddcc" "$tmp/out"
    sub=$([ $rec = vs ] && echo 3 || echo 4)
    $indep ddcc --cert "$pki/dsc.pem" --expect-json "$tmp/$rec.json" --expect-sub $sub \
        "$tmp/$rec.txt" >"$tmp/i.json"
    check "independent: issued $rec" 0 $?
done
"$bin" issue --format who-ddcc --cert "$pki/dsc.pem" --key "$pki/dsc.key" --qr "$tmp/vs.png" \
    "$tmp/vs.json" >/dev/null
check "issue who-ddcc --qr" 0 $?
"$bin" verify --trust "$pki/dsc.pem" "$tmp/vs.png" >"$tmp/out"
check "verify the QR image" 0 $? "Aulus Agerius" "$tmp/out"

# The independent checker refuses what it must: another key, a tampered code.
$indep ddcc --cert "$pki/P-256.pem" "$tmp/vs.txt" >/dev/null
check "independent: wrong key" 1 $?

$py -c "import json; d=json.load(open('$tmp/vs.json')); del d['vaccination']['lot']; json.dump(d, open('$tmp/nolot.json','w'))"
"$bin" issue --format who-ddcc --cert "$pki/dsc.pem" --key "$pki/dsc.key" "$tmp/nolot.json" \
    >"$tmp/out" 2>"$tmp/err"
check "issue refuses a record without lot" 1 $? "vaccination.lot" "$tmp/err"
[ -s "$tmp/out" ] && fail "refused record printed something"

# VDS-NC seals, P-256 (ES256) and P-384 (ES384), with odd member names and numbers in an
# extension member, so that the canonical form has work to do.
cat >"$tmp/data.json" <<'EOF'
{"msg": {"uvci": "U32870", "ve": [{"vd": [{"seq": 1, "lot": "FJ5929", "dvc": "2021-06-01", "ctr": "AUS", "adm": "GP"}],
  "nam": "Comirnaty", "dis": "RA01.0", "des": "XM0GQ8"}], "pid": {"n": "MUELLER  ZOE", "dob": "1980-02-29", "i": "PA1234567"},
  "x-extra": {"\u20ac": 1e21, "\r": 0.000001, "\ufb33": 333333333.33333329, "1": -0.0, "\ud83d\ude00": 5e-324, "\u0080": "\u2028 \u0001 \u00e9"}},
 "hdr": {"v": 1, "t": "icao.vacc", "is": "AUS"}}
EOF
for curve in P-256 P-384; do
    "$bin" issue --format icao-vds-nc --cert "$pki/$curve.pem" --key "$pki/$curve.key" \
        "$tmp/data.json" >"$tmp/seal-$curve.json"
    check "issue icao-vds-nc $curve" 0 $?
    "$bin" verify --trust "$pki/csca.pem" "$tmp/seal-$curve.json" >"$tmp/out"
    check "verify seal $curve" 0 $? "icao-vds-nc" "$tmp/out"
    $indep vdsnc --csca "$pki/csca.pem" "$tmp/seal-$curve.json" >"$tmp/i.json"
    check "independent: seal $curve" 0 $?
    # The seal is printed in canonical form: the independent JCS of it is the same bytes.
    $indep jcs "$tmp/seal-$curve.json" >"$tmp/canon"
    tr -d '\n' <"$tmp/seal-$curve.json" | cmp -s - "$tmp/canon" ||
        fail "seal $curve is not in the independent canonical form"
done
[ "$(json "$tmp/i.json" "d['alg']")" = "ES384" ] || fail "P-384 seal alg"
# Revoked by a CRL of the CSCA.
serial=$(openssl x509 -in "$pki/P-256.pem" -noout -serial | cut -d= -f2)
mkdir -p "$pki/ca"
: >"$pki/ca/index.txt"
printf 'R\t301231000000Z\t210101000000Z\t%s\tunknown\t/C=AU/CN=Test signer P-256\n' "$serial" \
    >"$pki/ca/index.txt"
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s\ncrlnumber=%s\ndefault_md=sha256\ndefault_crl_days=30\n' \
    "$pki/ca/index.txt" "$pki/ca/crlnumber" >"$pki/ca/conf"
echo 01 >"$pki/ca/crlnumber"
ossl ca -config "$pki/ca/conf" -gencrl -keyfile "$pki/csca.key" -cert "$pki/csca.pem" -out "$pki/crl.pem"
"$bin" verify --trust "$pki/csca.pem" --trust "$pki/crl.pem" "$tmp/seal-P-256.json" >"$tmp/out"
check "revoked seal signer" 1 $? "REVOKED" "$tmp/out"
$indep vdsnc --csca "$pki/csca.pem" --crl "$pki/crl.pem" "$tmp/seal-P-256.json" >/dev/null
check "independent: revoked seal signer" 1 $?
# Tampered data.
sed 's/MUELLER  ZOE/MUELLER  ZOF/' "$tmp/seal-P-256.json" >"$tmp/tampered.json"
"$bin" verify --trust "$pki/csca.pem" "$tmp/tampered.json" >"$tmp/out"
check "tampered seal" 1 $? "SIGNATURE_INVALID" "$tmp/out"
$indep vdsnc --csca "$pki/csca.pem" "$tmp/tampered.json" >/dev/null
check "independent: tampered seal" 1 $?
# A signer key of another curve than its certificate's: refused before signing.
"$bin" issue --format icao-vds-nc --cert "$pki/P-256.pem" --key "$pki/P-384.key" \
    "$tmp/data.json" >/dev/null 2>"$tmp/err"
check "issue with a mismatched key" 2 $? "does not belong" "$tmp/err"

# ---- convert ----

"$bin" convert --to eu-dcc "$tmp/vs.json" >"$tmp/eu.json" 2>"$tmp/notes"
check "convert to eu-dcc" 0 $? "XM0GQ8" "$tmp/notes"
[ "$(json "$tmp/eu.json" "d['ver'], d['v'][0]['vp'], d['v'][0]['co'], d['v'][0]['ci']")" = \
    "1.3.0 1119349007 CH URN:UVCI:01:CH:ABC123" ] || fail "eu-dcc fields: $(cat "$tmp/eu.json")"
"$bin" convert --to shc --quiet "$tmp/vs.txt" >"$tmp/shc.json" 2>"$tmp/notes"
check "convert an issued QR to shc" 0 $?
[ -s "$tmp/notes" ] && fail "--quiet printed notes"
[ "$(json "$tmp/shc.json" "[e['resource']['resourceType'] for e in d['entry']]")" = \
    "['Patient', 'Immunization']" ] || fail "shc bundle: $(cat "$tmp/shc.json")"
$py -c "import json; d=json.load(open('$tmp/vs.json')); del d['vaccination']['maholder']; json.dump(d, open('$tmp/noma.json','w'))"
"$bin" convert --to eu-dcc "$tmp/noma.json" >"$tmp/out" 2>"$tmp/err"
check "convert refuses what the EU DCC needs" 1 $? "market authorisation" "$tmp/err"
"$bin" convert --to eu-dcc "$V/ICAOAUQR1Contents.txt" >/dev/null 2>&1
check "convert: a seal is no DDCC record" 1 $?
"$bin" convert --to fhir "$tmp/vs.json" >/dev/null 2>&1
check "convert: unknown target" 2 $?

finish
