#!/usr/bin/python3
"""verify_hc1.py: an independent verifier for EU DCC "HC1:" certificates, for the test suite.

It shares no code with healthcert: written from the specifications with Debian's python3 and its
packages python3-cryptography and python3-cbor2 only, so that a bug in the C code (Base45, zlib,
CBOR, COSE, signatures) cannot hide by being made twice.

Checks, per certificate (HCERT spec v1.0.8 and the RFCs it builds on):
  - the "HC1:" context identifier (HCERT §4.2) and Base45 (RFC 9285, decoded here);
  - zlib (RFC 1950) with the level-9 header 0x78 0xDA, inflated by Python's zlib;
  - COSE_Sign1 (RFC 9052 §4.2) with CBOR tag 18, a protected header that is exactly the
    deterministic encoding of {1: alg, 4: kid} (HCERT §3.3.1: both protected) and an empty
    unprotected header; alg ES256 (-7) or PS256 (-37) (HCERT §3.3.2);
  - kid = the first 8 bytes of SHA-256 of the DSC's DER (HCERT Appendix A.1);
  - the signature over Sig_structure ["Signature1", protected, h'', payload] (RFC 9052 §4.4):
    ES256 as raw r||s (64 bytes) turned into DER for cryptography; PS256 with MGF1-SHA-256 and
    a 32-byte salt (RFC 8230 §2);
  - the CWT (RFC 8392): claims 1 iss (the DSC's country), 4 exp and 6 iat as CBOR integers
    (not floats), -260 {1: DCC}; DSC notBefore <= iat < exp <= DSC notAfter (HCERT §3.3.1);
  - deterministic CBOR (RFC 8949 §4.2.1) for the payload and the protected header: definite
    lengths, shortest forms, map keys in bytewise order of their encodings (checked by a
    re-encoder written here, not by cbor2's own canonical mode);
  - the DSC's extended key usage, when it has DCC OIDs, allows the certificate type.

usage: verify_hc1.py --cert DSC.pem [--expect-json DCC.json] [--expect-type v|t|r] FILE|-
FILE holds one or more HC1 texts, one per line. Prints one JSON object per certificate
({"ok": true, "kid", "iss", "iat", "exp", "alg", "dcc"} or {"ok": false, "error"}); exit 0 when
every certificate verified (and matched the expectations), 1 otherwise, 2 on usage errors.
"""
import argparse
import calendar
import hashlib
import json
import struct
import sys
import zlib

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"  # RFC 9285 §4, table 1
ALG_ES256, ALG_PS256 = -7, -37  # RFC 9053 §2.1, RFC 8230 §2
EKU_OIDS = {  # HCERT Appendix A.4
    "t": {"1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.0.1847.2021.1.1"},
    "v": {"1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.0.1847.2021.1.2"},
    "r": {"1.3.6.1.4.1.1847.2021.1.3", "1.3.6.1.4.1.0.1847.2021.1.3"},
}


class Invalid(Exception):
    pass


def base45_decode(text):
    """RFC 9285 §4.2: groups of 3 characters -> 2 bytes, a final 2 -> 1 byte."""
    values = []
    for ch in text:
        i = BASE45.find(ch)
        if i < 0:
            raise Invalid("Base45: character %r outside the alphabet" % ch)
        values.append(i)
    if len(values) % 3 == 1:
        raise Invalid("Base45: dangling character")
    out = bytearray()
    for k in range(0, len(values), 3):
        group = values[k:k + 3]
        if len(group) == 3:
            n = group[0] + group[1] * 45 + group[2] * 45 * 45
            if n > 0xFFFF:
                raise Invalid("Base45: triple over 65535")
            out += bytes([n >> 8, n & 0xFF])
        else:
            n = group[0] + group[1] * 45
            if n > 0xFF:
                raise Invalid("Base45: pair over 255")
            out.append(n)
    return bytes(out)


def det_encode(value):
    """Deterministic CBOR (RFC 8949 §4.2.1) of a decoded value: the bytes a conforming encoder
    must have produced. Written here on purpose (not cbor2's canonical mode)."""

    def head(major, arg):
        if arg < 24:
            return bytes([major << 5 | arg])
        for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if arg < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | ai]) + struct.pack(fmt, arg)
        raise Invalid("integer too large")

    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if value is None:
        return b"\xf6"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(det_encode(v) for v in value)
    if isinstance(value, dict):
        pairs = sorted((det_encode(k), det_encode(v)) for k, v in value.items())
        return head(5, len(pairs)) + b"".join(k + v for k, v in pairs)
    if isinstance(value, cbor2.CBORTag):
        return head(6, value.tag) + det_encode(value.value)
    raise Invalid("unexpected CBOR item %r (floats and the like do not belong in a DCC)" % (value,))


def load_cert(path):
    data = open(path, "rb").read()
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def cert_country(cert):
    attrs = cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)
    return attrs[0].value if attrs else None


def cert_types(cert):
    """The certificate types the DSC may sign (HCERT Appendix A.4): all without DCC EKU."""
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return {"v", "t", "r"}
    oids = {oid.dotted_string for oid in eku}
    allowed = {t for t, names in EKU_OIDS.items() if names & oids}
    return allowed if allowed else {"v", "t", "r"}


def timestamp(dt):
    """Seconds since the epoch of a certificate time (cryptography gives naive UTC datetimes)."""
    return calendar.timegm(dt.utctimetuple())


def verify(text, cert):
    if not text.startswith("HC1:"):
        raise Invalid("no HC1: prefix")
    compressed = base45_decode(text[4:])
    if compressed[:2] != b"\x78\xda":
        raise Invalid("zlib header %s, not 78da (level 9)" % compressed[:2].hex())
    cose = zlib.decompress(compressed)

    msg = cbor2.loads(cose)
    if not isinstance(msg, cbor2.CBORTag) or msg.tag != 18:
        raise Invalid("not a COSE_Sign1 with tag 18")
    if det_encode(msg) != cose:
        raise Invalid("COSE_Sign1 is not deterministically encoded")
    if not isinstance(msg.value, list) or len(msg.value) != 4:
        raise Invalid("COSE_Sign1 is not a 4-element array")
    protected, unprotected, payload, signature = msg.value
    if not all(isinstance(x, bytes) for x in (protected, payload, signature)):
        raise Invalid("COSE_Sign1 element types")
    if unprotected != {}:
        raise Invalid("unprotected header is not empty: %r" % (unprotected,))
    header = cbor2.loads(protected)
    if set(header) != {1, 4} or det_encode(header) != protected:
        raise Invalid("protected header is not exactly {1: alg, 4: kid}, deterministic")
    alg, kid = header[1], header[4]

    der = cert.public_bytes(Encoding.DER)
    if kid != hashlib.sha256(der).digest()[:8]:
        raise Invalid("kid %s is not SHA-256(DSC)[:8]" % kid.hex())

    sig_structure = cbor2.dumps(["Signature1", protected, b"", payload])
    if det_encode(["Signature1", protected, b"", payload]) != sig_structure:
        raise Invalid("Sig_structure encodings disagree")
    key = cert.public_key()
    if alg == ALG_ES256:
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
            raise Invalid("ES256 with a key that is not P-256")
        if len(signature) != 64:
            raise Invalid("ES256 signature of %d bytes, not raw r||s" % len(signature))
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:], "big")
        key.verify(encode_dss_signature(r, s), sig_structure, ec.ECDSA(hashes.SHA256()))
    elif alg == ALG_PS256:
        if not isinstance(key, rsa.RSAPublicKey):
            raise Invalid("PS256 with a key that is not RSA")
        key.verify(signature, sig_structure,
                   padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                   hashes.SHA256())
    else:
        raise Invalid("alg %r is neither ES256 nor PS256" % (alg,))

    claims = cbor2.loads(payload)
    if det_encode(claims) != payload:
        raise Invalid("CWT payload is not deterministically encoded")
    if set(claims) != {1, 4, 6, -260}:
        raise Invalid("CWT claims %r, expected iss, exp, iat, hcert" % sorted(claims))
    iss, exp, iat, hcert = claims[1], claims[4], claims[6], claims[-260]
    for name, v in (("iat", iat), ("exp", exp)):
        if type(v) is not int:
            raise Invalid("%s is %s, not a CBOR integer" % (name, type(v).__name__))
    if iss != cert_country(cert):
        raise Invalid("iss %r is not the DSC's country %r" % (iss, cert_country(cert)))
    nb = timestamp(cert.not_valid_before)
    na = timestamp(cert.not_valid_after)
    if not nb <= iat < exp <= na:
        raise Invalid("times: DSC %d..%d, iat %d, exp %d" % (nb, na, iat, exp))
    if not isinstance(hcert, dict) or set(hcert) != {1}:
        raise Invalid("hcert claim is not {1: DCC}")
    dcc = hcert[1]
    types = [t for t in ("v", "t", "r") if t in dcc]
    if len(types) != 1:
        raise Invalid("the DCC holds %r, not exactly one of v, t, r" % types)
    if types[0] not in cert_types(cert):
        raise Invalid("the DSC's extended key usage does not allow type %s" % types[0])
    return {"ok": True, "kid": kid.hex(), "iss": iss, "iat": iat, "exp": exp,
            "alg": "ES256" if alg == ALG_ES256 else "PS256", "type": types[0], "dcc": dcc}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cert", required=True, help="the DSC (PEM or DER)")
    ap.add_argument("--expect-json", help="the DCC JSON each certificate must carry exactly")
    ap.add_argument("--expect-type", choices=["v", "t", "r"])
    ap.add_argument("input", help="file of HC1 texts, one per line, or -")
    args = ap.parse_args()
    cert = load_cert(args.cert)
    expected = json.load(open(args.expect_json, encoding="utf-8")) if args.expect_json else None
    stream = sys.stdin if args.input == "-" else open(args.input, encoding="ascii")
    texts = [line.rstrip("\r\n") for line in stream if line.strip()]
    if not texts:
        print(json.dumps({"ok": False, "error": "no input"}))
        return 1
    failed = 0
    for text in texts:
        try:
            out = verify(text, cert)
            if expected is not None and out["dcc"] != expected:
                raise Invalid("the DCC differs from %s" % args.expect_json)
            if args.expect_type and out["type"] != args.expect_type:
                raise Invalid("type %s, expected %s" % (out["type"], args.expect_type))
        except Exception as e:  # every failure is a verdict here, with its reason
            out = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            failed += 1
        print(json.dumps(out, ensure_ascii=False, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
