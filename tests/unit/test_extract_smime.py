"""S/MIME: opaque-signed content is inspected; enveloped and broken CMS stay held as encrypted."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest
from conftest import require_peer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from filters.build import build_pipeline
from filters.detect import detect_type
from filters.errors import EncryptedContent, LimitReached
from filters.extract import smime
from filters.limits import Budget, Limits
from filters.types import Part, Verdict
from tests.fixtures import smime as fixtures

PIPELINE = build_pipeline()
MARKED = "SECRET//NOFORN: the plan for Tuesday"
CLEAN = "Lunch at noon on Tuesday?"


def scan(data: bytes, name: str = "mail.eml", declared: str = "message/rfc822") -> Verdict:
    return PIPELINE.scan(Part(origin=name, data=data, name=name, declared_type=declared))


def rules(verdict: Verdict) -> list[str]:
    return [hit.rule for hit in verdict.hits]


def classification_places(verdict: Verdict) -> set[str]:
    return {hit.where for hit in verdict.hits if hit.category == "classification"}


@pytest.mark.parametrize("mime_type", ["application/pkcs7-mime", "application/x-pkcs7-mime"])
def test_marked_opaque_signed_mail_is_held_for_the_marking_inside(mime_type):
    mail = fixtures.p7m_mail(fixtures.signed(fixtures.entity(MARKED)), mime_type=mime_type)
    verdict = scan(mail)
    assert verdict.action == "quarantine"
    assert classification_places(verdict) == {
        "mail.eml/attachment[1]:smime.p7m/smime-content/body[1]"}
    assert not [hit for hit in verdict.hits if hit.category == "policy"]


def test_clean_opaque_signed_mail_passes_with_no_hits():
    verdict = scan(fixtures.p7m_mail(fixtures.signed(fixtures.entity(CLEAN))))
    assert (verdict.action, verdict.hits) == ("pass", ())


def test_signed_p7m_attached_inside_multipart_mixed_is_opened():
    mail = fixtures.forwarded_p7m_mail(fixtures.signed(fixtures.entity(MARKED)))
    verdict = scan(mail)
    assert verdict.action == "quarantine"
    assert classification_places(verdict) == {
        "mail.eml/attachment[2]:smime.p7m/smime-content/body[1]"}
    assert "extract.encrypted" not in rules(verdict)


@pytest.mark.parametrize("encoding", ["der", "pem", "base64"])
def test_p7m_file_is_read_as_der_pem_or_bare_base64(encoding):
    der = fixtures.signed(fixtures.entity(MARKED))
    data = {"der": der,
            "pem": fixtures.signed(fixtures.entity(MARKED), serialization.Encoding.PEM),
            "base64": base64.encodebytes(der)}[encoding]
    verdict = scan(data, name="note.p7m", declared="")
    assert classification_places(verdict) == {"note.p7m/smime-content/body[1]"}
    assert "extract.encrypted" not in rules(verdict)


def test_signed_file_that_is_not_a_mime_entity_keeps_its_name():
    part = Part(origin="contract.txt.p7m", name="contract.txt.p7m",
                data=fixtures.signed(MARKED.encode()))
    budget = Budget(Limits())
    try:
        [child] = smime.extract(part, budget)
    finally:
        budget.close()
    assert (child.origin, child.name, child.data) == (
        "contract.txt.p7m/smime-content", "contract.txt", MARKED.encode())
    assert classification_places(scan(part.data, name="contract.txt.p7m", declared="")) == {
        "contract.txt.p7m/smime-content"}


def test_detached_signature_mail_passes_and_its_signature_part_is_not_flagged():
    verdict = scan(fixtures.detached_mail(CLEAN))
    assert (verdict.action, verdict.hits) == ("pass", ())
    marked = scan(fixtures.detached_mail(MARKED))
    assert rules(marked) and all(hit.category == "classification" for hit in marked.hits)


def test_enveloped_mail_stays_held_as_encrypted_once():
    verdict = scan(fixtures.p7m_mail(fixtures.enveloped(fixtures.entity(MARKED)),
                                     smime_type="enveloped-data"))
    assert verdict.action == "quarantine"
    assert rules(verdict) == ["extract.encrypted"]
    assert "enveloped data" in verdict.hits[0].excerpt
    assert verdict.hits[0].where == "mail.eml/attachment[1]:smime.p7m"


def test_the_bytes_decide_not_the_smime_type_the_sender_wrote():
    lying_envelope = fixtures.p7m_mail(fixtures.enveloped(fixtures.entity(CLEAN)),
                                       smime_type="signed-data")
    assert rules(scan(lying_envelope)) == ["extract.encrypted"]
    lying_signature = fixtures.p7m_mail(fixtures.signed(fixtures.entity(MARKED)),
                                        smime_type="enveloped-data")
    assert classification_places(scan(lying_signature))


def test_encrypted_then_signed_mail_is_held_for_the_inner_envelope():
    inner = fixtures.p7m_mail(fixtures.enveloped(fixtures.entity(MARKED)),
                              smime_type="enveloped-data")
    verdict = scan(fixtures.p7m_mail(fixtures.signed(inner)))
    assert rules(verdict) == ["extract.encrypted"]
    assert verdict.hits[0].where == (
        "mail.eml/attachment[1]:smime.p7m/smime-content/attachment[1]:smime.p7m")


@pytest.mark.parametrize("damage", ["truncated", "garbled", "random"])
def test_corrupted_p7m_stays_held_as_encrypted(damage):
    der = fixtures.signed(fixtures.entity(MARKED))
    broken = {"truncated": der[: len(der) // 2],
              "garbled": der[:40] + bytes(200) + der[240:],
              "random": bytes(range(256)) * 3}[damage]
    verdict = scan(fixtures.p7m_mail(broken))
    assert verdict.action == "quarantine"
    assert "extract.encrypted" in rules(verdict)


def test_signed_data_larger_than_the_part_limit_is_a_limit_hit():
    part = Part(origin="big.p7m", data=fixtures.signed(b"x" * 4000))
    budget = Budget(Limits(max_part_bytes=1000))
    try:
        with pytest.raises(LimitReached):
            list(smime.extract(part, budget))
    finally:
        budget.close()


def test_marked_compressed_data_is_held_for_the_marking_inside():
    """Compressed S/MIME (smime.p7z, RFC 3274) is a zlib stream: inflated and read."""
    mail = fixtures.p7m_mail(fixtures.compressed(fixtures.entity(MARKED)), smime_type="compressed-data")
    verdict = scan(mail)
    assert verdict.action == "quarantine"
    assert classification_places(verdict) == {"mail.eml/attachment[1]:smime.p7m/smime-content/body[1]"}
    assert not [hit for hit in verdict.hits if hit.category == "policy"]


def test_clean_compressed_data_passes_with_no_hits():
    mail = fixtures.p7m_mail(fixtures.compressed(fixtures.entity(CLEAN)), smime_type="compressed-data")
    assert (scan(mail).action, scan(mail).hits) == ("pass", ())


def test_compressed_then_signed_mail_is_read_through_both_layers():
    inner = fixtures.p7m_mail(fixtures.compressed(fixtures.entity(MARKED)), smime_type="compressed-data")
    verdict = scan(fixtures.p7m_mail(fixtures.signed(inner)))
    assert classification_places(verdict) == {
        "mail.eml/attachment[1]:smime.p7m/smime-content/attachment[1]:smime.p7m/smime-content/body[1]"}


def test_compressed_data_that_inflates_past_the_ratio_is_a_limit_hit():
    part = Part(origin="bomb.p7z", data=fixtures.compressed(b"\0" * 50_000_000))
    budget = Budget(Limits())
    try:
        with pytest.raises(LimitReached, match="expands"):
            list(smime.extract(part, budget))
    finally:
        budget.close()


@pytest.mark.parametrize(("algorithm", "packed", "reason"), [
    ("1.2.840.113549.1.9.16.3.8", b"\x78\x9cnot a zlib stream at all", "damaged"),
    ("1.2.840.113549.1.9.16.3.8", None, "damaged"),  # cut short, below
    ("1.3.6.1.4.1.99999.1", b"anything", "does not read"),
])
def test_compressed_data_that_cannot_be_inflated_is_held(algorithm, packed, reason):
    if packed is None:
        import zlib
        packed = zlib.compress(fixtures.entity(MARKED) * 50)[:60]
    der = fixtures.compressed(b"", algorithm=algorithm, packed=packed)
    verdict = scan(fixtures.p7m_mail(der, smime_type="compressed-data"))
    assert verdict.action == "quarantine"
    assert any(hit.category == "policy" and reason in hit.excerpt for hit in verdict.hits), verdict.hits


def test_extractor_itself_refuses_enveloped_data():
    part = Part(origin="m.p7m", name="m.p7m", data=fixtures.enveloped(b"x"))
    with pytest.raises(EncryptedContent, match="enveloped data"):
        list(smime.extract(part, Budget(Limits())))


@pytest.mark.parametrize(("data", "expected"), [
    (b"0123456789 is not a certificate", "text/plain"),
    (b"MIKE: see you at noon\n", "text/plain"),
    (b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "text/plain"),
])
def test_text_that_starts_like_cms_is_not_typed_as_cms(data, expected):
    assert detect_type(Part(origin="t", data=data)) == expected


def test_openssl_smime_sign_nodetach_output_is_inspected(tmp_path):
    openssl = shutil.which("openssl")
    require_peer(None if openssl else "openssl not installed (Debian: apt-get install openssl)")
    assert openssl is not None
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=alice@example.org", "-keyout", str(tmp_path / "k.pem"),
                    "-out", str(tmp_path / "c.pem")], check=True, capture_output=True)
    (tmp_path / "body.txt").write_bytes(fixtures.entity(MARKED))
    subprocess.run([openssl, "smime", "-sign", "-nodetach", "-in", str(tmp_path / "body.txt"),
                    "-signer", str(tmp_path / "c.pem"), "-inkey", str(tmp_path / "k.pem"),
                    "-out", str(tmp_path / "signed.txt")], check=True, capture_output=True)
    mail = fixtures.HEADERS + (tmp_path / "signed.txt").read_bytes()
    assert b"smime-type=signed-data" in mail
    verdict = scan(mail)
    assert verdict.action == "quarantine"
    assert classification_places(verdict) == {
        "mail.eml/attachment[1]:smime.p7m/smime-content/body[1]"}
    assert not [hit for hit in verdict.hits if hit.category == "policy"]


def test_bytes_tell_opaque_signed_data_from_a_detached_signature():
    content = fixtures.entity(CLEAN)
    opaque = fixtures.signed(content)
    detached = fixtures.signed(content, options=(pkcs7.PKCS7Options.DetachedSignature,))
    assert detect_type(Part(origin="a", data=opaque)) == "application/pkcs7-mime"
    assert detect_type(Part(origin="b", data=detached)) == "application/pkcs7-signature"
    assert detect_type(Part(origin="c", data=fixtures.enveloped(content))) == "application/pkcs7-mime"
