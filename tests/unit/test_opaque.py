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
    out = subprocess.run(
        ["gpg", "--batch", "--homedir", str(tmp_path), "--passphrase", "x", "--symmetric",
         "--pinentry-mode", "loopback", "-o", "-"],
        input=os.urandom(8000), capture_output=True, check=True).stdout
    assert PIPELINE.scan(Part(origin="f.gpg", data=out, name="f.gpg")).action == "quarantine"


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03" * 4000,  # structured binary compresses well
    os.urandom(500),  # too small to carry a document
    zlib.compress(b"x" * 10) + b"\x00" * 2000,
])
def test_ordinary_binary_is_not_opaque(data):
    assert "filetype.opaque" not in rules(data)
