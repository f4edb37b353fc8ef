"""DKIM keys and signatures: keygen writes a key dkimpy signs with and a record that verifies it."""

from __future__ import annotations

import stat

import dkim
import pytest

from gateway.smtp.dkim import DkimError, DkimSigner, generate_key, txt_record

MESSAGE = (b"From: Alice <alice@example.org>\r\nTo: bob@example.com\r\nSubject: hi\r\n"
           b"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nbody\r\n")


@pytest.mark.parametrize("algorithm", ["rsa", "ed25519"])
def test_generated_key_signs_and_its_record_verifies(tmp_path, algorithm):
    path, value = generate_key(tmp_path, "Example.org", "s1", algorithm, 1024)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert value.startswith(f"v=DKIM1; k={algorithm}; p=")
    signer = DkimSigner.from_dir(tmp_path)
    signature = signer.sign(MESSAGE, "example.org")
    expected = b"a=rsa-sha256" if algorithm == "rsa" else b"a=ed25519-sha256"
    assert signature.startswith(b"DKIM-Signature:") and expected in signature

    def dns(name, timeout=5):
        return value.encode() if name == b"s1._domainkey.example.org." else None

    assert dkim.verify(signature + MESSAGE, dnsfunc=dns)
    assert not dkim.verify(signature + MESSAGE.replace(b"body", b"b0dy"), dnsfunc=dns)


def test_subdomain_uses_the_parent_key_and_other_domains_are_unsigned(tmp_path):
    generate_key(tmp_path, "example.org", "s1", "ed25519")
    signer = DkimSigner.from_dir(tmp_path)
    assert signer.keys_for("mail.example.org")[0].domain == "example.org"
    assert signer.sign(MESSAGE, "example.com") == b""
    assert signer.keys_for("org") == []


def test_keys_are_never_overwritten(tmp_path):
    generate_key(tmp_path, "example.org", "s1", "ed25519")
    with pytest.raises(DkimError, match="exists"):
        generate_key(tmp_path, "example.org", "s1", "ed25519")


def test_damaged_key_fails_at_start(tmp_path):
    (tmp_path / "example.org").mkdir()
    (tmp_path / "example.org" / "s1.rsa.pem").write_text("not a key")
    with pytest.raises(DkimError, match="regenerate"):
        DkimSigner.from_dir(tmp_path)


def test_txt_record_splits_long_values():
    line = txt_record("example.org", "s1", "p=" + "A" * 400)
    assert line.startswith('s1._domainkey.example.org. IN TXT ( "p=')
    assert all(len(part) <= 255 for part in line.split('"')[1::2])
