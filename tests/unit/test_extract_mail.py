"""The mail extractor: headers, MIME structure, charsets, transfer encodings, broken mail."""

from __future__ import annotations

import base64

import pytest

from filters.build import build_pipeline
from filters.errors import UnparseableContent
from filters.extract import mail
from filters.extract.text import codec_name
from filters.limits import Budget, Limits
from filters.types import Defect, Part
from tests.fixtures import mail as fixtures


def run(data: bytes) -> tuple[list[Part], list[Defect]]:
    """Call the extractor directly; returns (child parts, defects)."""
    budget = Budget(Limits())
    try:
        out = list(mail.extract(Part(origin="mail", data=data), budget))
    finally:
        budget.close()
    return [p for p in out if isinstance(p, Part)], [d for d in out if isinstance(d, Defect)]


def test_plain_message_gives_headers_and_one_body(walk):
    walked = walk(fixtures.plain(), name="mail")
    assert walked.text_at("mail/header:Subject") == "Quarterly figures"
    assert [p.role for p in walked.texts if p.origin == "mail/header:Subject"] == ["subject"]
    assert walked.text_at("mail/header:X-Classification") == "TOP SECRET//NOFORN"
    assert {p.role for p in walked.texts if p.origin == "mail/header:From"} == {"header"}
    assert "the figures are attached" in walked.text_at("mail/body[1]")
    assert walked.verdict.action == "pass"


def test_alternative_numbers_text_and_html_bodies_in_order(walk):
    walked = walk(fixtures.alternative(), name="mail")
    bodies = [p for p in walked.content if "/body[" in p.origin]
    assert [(p.origin, p.detected_type) for p in bodies] == [
        ("mail/body[1]", "text/plain"), ("mail/body[2]", "text/html")]
    assert walked.text_at("mail/body[2]") == "HTML body says SECRET."


def test_mixed_attachments_are_labelled_with_number_and_name(walk):
    data = fixtures.mixed([("notes.txt", b"first attachment\n", "text/plain"),
                           ("table.csv", b"a,b\n1,2\n", "text/csv"),
                           ("blob.bin", bytes(range(256)), "application/octet-stream")])
    parts, defects = run(data)
    content = [p for p in parts if not p.is_text]
    assert [p.origin for p in content] == [
        "mail/body[1]", "mail/attachment[2]:notes.txt", "mail/attachment[3]:table.csv",
        "mail/attachment[4]:blob.bin"]
    assert content[1].name == "notes.txt"
    assert content[1].declared_type == "text/plain"
    assert content[3].data == bytes(range(256))
    assert defects == []


@pytest.mark.parametrize(("charset", "encoding", "text"), [
    ("gb2312", "B", "机密★5年 年度预算"),
    ("gb18030", "B", "征求意见稿 𠀀"),
    ("big5", "B", "機密文件 草稿"),
    ("utf-8", "B", "CONFIDENCIAL — versión preliminar"),
    ("utf-8", "Q", "Difusión limitada: BORRADOR"),
    ("iso-2022-jp", "B", "極秘 ドラフト"),
])
def test_rfc2047_subject_is_decoded(walk, charset, encoding, text):
    walked = walk(fixtures.encoded_subject(text, charset, encoding), name="mail")
    assert walked.text_at("header:Subject") == text


def test_gb2312_label_with_gbk_only_characters_is_decoded_as_gb18030():
    # 镕 is in GBK/GB18030 but not in GB2312: mail labelled gb2312 carries it anyway.
    word = "=?gb2312?B?" + base64.b64encode("朱镕基 机密".encode("gb18030")).decode() + "?="
    parts, defects = run(fixtures.raw(["From: a@example.gov", f"Subject: {word}"]))
    assert parts[1].text == "朱镕基 机密"
    assert defects == []


def test_adjacent_encoded_words_join_and_split_characters_survive():
    data = "机密文件".encode()
    first, second = base64.b64encode(data[:4]).decode(), base64.b64encode(data[4:]).decode()
    header = f"Subject: =?utf-8?B?{first}?=\r\n =?utf-8?B?{second}?= (draft)"
    parts, defects = run(fixtures.raw(["From: a@example.gov", header]))
    assert parts[1].text == "机密文件 (draft)"
    assert defects == []


def test_undecodable_encoded_word_keeps_raw_text_with_low_defect():
    header = "Subject: =?x-no-such-charset?B?/w==?= plans and =?utf-8?B?%%%?="
    parts, defects = run(fixtures.raw(["From: a@example.gov", header]))
    subject = next(p for p in parts if p.origin == "mail/header:Subject")
    assert "plans and" in subject.text
    assert "=?utf-8?B?%%%?=" in subject.text
    assert defects and {d.severity for d in defects} == {"low"}
    assert all(d.rule == "mail.defect" for d in defects)


def test_raw_utf8_header_is_decoded():
    data = "From: a@example.gov\r\nSubject: 机密 report\r\n\r\nbody\r\n".encode()
    parts, _ = run(data)
    assert parts[1].text == "机密 report"


def test_utf16_body_is_extracted(walk):
    walked = walk(fixtures.utf16_body("本文件为机密 SECRET"), name="mail")
    assert walked.text_at("mail/body[1]") == "本文件为机密 SECRET"


def test_iso2022jp_body_is_transcoded_to_utf8():
    body = "極秘の報告です".encode("iso2022_jp") + b"\r\n"
    data = fixtures.raw(["From: a@example.gov", "Subject: jp",
                         "Content-Type: text/plain; charset=iso-2022-jp"], body)
    parts, _ = run(data)
    content = parts[-1]
    assert content.charset == "utf-8"
    assert content.data.decode("utf-8").startswith("極秘の報告です")


def test_rfc2231_chinese_filename_with_continuations(walk):
    name = "机密文件报告附件.txt"
    walked = walk(fixtures.rfc2231_attachment(name, b"hello there\n"), name="mail")
    attachment = next(p for p in walked.content if "attachment[2]" in p.origin)
    assert attachment.origin == f"mail/attachment[2]:{name}"
    assert attachment.name == name
    assert walked.text_at(f"attachment[2]:{name}") == "hello there\n"


def test_rfc2047_encoded_filename_is_decoded():
    name = "=?utf-8?B?" + base64.b64encode("草稿.txt".encode()).decode() + "?="
    body = (b"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
            b'Content-Type: text/plain; name="' + name.encode() + b'"\r\n\r\nfile\r\n--b--\r\n')
    data = fixtures.raw(["From: a@example.gov", "Subject: x", "MIME-Version: 1.0",
                         'Content-Type: multipart/mixed; boundary="b"'], body)
    parts, _ = run(data)
    assert parts[-1].origin == "mail/attachment[2]:草稿.txt"
    assert parts[-1].name == "草稿.txt"


def test_nested_messages_two_deep_are_recursed(walk):
    walked = walk(fixtures.nested(2, "Innermost: 机密★5年\n"), name="mail")
    inner = "mail/attachment[2]:message.eml/attachment[2]:message.eml"
    assert walked.text_at(f"{inner}/header:Subject") == "level 2"
    assert "机密★5年" in walked.text_at(f"{inner}/body[1]")
    types = {p.origin: p.detected_type for p in walked.content}
    assert types["mail/attachment[2]:message.eml"] == "message/rfc822"
    assert types[inner] == "message/rfc822"


def test_nesting_beyond_depth_limit_is_held(walk):
    walked = walk(fixtures.nested(3, "deep\n"), name="mail", limits=Limits(max_depth=3))
    assert "limit.max_depth" in walked.policy_rules()
    assert walked.verdict.action == "quarantine"


def test_uuencoded_transfer_encoding_is_decoded(walk):
    payload = b"uuencoded attachment text: BORRADOR\n" * 4
    walked = walk(fixtures.uuencoded_cte(payload, "notes.txt"), name="mail")
    assert walked.text_at("mail/attachment[2]") == payload.decode()
    assert walked.policy_rules() == []


def test_inline_uuencoded_block_becomes_an_attachment(walk):
    payload = b"inline uuencoded text: DRAFT v2\n" * 4
    walked = walk(fixtures.uuencoded_inline(payload, "memo.txt"), name="mail")
    attachment = next(p for p in walked.content if p.origin.endswith("attachment[2]:memo.txt"))
    assert attachment.name == "memo.txt"
    assert walked.text_at("attachment[2]:memo.txt") == payload.decode()
    assert "Here is the file" in walked.text_at("mail/body[1]")


def test_uuencoded_block_without_end_is_reported_truncated():
    block = fixtures.uuencode(b"x" * 200, "cut.bin")
    data = fixtures.raw(["From: a@example.gov", "Subject: uu"],
                        b"text\n" + block[: block.index(b"`\nend")])
    parts, defects = run(data)
    assert parts[-1].origin == "mail/attachment[2]:cut.bin"
    assert parts[-1].data == b"x" * 200
    assert [d.rule for d in defects] == ["mail.truncated"]


def test_base64_with_missing_padding_is_decoded_with_low_defect(walk):
    walked = walk(fixtures.base64_without_padding("padding test!!"), name="mail")
    assert walked.text_at("mail/body[1]") == "padding test!!"
    assert walked.policy_rules() == ["mail.defect"]
    assert walked.verdict.action == "pass"


def test_base64_line_noise_is_tolerated_and_garbage_reported():
    encoded = base64.encodebytes(b"clean base64 body text")
    noisy = encoded.replace(b"\n", b" \t\r\n", 1)
    data = fixtures.raw(["From: a@example.gov", "Subject: b", "Content-Type: text/plain",
                         "Content-Transfer-Encoding: base64"], noisy)
    parts, defects = run(data)
    assert parts[-1].data == b"clean base64 body text"
    assert defects == []
    garbage = fixtures.raw(["From: a@example.gov", "Subject: b", "Content-Type: text/plain",
                            "Content-Transfer-Encoding: base64"], b"!!!! this is *not* base64 !!!!")
    _, defects = run(garbage)
    assert any(d.rule == "mail.encoding" and d.severity == "medium" for d in defects)


def test_base64_is_decoded_as_binascii_decodes_it_strict_or_not():
    """The vector decoder takes strict base64; whatever it refuses is read leniently, so
    every cleaned body gives the bytes (or the error) binascii gives."""
    import binascii
    import random

    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    rng = random.Random(5)
    samples = [base64.b64encode(rng.randbytes(n)) for n in range(40)]
    samples += [b"QR==", b"QUJ=", b"Q===", b"QQ=", b"QUJDRA", b"QUJD====", b"=QUJD", b"QU=JD"]
    samples += [bytes(rng.choice(alphabet + b"==") for _ in range(rng.randint(1, 13)))
                for _ in range(3000)]

    def outcome(decode, data):
        try:
            return decode(data)
        except binascii.Error as exc:
            return type(exc)

    for sample in samples:
        assert outcome(mail._decode_clean, sample) == outcome(binascii.a2b_base64, sample), sample
    attachment = rng.randbytes(300_000)
    body = base64.encodebytes(attachment).replace(b"\n", b"\r\n")
    data = fixtures.raw(["From: a@example.gov", "Subject: b", "Content-Type: application/pdf",
                         "Content-Transfer-Encoding: base64"], body)
    parts, defects = run(data)
    assert parts[-1].data == attachment and defects == []


def test_truncated_message_is_held_and_text_before_cut_extracted(walk):
    walked = walk(fixtures.truncated("Before the cut: budget notes", bytes(range(256)) * 40),
                  name="mail")
    assert "mail.truncated" in walked.policy_rules()
    assert walked.verdict.action == "quarantine"
    assert "Before the cut: budget notes" in walked.text_at("mail/body[1]")
    assert any(p.origin == "mail/attachment[2]:report.bin" for p in walked.content)


def test_multipart_without_parts_is_reported_truncated():
    data = fixtures.raw(["From: a@example.gov", "Subject: empty", "MIME-Version: 1.0",
                         'Content-Type: multipart/mixed; boundary="zz"'], b"no parts here\r\n")
    _, defects = run(data)
    assert {d.rule for d in defects} == {"mail.truncated"}


def test_message_with_only_headers(walk):
    walked = walk(fixtures.headers_only(), name="mail")
    assert walked.text_at("header:Subject") == "Borrador del informe"
    assert [p.origin for p in walked.content] == ["mail"]
    assert walked.verdict.action == "pass"


@pytest.mark.parametrize(("text", "encoding"), [
    ("征求意见稿 内部资料 请勿外传，谢谢。", "gb18030"),
    ("Versión preliminar — BORRADOR", "utf-8"),
])
def test_unlabelled_8bit_body_is_decoded(walk, text, encoding):
    walked = walk(fixtures.unlabelled_8bit(text, encoding), name="mail")
    assert text in walked.text_at("mail/body[1]")


def test_docx_attachment_is_routed_by_detected_type(walk):
    docx = fixtures.docx("Working draft of the plan")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    walked = walk(fixtures.mixed([("annex.docx", docx, mime)]), name="mail")
    attachment = next(p for p in walked.content if p.origin == "mail/attachment[2]:annex.docx")
    assert attachment.name == "annex.docx"
    assert attachment.detected_type == mime


def test_not_a_mail_is_unparseable():
    with pytest.raises(UnparseableContent):
        run(b"\x00\x01\x02 binary junk with no headers\n\n")


def test_mime_part_headers_are_scanned_but_not_structural_ones():
    body = (b"--b\r\nContent-Type: text/plain\r\nContent-Description: SECRET annex\r\n\r\n"
            b"text\r\n--b--\r\n")
    data = fixtures.raw(["From: a@example.gov", "Subject: x", "MIME-Version: 1.0",
                         'Content-Type: multipart/mixed; boundary="b"'], body)
    parts, _ = run(data)
    origins = [p.origin for p in parts]
    assert "mail/body[1]/header:Content-Description" in origins
    assert "mail/body[1]/header:Content-Type" not in origins


def test_header_flood_is_capped(monkeypatch):
    monkeypatch.setattr(mail, "MAX_HEADERS", 50)
    data = fixtures.raw(["From: a@example.gov"] + [f"X-H{i}: v" for i in range(100)])
    parts, defects = run(data)
    assert sum(p.is_text for p in parts) == 50
    assert [d.rule for d in defects] == ["mail.limit"]


def test_5mb_attachment_comes_out_whole():
    # How fast: bench/extract_speed.py.
    data = fixtures.mixed([("big.bin", bytes(range(256)) * 20_000, "application/octet-stream")])
    assert len(data) > 5_000_000
    parts, _ = run(data)
    assert parts[-1].data == bytes(range(256)) * 20_000


def _wrap(content_type: str, cte: str, body: bytes) -> bytes:
    part = (b"--b\r\nContent-Type: text/plain\r\n\r\nouter\r\n--b\r\nContent-Type: "
            + content_type.encode() + b"\r\nContent-Transfer-Encoding: " + cte.encode()
            + b"\r\n\r\n" + body + b"\r\n--b--\r\n")
    return fixtures.raw(["From: a@example.gov", "Subject: x", "MIME-Version: 1.0",
                         'Content-Type: multipart/mixed; boundary="b"'], part)


@pytest.mark.parametrize(("content_type", "cte", "encode"), [
    ("message/global", "8bit", lambda b: b),
    ("message/rfc822", "base64", base64.encodebytes),  # not allowed, but sent by some clients
])
def test_attached_message_variants_are_recursed(walk, content_type, cte, encode):
    inner = fixtures.raw(["From: c@example.gov", "Subject: 机密 inner"], b"inner body\r\n")
    walked = walk(_wrap(content_type, cte, encode(inner)), name="mail")
    assert walked.text_at("attachment[2]:message.eml/header:Subject") == "机密 inner"
    assert "inner body" in walked.text_at("attachment[2]:message.eml/body[1]")


def test_rfc822_headers_part_is_inspected(walk):
    headers = b"From: a@example.gov\r\nTo: b@example.org\r\nSubject: SECRET plan\r\n"
    walked = walk(_wrap("text/rfc822-headers", "7bit", headers), name="mail")
    assert walked.text_at("mail/attachment[2]/header:Subject") == "SECRET plan"


def test_message_in_a_spool_file_is_read(walk, tmp_path):
    path = tmp_path / "big.eml"
    path.write_bytes(fixtures.plain())
    walked = walk(path, name="big.eml")
    assert walked.text_at("big.eml/header:Subject") == "Quarterly figures"
    assert "figures are attached" in walked.text_at("big.eml/body[1]")


@pytest.mark.parametrize(
    "raw",
    [
        b"From: a@example.org\r\nSubject: x\r\n\r\nline one\r\nline two\r\n",
        b"From: a@example.org\nSubject: x\n\nunix line endings\n",
        "From: a@example.org\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nmarcha atrás, 机密\r\n".encode(),
        b"From: a@example.org\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nsoft=\r\nbreak\r\n",
        b"From: a@example.org\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8gd29ybGQ=\r\n",
    ],
)
def test_single_part_fast_path_matches_the_full_parser(raw):
    from email.feedparser import BytesFeedParser

    fast = mail._parse_single_part(Part(origin="m", data=raw))
    parser = BytesFeedParser(policy=mail.POLICY)
    parser.feed(raw)
    full = parser.close()
    assert fast is not None
    assert fast.get_payload() == full.get_payload()
    assert fast.items() == full.items()


def test_multipart_takes_the_full_parser():
    raw = fixtures.mixed([("a.txt", b"attached", "text/plain")])
    assert mail._parse_single_part(Part(origin="m", data=raw)) is None


def test_a_fragment_of_a_split_mail_is_held(walk):
    # Outlook Express and others split large mail into message/partial pieces; a marking
    # cut between two pieces is in neither.
    inner = b"Subject: plan\r\n\r\nTOP SECRET\r\nthe plan\r\n"
    fragment = (b"From: a@example.org\r\nTo: b@example.net\r\nSubject: part 1/2\r\n"
                b"MIME-Version: 1.0\r\nContent-Type: message/partial; id=\"abc@example.org\"; "
                b"number=1; total=2\r\n\r\n" + inner[:20])
    walked = walk(fragment, name="part1.eml")
    assert "mail.fragment" in walked.policy_rules()
    assert walked.verdict.action == "quarantine"


@pytest.mark.parametrize("charset", ["iso-8859-8", "ISO_8859-8"])
def test_visual_order_hebrew_is_read_in_reading_order(charset):
    # ISO-8859-8 is visual order: lines stored as drawn, Hebrew letters right to left, the
    # Latin words and numbers inside them left to right.
    stored = "רומש\r\n\r\n.Project X לע 2025 חוד ףרוצמ\r\n".encode("iso8859-8")
    data = (f"Subject: t\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset={charset}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n").encode() + base64.encodebytes(stored)
    parts, _ = run(data)
    body = next(p for p in parts if p.origin == "mail/body[1]")
    assert body.charset == "utf-8"
    assert body.data.decode() == "שמור\r\n\r\nמצורף דוח 2025 על Project X.\r\n"


def test_logical_order_hebrew_is_left_as_it_is():
    stored = "שמור\r\n".encode("cp1255")
    data = (b"Subject: t\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-8-i\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n" + stored)
    parts, _ = run(data)
    body = next(p for p in parts if p.origin == "mail/body[1]")
    assert body.data == stored


@pytest.mark.parametrize(
    ("block", "compound"),
    [
        (b"From: a\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n", True),
        (b"Content-type:\tMESSAGE/rfc822\n\n", True),
        (b"Content-Type: multipart/alternative;\r\n boundary=\"a/b\"\r\n\r\n", True),
        (b"Content-Type: text/plain\r\n\r\n", False),
        (b"Content-Type: multipart/mixed\r\n /x\r\n\r\n", False),  # folded into text/plain
        (b"Content-Type: text/plain\r\nContent-Type: multipart/mixed\r\n\r\n", False),  # two
        (b"Content-Type:\r\n multipart/mixed\r\n\r\n", False),
        (b"X-Note: Content-Type: multipart/mixed\r\n\r\n", False),
        # A line that is no header ends the block before it: the full reading notes it.
        (b"bad line\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n", True),
    ],
)
def test_a_multipart_mail_skips_the_single_part_reading(block, compound):
    """The header block is parsed once: a mail whose Content-Type is multipart/* or
    message/* goes straight to the full reading, which the single-part reading would have
    handed it to anyway (a compound type, or a defect)."""
    from email.parser import BytesParser

    assert mail._declares_compound(block) is compound
    if compound:
        headers = BytesParser(policy=mail.POLICY).parsebytes(block, headersonly=True)
        assert headers.defects or headers.get_content_maintype() in ("multipart", "message")
        data = block + b"--x\r\nContent-Type: text/plain\r\n\r\nSECRET\r\n--x--\r\n"
        assert mail._parse_single_part(Part(origin="m.eml", data=data)) is None


def test_a_body_declared_base64_that_is_text_is_also_read_as_sent():
    memo = b"Minutes of the meeting. The budget, as agreed; the plan follows.\r\n"
    parts, _ = run(_wrap("text/plain", "base64", memo))
    as_sent = [p for p in parts if p.origin.endswith("#as-sent")]
    assert [p.data for p in as_sent] == [memo]
    # True base64 in lines of 76 holds nothing but its alphabet: read once, decoded.
    parts, _ = run(_wrap("text/plain", "base64", base64.encodebytes(memo * 4)))
    assert not [p for p in parts if p.origin.endswith("#as-sent")]
    assert memo * 4 in [p.data for p in parts]


def test_charset_written_the_rfc2231_way_on_an_8bit_body_is_read_not_failed(walk):
    # get_payload() decoded the 8-bit body with the charset parameter, a tuple when
    # written "charset*=": TypeError, and the mail was held as extract.failed.
    data = ("From: a@example.org\r\nTo: b@example.org\r\nSubject: Agenda\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset*=utf-8''utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln, die Agenda folgt.\r\n").encode()
    walked = walk(data, name="mail")
    assert "Grüße aus Köln" in walked.text_at("mail/body[1]")
    assert walked.verdict.action == "pass", walked.verdict.hits


def test_raw_8bit_in_an_rfc2231_file_name_is_read_not_failed(walk):
    # A client writing filename*= unescaped: the stdlib turns the raw bytes into U+FFFD,
    # which latin-1 cannot encode (UnicodeEncodeError, the mail held as extract.failed).
    data = ("From: a@example.org\r\nTo: b@example.org\r\nSubject: Notiz\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nAnbei die Notiz.\r\n--XX\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Disposition: attachment; filename*=utf-8''Gr%C3%BC%C3%9Fe_Köln.txt\r\n\r\n"
            "Mittagessen am Freitag um zwölf.\r\n--XX--\r\n").encode()
    walked = walk(data, name="mail")
    attachment = next(p for p in walked.content if "attachment[2]" in p.origin)
    assert attachment.name == "Grüße_Köln.txt"
    assert "Mittagessen am Freitag" in walked.text_at(attachment.origin)
    assert walked.verdict.action == "pass", walked.verdict.hits


def _raw_name_mail(disposition: bytes) -> bytes:
    return (b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Notiz\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n--XX\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "
            + disposition + b"\r\n\r\nlunch on Friday at noon\r\n--XX--\r\n")


@pytest.mark.parametrize("disposition", [
    'filename="机密-会议纪要.txt"'.encode(),  # quoted, raw UTF-8 (RFC 6532)
    "filename*=utf-8''机密-会议纪要.txt".encode(),  # RFC 2231 label, unescaped
    b"filename*0*=utf-8''%E6%9C%BA; filename*1=" + "密-会议纪要.txt".encode(),  # mixed
])
def test_file_name_written_in_raw_utf8_keeps_its_characters(walk, disposition):
    # The stdlib reads a header holding 8-bit bytes through email.header, which turned
    # each byte into U+FFFD: a marking in the file name was lost.
    walked = walk(_raw_name_mail(disposition), name="mail")
    attachment = next(p for p in walked.content if "attachment[2]" in p.origin)
    assert attachment.name == "机密-会议纪要.txt"
    verdict = build_pipeline().scan(Part(origin="mail", data=_raw_name_mail(disposition)))
    assert verdict.action == "quarantine"
    assert any(hit.rule == "classification.filename" for hit in verdict.hits), verdict.hits


def test_file_name_in_raw_utf8_without_a_marking_passes(walk):
    walked = walk(_raw_name_mail('filename="会议纪要 Grüße.txt"'.encode()), name="mail")
    attachment = next(p for p in walked.content if "attachment[2]" in p.origin)
    assert attachment.name == "会议纪要 Grüße.txt"
    verdict = build_pipeline().scan(Part(origin="mail", data=_raw_name_mail(
        'filename="会议纪要 Grüße.txt"'.encode())))
    assert verdict.action == "pass", verdict.hits


def _legacy_mail(charset: str, subject: str, name: str) -> bytes:
    # Subject and file name unencoded in the writer's locale charset, which only the body
    # declares (older clients and office systems set to GBK, Shift_JIS, EUC-KR).
    return (b"From: a@example.cn\r\nTo: b@example.org\r\nSubject: " + subject.encode(charset)
            + b"\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            b"Content-Type: text/plain; charset=" + charset.encode()
            + b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "2026".encode(charset)
            + b"\r\n--XX\r\nContent-Type: application/octet-stream\r\n"
            b'Content-Disposition: attachment; filename="' + name.encode(charset)
            + b'"\r\n\r\nlunch\r\n--XX--\r\n')


@pytest.mark.parametrize(("charset", "subject", "name"), [
    ("gb2312", "关于会议的通知", "机密文件.doc"),  # read as Korean by a guess
    ("gbk", "秘密★1年 会议纪要", "通知.doc"),  # 通知 in GBK is valid UTF-8 (two combining marks)
    ("big5", "會議通知", "機密文件.doc"),
    ("shift_jis", "会議のお知らせ", "極秘資料.doc"),
    ("euc-kr", "회의 안내", "회의록.doc"),
    ("windows-874", "การประชุม", "รายงาน.doc"),  # a WHATWG label Python's codecs lack
])
def test_raw_8bit_headers_are_read_in_the_charset_the_mail_declares(walk, charset, subject, name):
    codec = "cp874" if charset == "windows-874" else charset
    data = _legacy_mail("ascii", "s", "n.doc").replace(b"charset=ascii", f"charset={charset}".encode())
    data = data.replace(b"Subject: s", b"Subject: " + subject.encode(codec))
    data = data.replace(b'filename="n.doc"', b'filename="' + name.encode(codec) + b'"')
    walked = walk(data, name="mail")
    assert walked.text_at("mail/header:Subject") == subject
    attachment = next(p for p in walked.content if "attachment[2]" in p.origin)
    assert attachment.name == name


def test_raw_utf8_headers_stay_utf8_beside_a_legacy_body(walk):
    data = _legacy_mail("gbk", "x", "y").replace(b"Subject: x", "Subject: 关于会议的通知".encode())
    assert walk(data, name="mail").text_at("mail/header:Subject") == "关于会议的通知"


def test_a_marking_in_a_gbk_file_name_is_found():
    marked = build_pipeline().scan(Part(origin="mail", data=_legacy_mail("gbk", "通知", "机密文件.doc")))
    assert any(hit.category == "classification" for hit in marked.hits), marked.hits
    ordinary = build_pipeline().scan(Part(origin="mail", data=_legacy_mail("gbk", "通知", "会议纪要.doc")))
    assert not any(hit.category == "classification" for hit in ordinary.hits), ordinary.hits


@pytest.mark.parametrize(("label", "codec"), [
    ("utf-8", "utf-8"), ("GB2312", "gb2312"), ("windows-874", "cp874"), ("x-gbk", "gbk"),
    ("gb_2312-80", "gbk"), ("x-sjis", "cp932"), ("x-mac-roman", "mac-roman"),
    ("x-user-defined", None), ("no-such-charset", None), ("", None),
])
def test_charset_labels_of_mail_and_web_are_known(label, codec):
    found = codec_name(label)
    if codec is None:
        assert found is None
        return
    # By what it decodes: another library may register its own codec under the label.
    encoded = "机密 Déjà 極秘 ลับมาก".encode(codec, "ignore")
    assert not encoded.isascii()
    assert encoded.decode(found) == encoded.decode(codec)


def test_a_body_labelled_windows_874_is_read_as_thai(walk):
    data = _legacy_mail("ascii", "s", "n.doc").replace(b"charset=ascii", b"charset=windows-874")
    data = data.replace(b"\r\n2026\r\n", b"\r\n" + "ลับมาก การประชุม".encode("cp874") + b"\r\n")
    assert walk(data, name="mail").text_at("mail/body[1]").strip() == "ลับมาก การประชุม"
