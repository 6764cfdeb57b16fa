#!/bin/bash
# test_vc.sh: W3C verifiable credentials as JWTs through the healthcert program: the staged
# fixtures (did:key ES256 / EdDSA, did:web with its DID document, a tampered one), trust by did:key
# lines and DID documents, keygen jwks + issue --format vc-jwt (did:key and did:web, ES256 and
# EdDSA, QR text and plain JWT), each credential checked again by the independent Python verifier.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/testlib.sh"
bin=${HC_BIN:?run through ctest}
src=${HC_SOURCE_DIR:?}
vec=${HC_VECTORS:?}
py=/usr/bin/python3
indep=$src/tests/independent/verify_jose.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

g=$vec/vc/vc-jwt-generated
at=2023-01-01T00:00:00Z
printf '# trusted issuers\ndid:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv\n\ndid:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\n' >"$tmp/dids.txt"

for f in vc-jwt-es256-didkey-ddccvs vc-jwt-eddsa-didkey-ddccvs; do
    "$bin" verify --trust "$tmp/dids.txt" --at $at --json "$g/$f.jwt" >"$tmp/v.json"
    check "$f" 0 $?
    [ "$(json "$tmp/v.json" "d['format'], d['type'], d['subject']['name'], d['subject']['dob']")" = "vc-jwt v Aulus Agerius 2003-03-03" ] ||
        { echo "FAIL $f fields: $(head -c 400 "$tmp/v.json")"; fails=$((fails + 1)); }
done
"$bin" verify --trust "$g/did-web-issuer.example.org-ddcc.did.json" --at $at "$g/vc-jwt-es256-didweb-ddccvs.jwt" >"$tmp/out"
check "did:web with its DID document" 0 $? "VALID" "$tmp/out"
"$bin" verify --trust "$tmp/dids.txt" --at $at --json "$g/vc-jwt-es256-didkey-ddccvs.TAMPERED.jwt" >"$tmp/v.json"
check "tampered" 1 $? "SIGNATURE_INVALID" "$tmp/v.json"
"$bin" verify --at $at --json "$g/vc-jwt-es256-didkey-ddccvs.jwt" >"$tmp/v.json"
check "an untrusted did:key" 1 $? "KEY_NOT_TRUSTED" "$tmp/v.json"
[ "$(json "$tmp/v.json" "[c['name'] for c in d['checks'] if c['ok']][0]")" = "signature" ] ||
    { echo "FAIL untrusted did:key: the signature is still checked"; fails=$((fails + 1)); }
"$bin" verify --at $at "$g/vc-jwt-es256-didweb-ddccvs.jwt" >"$tmp/out"
check "did:web without its document" 1 $? "issuer.example.org/ddcc/did.json" "$tmp/out"
"$bin" verify --trust "$tmp/dids.txt" --at 2021-06-01T00:00:00Z "$g/vc-jwt-eddsa-didkey-ddccvs.jwt" >"$tmp/out"
check "before nbf" 1 $? "NOT_YET_VALID" "$tmp/out"
printf 'did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F\n' >"$tmp/x25519.txt"
"$bin" verify --trust "$tmp/x25519.txt" "$g/vc-jwt-eddsa-didkey-ddccvs.jwt" >"$tmp/out" 2>&1
check "an X25519 did:key is no signature key" 2 $? "did:key" "$tmp/out"

# Issuing: did:key (ES256 and EdDSA) and did:web, QR text and plain JWT.
$py -c "import json,sys; json.dump(json.load(open(sys.argv[1]))['payload']['vc'], open(sys.argv[2],'w'))" \
    "$g/vc-jwt-es256-didkey-ddccvs.decoded.json" "$tmp/vc.json"
echo '{"id":"urn:example:holder:1","name":"Ada Lovelace","birthDate":"1815-12-10"}' >"$tmp/subject.json"
"$bin" keygen jwks --out "$tmp/k" --name p256 >/dev/null
"$bin" keygen jwks --out "$tmp/k" --name ed --alg eddsa --did did:web:issuer.example.org:vc >/dev/null
check "keygen (es256; eddsa with a did:web document)" 0 $?
for key in p256 ed; do
    for input in "$tmp/vc.json" "$tmp/subject.json"; do
        for form in qr jwt; do
            name="$key $(basename "$input" .json) $form"
            flag=; [ $form = jwt ] && flag=--jws
            "$bin" issue --format vc-jwt --key "$tmp/k/$key.private.jwk" $flag --validity-days 30 "$input" >"$tmp/c.txt"
            check "issue $name" 0 $?
            did=$($py "$indep" vc "$tmp/c.txt" | cut -d' ' -f2)
            [ -n "$did" ] || { echo "FAIL $name: independent check"; $py "$indep" vc "$tmp/c.txt"; fails=$((fails + 1)); continue; }
            pass=$((pass + 1))
            echo "$did" >"$tmp/trusted.txt"
            "$bin" verify --trust "$tmp/trusted.txt" "$tmp/c.txt" >"$tmp/out"
            check "verify $name" 0 $? "VALID" "$tmp/out"
        done
    done
done
"$bin" issue --format vc-jwt --key "$tmp/k/ed.private.jwk" --iss did:web:issuer.example.org:vc "$tmp/subject.json" >"$tmp/web.txt"
check "issue as did:web" 0 $? "^vc-jwt:/" "$tmp/web.txt"
"$bin" verify --trust "$tmp/k/ed.did.json" --json "$tmp/web.txt" >"$tmp/v.json"
check "did:web credential verifies with the DID document" 0 $?
[ "$(json "$tmp/v.json" "d['issuer']['name'], d['subject']['name']")" = "did:web:issuer.example.org:vc Ada Lovelace" ] ||
    { echo "FAIL did:web fields"; fails=$((fails + 1)); }
$py "$indep" vc "$tmp/web.txt" "$tmp/k/ed.did.json" >"$tmp/out"
check "did:web: independent check" 0 $? "^OK did:web" "$tmp/out"
"$bin" verify --trust "$tmp/k/p256.jwks.json" "$tmp/web.txt" >"$tmp/out"
check "did:web credential with another key's JWKS" 1 $? "KEY_NOT_TRUSTED" "$tmp/out"
"$bin" issue --format vc-jwt --key "$tmp/k/ed.private.jwk" --iss did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv \
    "$tmp/subject.json" >"$tmp/out" 2>"$tmp/err"
check "a did:key of another key is refused" 2 $? "own DID" "$tmp/err"
echo '[1,2]' >"$tmp/array.json"
"$bin" issue --format vc-jwt --key "$tmp/k/ed.private.jwk" "$tmp/array.json" >"$tmp/out" 2>"$tmp/err"
check "not a credential" 1 $? "not a JSON object" "$tmp/err"

finish "test_vc.sh"
