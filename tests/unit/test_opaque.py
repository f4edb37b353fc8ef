"""Encrypted and random-looking content of unknown type is held, never passed as 'binary'."""

import os
import random
import subprocess
import zlib

import pytest

from filters.build import build_pipeline
from filters.types import Part

PIPELINE = build_pipeline()


def rules(data: bytes, name: str = "blob.bin", declared: str = "") -> list[str]:
    verdict = PIPELINE.scan(Part(origin=name, data=data, name=name, declared_type=declared))
    return [h.rule for h in verdict.hits]


def test_random_blob_is_opaque_and_held():
    data = random.Random(1).randbytes(50_000)
    verdict = PIPELINE.scan(Part(origin="x.dat", data=data, name="x.dat"))
    assert [h.rule for h in verdict.hits] == ["filetype.opaque"]
    assert verdict.action == "quarantine"


def test_openssl_and_age_files_are_encrypted():
    assert rules(b"Salted__" + os.urandom(2000)) == ["extract.encrypted"]
    assert rules(b"age-encryption.org/v1\n-> X25519 abc\n" + os.urandom(300)) == ["extract.encrypted"]


def test_pgp_armoured_message_is_encrypted():
    armoured = b"-----BEGIN PGP MESSAGE-----\n\nhQEMA5xyz\n-----END PGP MESSAGE-----\n"
    assert "extract.encrypted" in rules(armoured, "msg.asc")


def test_smime_enveloped_part_is_encrypted():
    assert "extract.encrypted" in rules(os.urandom(600), "smime.p7m", "application/pkcs7-mime")


def test_gpg_symmetric_file_is_held(tmp_path):
    gpg = subprocess.run(["gpg", "--version"], capture_output=True)
    if gpg.returncode != 0:  # pragma: no cover - gpg ships with Debian
        pytest.skip("gpg not installed")
    try:
        out = subprocess.run(
            ["gpg", "--batch", "--homedir", str(tmp_path), "--passphrase", "x", "--symmetric",
             "--pinentry-mode", "loopback", "-o", "-"],
            input=os.urandom(8000), capture_output=True, check=True).stdout
    finally:
        _stop_agent(tmp_path)
    assert PIPELINE.scan(Part(origin="f.gpg", data=out, name="f.gpg")).action == "quarantine"


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03" * 4000,  # structured binary compresses well
    os.urandom(500),  # too small to carry a document
    zlib.compress(b"x" * 10) + b"\x00" * 2000,
])
def test_ordinary_binary_is_not_opaque(data):
    assert "filetype.opaque" not in rules(data)


def _mail(body: str) -> bytes:
    return ("From: a@example.com\r\nTo: b@example.org\r\nSubject: notes\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def _gpg_armoured(tmp_path, plain: bytes) -> str:
    gpg = subprocess.run(["gpg", "--version"], capture_output=True)
    if gpg.returncode != 0:  # pragma: no cover - gpg ships with Debian
        pytest.skip("gpg not installed")
    try:
        return subprocess.run(
            ["gpg", "--batch", "--homedir", str(tmp_path), "--passphrase", "x", "--symmetric",
             "--armor", "--pinentry-mode", "loopback", "-o", "-"],
            input=plain, capture_output=True, check=True).stdout.decode()
    finally:
        _stop_agent(tmp_path)


def _stop_agent(home) -> None:
    """gpg starts an agent for its home folder that outlives the test: stop it."""
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)


def test_pgp_message_pasted_into_a_mail_body_is_held_as_encrypted(tmp_path):
    """A short armoured message inside ordinary text (gpg --armor, 'Encrypt' in a mail client)."""
    armoured = _gpg_armoured(tmp_path, b"SECRET\n\nthe figures\n")
    verdict = PIPELINE.scan(Part(origin="m.eml", data=_mail(f"Hi,\n\n{armoured}\nAna\n"), name="m.eml"))
    assert [(h.rule, h.where) for h in verdict.hits] == [("extract.encrypted", "m.eml/body[1]/#armour[1]")]
    assert verdict.action == "quarantine"


@pytest.mark.parametrize("armour", [
    "-----BEGIN PGP MESSAGE, PART 1/2-----\nVersion: 2.6\n\nhQEMA5xyzAAAB{}\n=abcd\n"
    "-----END PGP MESSAGE, PART 1/2-----",
    "-----BEGIN AGE ENCRYPTED FILE-----\n{}\n-----END AGE ENCRYPTED FILE-----",
    "-----BEGIN PGP MESSAGE-----\n\nhQEMA5xyz{}",  # cut off before its end line
], ids=["pgp part", "age", "pgp cut"])
def test_other_armoured_encrypted_text_is_held(armour):
    import base64
    body = armour.format(base64.b64encode(os.urandom(90)).decode())
    assert "extract.encrypted" in [h.rule for h in PIPELINE.scan(
        Part(origin="m.eml", data=_mail(f"See below.\n\n{body}\n"), name="m.eml")).hits]


def test_clear_signed_text_is_read_not_held_as_encrypted():
    signed = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nSECRET\n\nthe figures\n"
              "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE" + "A1b2C3d4" * 40
              + "\n=x1Y2\n-----END PGP SIGNATURE-----\n")
    verdict = PIPELINE.scan(Part(origin="m.eml", data=_mail(signed), name="m.eml"))
    assert "extract.encrypted" not in [h.rule for h in verdict.hits]
    assert "classification" in {h.category for h in verdict.hits}
    key = ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF" + "A1b2C3d4" * 40
           + "\n=x1Y2\n-----END PGP PUBLIC KEY BLOCK-----\n")
    assert PIPELINE.scan(Part(origin="k.eml", data=_mail(f"My key:\n\n{key}"), name="k.eml")).passed
