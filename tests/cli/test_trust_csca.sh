#!/bin/bash
# test_trust_csca.sh: EU gateway-style trust lists with CSCAs, driven as a user would
# (security.md §3 F6, hcert §5, dgca-verifier-service#55; docs/trust.md): PKIs made by
# `healthcert keygen`, a DCC issued by each DSC, and `healthcert verify --trust list.json` over
# lists written in Python: a DSC issued by the listed CSCA of its country verifies VALID; one that
# another CSCA of the same country issued is dropped at load and its DCC is KEY_NOT_TRUSTED; a DSC
# of a country without a listed CSCA is kept; a listed country that is not the DSC's C= drops it;
# CSCA rollover.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
vec=${HC_VECTORS:?}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Two CSCAs of AT (keygen gives both the same subject, as a rollover does; the keys differ), one
# of DE; a DSC and a DCC under each AT CSCA.
for ca in at1:AT at2:AT de:DE; do
    "$bin" keygen csca --country "${ca#*:}" --out "$tmp/${ca%:*}" >/dev/null ||
        fail "keygen csca $ca"
done
ex=$vec/eu-dcc/schema/examples/vaccination/simple.json
for ca in at1 at2; do
    "$bin" keygen dsc --csca-cert "$tmp/$ca/csca.pem" --csca-key "$tmp/$ca/csca.key" \
        --out "$tmp/$ca" >/dev/null || fail "keygen dsc $ca"
    "$bin" issue --cert "$tmp/$ca/dsc.pem" --key "$tmp/$ca/dsc.key" "$ex" >"$tmp/$ca.txt" ||
        fail "issue $ca"
done

# list OUT [PEM COUNTRY TYPE]...: an EU gateway-style trust list (kid computed as HCERT A.1).
list() {
    $py - "$@" <<'PY'
import base64, hashlib, json, sys
out, rest = sys.argv[1], sys.argv[2:]
entries = []
for pem, country, ctype in zip(rest[0::3], rest[1::3], rest[2::3]):
    der = base64.b64decode("".join(l for l in open(pem).read().splitlines() if not l.startswith("-----")))
    entries.append({"kid": base64.b64encode(hashlib.sha256(der).digest()[:8]).decode(),
                    "country": country, "certificateType": ctype,
                    "rawData": base64.b64encode(der).decode()})
json.dump(entries, open(out, "w"))
PY
}

errors() { # errors FILE: the verdict's error codes
    $py -c "import json,sys; print(' '.join(e['code'] for e in json.load(open(sys.argv[1]))['errors']))" "$1"
}

# The DSC issued by the listed CSCA of its country: trusted, and the report says it was checked.
list "$tmp/l1.json" "$tmp/at1/csca.pem" AT CSCA "$tmp/at1/dsc.pem" AT DSC
HEALTHCERT_TRUST_REPORT=1 "$bin" verify --trust "$tmp/l1.json" "$tmp/at1.txt" >"$tmp/out" 2>"$tmp/err"
check "DSC of the listed CSCA" 0 $? "VALID" "$tmp/out"
check "report: chained" 0 0 "2 keys added; 1 DSC issued by a listed CSCA of their country" "$tmp/err"

# A DSC of AT that the other AT CSCA issued (same name, other key): dropped, KEY_NOT_TRUSTED.
list "$tmp/l2.json" "$tmp/at1/csca.pem" AT CSCA "$tmp/at2/dsc.pem" AT DSC
HEALTHCERT_TRUST_REPORT=1 "$bin" verify --trust "$tmp/l2.json" --json "$tmp/at2.txt" \
    >"$tmp/v.json" 2>"$tmp/err"
check "DSC of another AT CSCA" 1 $?
[ "$(errors "$tmp/v.json")" = KEY_NOT_TRUSTED ] || fail "another AT CSCA: $(errors "$tmp/v.json")"
check "report: dropped" 0 0 "entry \[1\]: DSC not signed by a CSCA of AT in this list" "$tmp/err"
# Without the report, the load is silent and the verdict stands alone.
"$bin" verify --trust "$tmp/l2.json" "$tmp/at2.txt" >"$tmp/out" 2>"$tmp/err"
check "dropped, silent load" 1 $? "KEY_NOT_TRUSTED" "$tmp/out"
[ -s "$tmp/err" ] && fail "dropped, silent load: stderr $(cat "$tmp/err")"

# Only a CSCA of another country listed: nothing to check the AT DSC against, trusted as listed.
list "$tmp/l3.json" "$tmp/de/csca.pem" DE CSCA "$tmp/at2/dsc.pem" AT DSC
"$bin" verify --trust "$tmp/l3.json" "$tmp/at2.txt" >"$tmp/out"
check "no CSCA of the DSC's country" 0 $? "VALID" "$tmp/out"

# Listed country DE, subject C=AT: dropped; alone in the list, the list is unusable (exit 2).
list "$tmp/l4.json" "$tmp/at1/dsc.pem" DE DSC
"$bin" verify --trust "$tmp/l4.json" "$tmp/at1.txt" >"$tmp/out" 2>"$tmp/err"
check "country mismatch" 2 $? "country DE but the certificate's subject says C=AT" "$tmp/err"
list "$tmp/l5.json" "$tmp/at1/dsc.pem" DE DSC "$tmp/at2/dsc.pem" AT DSC
"$bin" verify --trust "$tmp/l5.json" --json "$tmp/at1.txt" >"$tmp/v.json"
check "country mismatch among others" 1 $?
[ "$(errors "$tmp/v.json")" = KEY_NOT_TRUSTED ] || fail "country mismatch: $(errors "$tmp/v.json")"

# Rollover: both AT CSCAs listed, DSCs of either trusted.
list "$tmp/l6.json" "$tmp/at1/csca.pem" AT CSCA "$tmp/at2/csca.pem" AT CSCA \
    "$tmp/at1/dsc.pem" AT DSC "$tmp/at2/dsc.pem" AT DSC
for ca in at1 at2; do
    "$bin" verify --trust "$tmp/l6.json" "$tmp/$ca.txt" >"$tmp/out"
    check "rollover $ca" 0 $? "VALID" "$tmp/out"
done

finish
