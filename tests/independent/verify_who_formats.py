#!/usr/bin/python3
"""verify_who_formats.py: an independent checker for WHO DDCC ("HC1:"), Swiss light certificates
("LT1:"), ICAO VDS-NC seals and GDHCN trust lists, for the test suite.

It shares no code with healthcert: written from the specifications with Debian's python3 and its
packages python3-cryptography and python3-cbor2 only, so that a bug in the C code (Base45, zlib,
CBOR, COSE, JCS, ECDSA encodings, X.509 chains) cannot hide by being made twice.

  ddcc  --cert DSC.pem [--expect-json CORE.json] [--expect-sub 3|4] FILE
        HCERT container (RFC 9285 Base45, RFC 1950 zlib, RFC 9052 COSE_Sign1 with the kid in
        either header bucket, RFC 8392 CWT), kid = SHA-256(DSC)[0..8] (HCERT A.1), ES256 or
        PS256, the core data set under -260 -> 3 / 4 / -6 / 1 or at the root, and the elements
        the WHO logical model (ddcc-core-data-set.fsh RC2) makes 1..1.
  lt1   --jwks KEYS.json FILE
        Swiss light certificate: the same container, claim -250 -> 1 {ver, nam, dob}.
  vdsnc [--csca CERT]... [--crl CRL]... [--pin CERT] FILE
        ICAO VDS-NC: RFC 8785 canonical JSON of "data" (written here: UTF-16 member order,
        ECMAScript number form), ES256/384/512 raw r||s in base64url, the embedded signer
        certificate pinned or issued by a CSCA (names, AKI = SKI, signature), not on a CRL that
        the CSCA signed.
  jcs   FILE            prints the RFC 8785 form of the JSON in FILE (no newline)
  gdhcn FILE            counts a GDHCN trust list's methods by usage and key type (JSON)

Prints one JSON object ({"ok": true, ...} or {"ok": false, "error": ...}); exit 0 when ok, 1 when
not, 2 on usage errors.
"""
import argparse
import base64
import hashlib
import json
import math
import struct
import sys
import zlib

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


class Refused(Exception):
    pass


def b45decode(text):
    """RFC 9285 §4: triples of characters give two bytes, a final pair one byte."""
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = text[i:i + 3]
        try:
            vals = [B45.index(c) for c in chunk]
        except ValueError:
            raise Refused("Base45: character outside the alphabet")
        if len(vals) == 3:
            n = vals[0] + vals[1] * 45 + vals[2] * 45 * 45
            if n > 0xFFFF:
                raise Refused("Base45: triple out of range")
            out += n.to_bytes(2, "big")
        elif len(vals) == 2:
            n = vals[0] + vals[1] * 45
            if n > 0xFF:
                raise Refused("Base45: pair out of range")
            out.append(n)
        else:
            raise Refused("Base45: dangling character")
    return bytes(out)


def b64url(text):
    if any(c in text for c in "+/"):
        raise Refused("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text.rstrip("=")) % 4))


def load_cert(path):
    data = open(path, "rb").read()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def verify_raw(pub, alg_hash, sig, msg):
    """ECDSA raw r||s (RFC 7518 §3.4 / RFC 9053 §2.1) or RSASSA-PSS (RFC 8230 §2)."""
    if isinstance(pub, ec.EllipticCurvePublicKey):
        size = (pub.curve.key_size + 7) // 8
        if len(sig) != 2 * size:
            raise Refused("raw ECDSA signature of %d bytes for a %d-bit key" % (len(sig), pub.curve.key_size))
        r = int.from_bytes(sig[:size], "big")
        s = int.from_bytes(sig[size:], "big")
        pub.verify(utils.encode_dss_signature(r, s), msg, ec.ECDSA(alg_hash))
    elif isinstance(pub, rsa.RSAPublicKey):
        pub.verify(sig, msg, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    else:
        raise Refused("unsupported key type")


# ---- HCERT container ----

def unwrap(text, prefix):
    text = text.strip("\r\n")
    if not text.startswith(prefix):
        raise Refused("prefix is not " + prefix)
    raw = zlib.decompress(b45decode(text[len(prefix):]))
    msg = cbor2.loads(raw)
    if isinstance(msg, cbor2.CBORTag):
        if msg.tag != 18:
            raise Refused("tag %d is not COSE_Sign1" % msg.tag)
        msg = msg.value
    if not isinstance(msg, list) or len(msg) != 4:
        raise Refused("COSE_Sign1 is an array of 4")
    prot, unprot, payload, sig = msg
    ph = cbor2.loads(prot) if prot else {}
    kid = ph.get(4, unprot.get(4) if isinstance(unprot, dict) else None)
    alg = ph.get(1, unprot.get(1) if isinstance(unprot, dict) else None)
    tbs = cbor2.dumps(["Signature1", prot, b"", payload])
    return kid, alg, tbs, sig, cbor2.loads(payload)


def check_cose(pub, alg, tbs, sig):
    if alg == -7:
        verify_raw(pub, hashes.SHA256(), sig, tbs)
    elif alg == -37:
        verify_raw(pub, hashes.SHA256(), sig, tbs)
    else:
        raise Refused("alg %r is neither ES256 nor PS256" % (alg,))


def jsonable(v):
    """CBOR values as JSON (undefined as null, bytes as base64, keys as text)."""
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if v is cbor2.undefined:
        return None
    return v


REQUIRED_VS = ["vaccine", "brand", "lot", "date", "dose", "country"]
REQUIRED_TR = ["pathogen", "type", "date", "country"]


def model_errors(core, sub):
    """The 1..1 elements of ddcc-core-data-set.fsh RC2 (and invariant who-ddcc-data-1)."""
    errs = []
    if not isinstance(core.get("name"), str) or not core["name"]:
        errs.append("name")
    cert = core.get("certificate")
    if cert is not None:
        for k in ("issuer", "hcid", "version"):
            if k not in cert:
                errs.append("certificate." + k)
    if sub == 3:
        ev = core.get("vaccination")
        if not isinstance(ev, dict):
            return errs + ["vaccination"]
        errs += ["vaccination." + k for k in REQUIRED_VS if k not in ev]
        if "manufacturer" not in ev and "maholder" not in ev:
            errs.append("vaccination.manufacturer|maholder")
        if not (isinstance(ev.get("dose"), int) and ev["dose"] >= 1):
            errs.append("vaccination.dose >= 1")
    elif sub == 4:
        ev = core.get("test")
        if not isinstance(ev, dict):
            return errs + ["test"]
        errs += ["test." + k for k in REQUIRED_TR if k not in ev]
    return errs


def cmd_ddcc(a):
    cert = load_cert(a.cert)
    kid_want = hashlib.sha256(cert.public_bytes(encoding=_der())).digest()[:8]
    kid, alg, tbs, sig, cwt = unwrap(open(a.file).read(), "HC1:")
    if kid != kid_want:
        raise Refused("kid %s is not SHA-256(DSC)[0..8]" % (kid.hex() if kid else None))
    check_cose(cert.public_key(), alg, tbs, sig)
    hcert = cwt.get(-260)
    sub, core = 0, None
    if isinstance(hcert, dict):
        for s in (3, 4, -6, 1):
            if s in hcert:
                sub, core = s, hcert[s]
                break
    else:
        core = {k: v for k, v in cwt.items() if isinstance(k, str)}
    if not isinstance(core, dict):
        raise Refused("no core data set")
    out = {"ok": True, "sub": sub, "iat": cwt.get(6), "exp": cwt.get(4), "iss": cwt.get(1), "core": jsonable(core)}
    if sub in (3, 4):
        errs = model_errors(core, sub)
        if errs:
            raise Refused("the logical model's required elements are missing: " + ", ".join(errs))
        if not (isinstance(cwt.get(6), int) and isinstance(cwt.get(4), int) and cwt[6] < cwt[4]):
            raise Refused("iat / exp are not integers with iat < exp")
        nb = int(cert.not_valid_before.timestamp())
        na = int(cert.not_valid_after.timestamp())
        if not (nb <= cwt[6] and cwt[4] <= na):
            raise Refused("iat / exp outside the DSC's validity")
    if a.expect_sub is not None and sub != a.expect_sub:
        raise Refused("sub-claim %d, expected %d" % (sub, a.expect_sub))
    if a.expect_json is not None:
        want = json.load(open(a.expect_json))
        if want != jsonable(core):
            raise Refused("the signed data set is not the expected one")
    return out


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding
    return Encoding.DER


def cmd_lt1(a):
    keys = json.load(open(a.jwks))["keys"]
    kid, alg, tbs, sig, cwt = unwrap(open(a.file).read(), "LT1:")
    kid_text = base64.b64encode(kid).decode()
    for k in keys:
        if k.get("kid") != kid_text or k.get("kty") != "EC" or k.get("crv") != "P-256":
            continue
        x = int.from_bytes(b64url(k["x"]), "big")
        y = int.from_bytes(b64url(k["y"]), "big")
        pub = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        check_cose(pub, alg, tbs, sig)
        light = cwt.get(-250, {}).get(1)
        if not isinstance(light, dict) or "nam" not in light or "dob" not in light:
            raise Refused("no light payload -250 -> 1 {ver, nam, dob}")
        return {"ok": True, "iss": cwt.get(1), "iat": cwt.get(6), "light": jsonable(light)}
    raise Refused("no key with kid " + kid_text)


# ---- RFC 8785 ----

def jcs_number(v):
    """ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) from Python's shortest repr."""
    if isinstance(v, bool):
        raise Refused("bool is not a number")
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        raise Refused("NaN / Infinity have no JSON form")
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    r = repr(abs(v))
    mant, _, exp = r.partition("e")
    exp = int(exp) if exp else 0
    ip, _, fp = mant.partition(".")
    digits = (ip + fp).lstrip("0")
    lead_zeros = len(ip + fp) - len((ip + fp).lstrip("0"))
    n = exp + len(ip) - lead_zeros  # value = 0.digits x 10^n
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        s = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + s


def jcs_string(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20:
            out.append({8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}.get(o, "\\u%04x" % o))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def utf16_key(s):
    return s.encode("utf-16-be")


def jcs(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return jcs_number(v)
    if isinstance(v, str):
        return jcs_string(v)
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(jcs_string(k) + ":" + jcs(v[k]) for k in sorted(v, key=utf16_key)) + "}"
    raise Refused("not JSON")


def no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Refused("duplicate member " + k)
        d[k] = v
    return d


def cmd_vdsnc(a):
    seal = json.loads(open(a.file, encoding="utf-8").read(), object_pairs_hook=no_duplicates)
    data, sig = seal["data"], seal["sig"]
    algs = {"ES256": (hashes.SHA256(), ec.SECP256R1), "ES384": (hashes.SHA384(), ec.SECP384R1),
            "ES512": (hashes.SHA512(), ec.SECP521R1)}
    if sig.get("alg") not in algs:
        raise Refused("alg %r" % sig.get("alg"))
    h, curve = algs[sig["alg"]]
    signer = x509.load_der_x509_certificate(b64url(sig["cer"]))
    pub = signer.public_key()
    if not isinstance(pub, ec.EllipticCurvePublicKey) or not isinstance(pub.curve, curve):
        raise Refused("%s does not fit the signer's key" % sig["alg"])
    verify_raw(pub, h, b64url(sig["sigvl"]), jcs(data).encode("utf-8"))
    trusted = None
    if a.pin and any(load_cert(p) == signer for p in a.pin):
        trusted = "pinned"
    for path in a.csca or []:
        ca = load_cert(path)
        if ca.subject != signer.issuer:
            continue
        try:
            aki = signer.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
            ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
            if aki != ski:
                continue
        except x509.ExtensionNotFound:
            pass
        capub = ca.public_key()
        try:
            if isinstance(capub, rsa.RSAPublicKey):
                capub.verify(signer.signature, signer.tbs_certificate_bytes, padding.PKCS1v15(),
                             signer.signature_hash_algorithm)
            else:
                capub.verify(signer.signature, signer.tbs_certificate_bytes,
                             ec.ECDSA(signer.signature_hash_algorithm))
        except InvalidSignature:
            continue
        for cpath in a.crl or []:
            raw = open(cpath, "rb").read()
            crl = (x509.load_pem_x509_crl(raw) if b"-----BEGIN" in raw else x509.load_der_x509_crl(raw))
            if crl.issuer != ca.subject:
                continue
            if not crl.is_signature_valid(capub):
                raise Refused("a CRL of the CSCA is not signed by it")
            if crl.get_revoked_certificate_by_serial_number(signer.serial_number) is not None:
                raise Refused("the signer is revoked")
        trusted = "csca"
    if (a.csca or a.pin) and trusted is None:
        raise Refused("the signer is not trusted")
    return {"ok": True, "alg": sig["alg"], "trusted": trusted, "type": data["hdr"]["t"],
            "signed_bytes": len(jcs(data).encode("utf-8"))}


def cmd_jcs(a):
    v = json.loads(open(a.file, encoding="utf-8").read(), object_pairs_hook=no_duplicates)
    sys.stdout.write(jcs(v))
    return None


def cmd_gdhcn(a):
    d = json.load(open(a.file))
    counts = {"methods": 0, "references": 0, "by_usage": {}, "ec_p256": 0, "rsa": 0, "other": 0}
    for vm in d.get("verificationMethod", []):
        counts["methods"] += 1
        if isinstance(vm, str):
            counts["references"] += 1
            continue
        u = vm.get("keyusage", {})
        u = (u.get("code") if isinstance(u, dict) else u) or "(none)"
        counts["by_usage"][u] = counts["by_usage"].get(u, 0) + 1
        j = vm.get("publicKeyJwk", {})
        if j.get("kty") == "EC" and j.get("crv") == "P-256":
            counts["ec_p256"] += 1
        elif j.get("kty") == "RSA":
            counts["rsa"] += 1
        else:
            counts["other"] += 1
    counts["ok"] = True
    return counts


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("ddcc")
    d.add_argument("--cert", required=True)
    d.add_argument("--expect-json")
    d.add_argument("--expect-sub", type=int)
    d.add_argument("file")
    l = sub.add_parser("lt1")
    l.add_argument("--jwks", required=True)
    l.add_argument("file")
    v = sub.add_parser("vdsnc")
    v.add_argument("--csca", action="append")
    v.add_argument("--crl", action="append")
    v.add_argument("--pin", action="append")
    v.add_argument("file")
    j = sub.add_parser("jcs")
    j.add_argument("file")
    g = sub.add_parser("gdhcn")
    g.add_argument("file")
    a = p.parse_args()
    fn = {"ddcc": cmd_ddcc, "lt1": cmd_lt1, "vdsnc": cmd_vdsnc, "jcs": cmd_jcs, "gdhcn": cmd_gdhcn}[a.cmd]
    try:
        out = fn(a)
    except (Refused, InvalidSignature, ValueError, KeyError, TypeError, zlib.error) as e:
        print(json.dumps({"ok": False, "error": "%s: %s" % (type(e).__name__, e)}))
        return 1
    if out is not None:
        print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
