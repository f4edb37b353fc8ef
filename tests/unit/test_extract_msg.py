"""The Outlook .msg extractor: headers, bodies, attachments, embedded messages, damage."""

from __future__ import annotations

import pytest

from filters.errors import UnparseableContent
from filters.extract import msg
from filters.limits import Budget, Limits
from filters.types import Part
from tests.fixtures import legacy


def run(data: bytes) -> list[Part]:
    budget = Budget(Limits())
    try:
        return list(msg.extract(Part(origin="mail.msg", data=data), budget))
    finally:
        budget.close()


@pytest.fixture(scope="module")
def message() -> bytes:
    return legacy.outlook_msg(
        subject="Budget SECRET//NOFORN", body="Body text: working DRAFT",
        sender="analyst@example.org",
        attachments=[("annex 1.txt", b"Annex text CONFIDENCIAL\n")],
        embedded=("Forwarded 机密★5年", "Inner body BORRADOR"),
    )


def test_subject_is_a_subject_part(message):
    parts = {p.origin: p for p in run(message)}
    subject = parts["mail.msg/header:Subject"]
    assert (subject.text, subject.role, subject.name) == ("Budget SECRET//NOFORN", "subject",
                                                           "Subject")


def test_sender_is_a_header_part_with_address(message):
    sender = {p.origin: p for p in run(message)}["mail.msg/header:From"]
    assert sender.role == "header"
    assert "analyst@example.org" in sender.text


def test_plain_body_is_body_1(message):
    body = {p.origin: p for p in run(message)}["mail.msg/body[1]"]
    assert (body.text, body.role) == ("Body text: working DRAFT", "body")


def test_no_html_body_is_invented_from_plain_text(message):
    assert not any("body[2]" in p.origin for p in run(message))


def test_attachment_is_content_part_with_long_name(message):
    parts = {p.origin: p for p in run(message)}
    annex = parts["mail.msg/attachment[1]:annex 1.txt"]
    assert annex.data == b"Annex text CONFIDENCIAL\n"
    assert annex.name == "annex 1.txt"
    assert annex.depth == 1


def test_embedded_message_is_walked_as_msg(walk, message):
    walked = walk(message, name="mail.msg")
    inner = "mail.msg/attachment[2]:Forwarded 机密★5年"
    types = {p.origin: p.detected_type for p in walked.content}
    assert types[inner] == "application/vnd.ms-outlook"
    assert walked.text_at(inner + "/body[1]") == "Inner body BORRADOR"
    assert walked.text_at(inner + "/header:Subject") == "Forwarded 机密★5年"
    assert "Annex text CONFIDENCIAL" in walked.text_at("annex 1.txt")
    assert walked.policy_rules() == []


def test_msg_detected_as_ole_storage_is_delegated(walk, message):
    walked = walk(message, name="mail.msg")
    assert walked.content[0].detected_type in ("application/vnd.ms-outlook",
                                               "application/x-ole-storage", "application/CDFV2")
    assert walked.text_at("mail.msg/header:Subject") == "Budget SECRET//NOFORN"


def test_damaged_msg_is_unparseable(message):
    broken = message[:600] + b"\x00" * 2000 + message[2600:]
    with pytest.raises(UnparseableContent, match="Outlook message"):
        run(broken)


def test_truncated_msg_is_held(walk, message):
    walked = walk(message[:3000], name="cut.msg")
    assert walked.policy_rules() == ["extract.unparseable"]
    assert walked.verdict.action == "quarantine"


def test_fixture_writer_output_reads_with_olefile(message):
    import io

    import olefile

    ole = olefile.OleFileIO(io.BytesIO(message))
    assert ole.exists("__substg1.0_0037001F")
    assert ole.openstream("__substg1.0_0037001F").read().decode("utf-16-le") == (
        "Budget SECRET//NOFORN")
