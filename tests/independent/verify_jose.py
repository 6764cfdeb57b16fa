#!/usr/bin/python3
"""verify_jose.py: an independent check of the SMART Health Cards and VC-JWTs healthcert issues.

Written from the specifications with Debian's python3-cryptography, sharing no code with the C
implementation, so that a round trip (healthcert issue -> this script) cannot pass by both sides
making the same mistake:

  SMART Health Cards (spec v1.4.0): "shc:/" + digit pairs (ord(c) - 45) -> compact JWS; header
  {"zip": "DEF", "alg": "ES256", "kid": RFC 7638 thumbprint}; payload raw DEFLATE (zlib wbits -15)
  of minified JSON {iss, nbf, vc: {type: [health-card], credentialSubject: {fhirVersion,
  fhirBundle}}}; signature raw r||s (RFC 7518 §3.4) by a key of the issuer's JWKS.

  VC-JWT (VC Data Model 1.1 §6.3.1): a compact JWS (or "vc-jwt:/" + digits of one with zip DEF)
  signed ES256 or EdDSA; iss a did:key (base58btc multicodec 0xed / 0x1200, did:key spec §3.1) or
  a did:web resolved from a given DID document; kid = DID URL of the key.

usage: verify_jose.py shc  QR_OR_JWS_FILE JWKS_FILE [--at UNIX_SECONDS]
       verify_jose.py vc   QR_OR_JWT_FILE [DID_DOCUMENT] [--at UNIX_SECONDS]
Prints "OK <iss> <name>" and exits 0, or prints the failed check and exits 1.
"""
import base64
import hashlib
import json
import sys
import time
import zlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def b64url(s):
    if "=" in s or "+" in s or "/" in s:
        fail("not base64url")
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url_enc(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def numeric_to_jws(text, prefix):
    text = text.strip()
    if not text.startswith(prefix):
        return text  # a bare compact JWS
    digits = text[len(prefix):]
    if len(digits) % 2 or not digits.isdigit():
        fail("numeric QR data")
    out = []
    for i in range(0, len(digits), 2):
        v = int(digits[i:i + 2])
        if v > 77:
            fail("numeric pair above 77")
        out.append(chr(v + 45))
    return "".join(out)


def parse_jws(jws):
    parts = jws.split(".")
    if len(parts) != 3:
        fail("not a compact JWS")
    header = json.loads(b64url(parts[0]))
    payload = b64url(parts[1])
    if header.get("zip") == "DEF":
        payload = zlib.decompress(payload, -15)
    return header, json.loads(payload), (parts[0] + "." + parts[1]).encode(), b64url(parts[2])


def ec_key(jwk):
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or "d" in jwk:
        fail("not a public P-256 JWK")
    x = int.from_bytes(b64url(jwk["x"]), "big")
    y = int.from_bytes(b64url(jwk["y"]), "big")
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


def thumbprint(jwk):
    if jwk["kty"] == "EC":
        members = {"crv": jwk["crv"], "kty": "EC", "x": jwk["x"], "y": jwk["y"]}
    else:
        members = {"crv": jwk["crv"], "kty": "OKP", "x": jwk["x"]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url_enc(hashlib.sha256(canonical).digest())


def verify_sig(alg, key, signing_input, sig):
    try:
        if alg == "ES256":
            if len(sig) != 64:
                fail("ES256 signature is not 64 bytes")
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                       int.from_bytes(sig[32:], "big"))
            key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        elif alg == "EdDSA":
            key.verify(sig, signing_input)
        else:
            fail("algorithm " + str(alg))
    except InvalidSignature:
        fail("signature")


def check_times(claims, at):
    if "nbf" in claims and at < claims["nbf"]:
        fail("not yet valid")
    if "exp" in claims and at > claims["exp"]:
        fail("expired")


def shc(args, at):
    jws = numeric_to_jws(open(args[0]).read(), "shc:/")
    header, claims, signing_input, sig = parse_jws(jws)
    if header.get("alg") != "ES256" or header.get("zip") != "DEF":
        fail("SHC header")
    jwks = json.load(open(args[1]))
    keys = [k for k in jwks["keys"] if k.get("kid") == header.get("kid")]
    if not keys or thumbprint(keys[0]) != header["kid"]:
        fail("kid is not a thumbprint of a JWKS key")
    verify_sig("ES256", ec_key(keys[0]), signing_input, sig)
    iss = claims["iss"]
    if not iss.startswith("https://") or iss.endswith("/"):
        fail("iss")
    vc = claims["vc"]
    if "https://smarthealth.cards#health-card" not in vc["type"]:
        fail("vc.type")
    bundle = vc["credentialSubject"]["fhirBundle"]
    if bundle["resourceType"] != "Bundle":
        fail("bundle")
    check_times(claims, at)
    name = ""
    for e in bundle["entry"]:
        r = e["resource"]
        if "id" in r or "text" in r:
            fail("bundle not minimised")
        if not e["fullUrl"].startswith("resource:"):
            fail("fullUrl")
        if r["resourceType"] == "Patient":
            n = r["name"][0]
            name = " ".join(n.get("given", []) + [n.get("family", "")]).strip()
    print("OK %s %s" % (iss, name))


def did_key_public(did):
    mb = did[len("did:key:"):]
    if not mb.startswith("z"):
        fail("did:key multibase")
    n = 0
    for c in mb[1:]:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(mb[1:]) - len(mb[1:].lstrip("1"))) + raw
    if raw[:2] == b"\xed\x01" and len(raw) == 34:
        return "EdDSA", ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])
    if raw[:2] == b"\x80\x24" and len(raw) == 35:
        return "ES256", ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])
    fail("did:key type")


def vc(args, at):
    jws = numeric_to_jws(open(args[0]).read(), "vc-jwt:/")
    header, claims, signing_input, sig = parse_jws(jws)
    iss = claims["iss"]
    did, _, frag = header["kid"].partition("#")
    if did != iss or not frag:
        fail("kid is not a DID URL of iss")
    if iss.startswith("did:key:"):
        if frag != iss[len("did:key:"):]:
            fail("did:key fragment")
        alg, key = did_key_public(iss)
    else:
        doc = json.load(open(args[1]))
        if doc["id"] != iss:
            fail("DID document of another DID")
        ids = [iss + "#" + frag, "#" + frag]
        if not any(a in ids for a in doc["assertionMethod"]):
            fail("key not in assertionMethod")
        vm = [m for m in doc["verificationMethod"] if m["id"] in ids][0]
        jwk = vm["publicKeyJwk"]
        if jwk["kty"] == "OKP":
            alg, key = "EdDSA", ed25519.Ed25519PublicKey.from_public_bytes(b64url(jwk["x"]))
        else:
            alg, key = "ES256", ec_key(jwk)
    if header["alg"] != alg:
        fail("alg does not fit the key")
    verify_sig(alg, key, signing_input, sig)
    v = claims["vc"]
    if v["@context"][0] != "https://www.w3.org/2018/credentials/v1":
        fail("@context")
    if "VerifiableCredential" not in v["type"]:
        fail("type")
    check_times(claims, at)
    print("OK %s %s" % (iss, v["credentialSubject"].get("name", "")))


def main():
    args = sys.argv[1:]
    at = time.time()
    if "--at" in args:
        i = args.index("--at")
        at = float(args[i + 1])
        del args[i:i + 2]
    if len(args) < 2 or args[0] not in ("shc", "vc"):
        print(__doc__)
        sys.exit(2)
    (shc if args[0] == "shc" else vc)(args[1:], at)


if __name__ == "__main__":
    main()
