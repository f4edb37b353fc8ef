"""Mail as real clients build it is inspected fully: invitations and cards, Word HTML,
quoted and forwarded history, file-name and charset encodings, flowed text, Apple
formats; and ordinary client mail passes with no hit at all.

The messages are built by tests/fixtures/client_mail.py and scanned through the real
pipeline with the shipped rules.
"""

from __future__ import annotations

import pytest

from filters.build import build_pipeline
from filters.extract import calendar, mail
from filters.limits import Budget, Limits
from filters.normalise import normalise
from filters.pipeline import Pipeline
from filters.types import Part, Verdict
from tests.fixtures import client_mail
from tests.fixtures.client_mail import CASES, Case


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


def scan(pipeline: Pipeline, data: bytes) -> Verdict:
    return pipeline.scan(Part(origin="mail", data=data, name="mail.eml",
                              declared_type="message/rfc822"))


def _described(verdict: Verdict) -> str:
    return "\n".join(f"{h.rule} {h.category} {h.where} | {h.excerpt[:80]}" for h in verdict.hits)


@pytest.mark.parametrize("case", [c for c in CASES if c.verdict != "pass"], ids=lambda c: c.name)
def test_client_mail_with_a_marking_is_held_naming_the_part(pipeline: Pipeline, case: Case) -> None:
    verdict = scan(pipeline, case.build())
    assert verdict.action == case.verdict, _described(verdict)
    where = f"mail/{case.where}"
    found = [h for h in verdict.hits if h.category == case.category and h.where == where]
    assert found, f"no {case.category} hit at {where}; hits:\n{_described(verdict)}"


@pytest.mark.parametrize("case", [c for c in CASES if c.verdict == "pass"], ids=lambda c: c.name)
def test_ordinary_client_mail_passes_with_no_hit(pipeline: Pipeline, case: Case) -> None:
    verdict = scan(pipeline, case.build())
    assert verdict.action == "pass"
    assert verdict.hits == (), _described(verdict)


@pytest.mark.parametrize("case", [c for c in CASES if c.clean is not None], ids=lambda c: c.name)
def test_the_same_client_mail_without_the_marking_passes_with_no_hit(pipeline: Pipeline, case: Case) -> None:
    verdict = scan(pipeline, case.twin())
    assert verdict.action == "pass"
    assert verdict.hits == (), _described(verdict)


# -- the pieces behind the cases ------------------------------------------------------------


def _calendar_parts(data: bytes, charset: str = "utf-8") -> list[Part]:
    budget = Budget(Limits())
    try:
        return [p for p in calendar.extract(Part(origin="x.ics", data=data, charset=charset), budget)
                if isinstance(p, Part)]
    finally:
        budget.close()


def test_calendar_unfolds_on_bytes_so_a_fold_inside_a_utf8_character_rejoins() -> None:
    line = "SUMMARY:" + "预算" * 20 + "机密★5年"
    folded = client_mail.ical_fold(line).encode("utf-8", "surrogateescape")
    assert b"\r\n " in folded
    parts = _calendar_parts(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + folded + b"\r\nEND:VEVENT\r\n")
    assert [(p.origin, p.role, p.text) for p in parts] == [
        ("x.ics/SUMMARY", "subject", "预算" * 20 + "机密★5年")]


def test_calendar_text_is_unescaped_and_repeated_properties_are_numbered() -> None:
    data = (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:one\\ntwo\\, three\\; four\\\\\r\n"
            b"END:VEVENT\r\nBEGIN:VEVENT\r\nDESCRIPTION;ALTREP=\"cid:a:b\":second\r\nEND:VEVENT\r\n")
    parts = _calendar_parts(data)
    assert [(p.origin, p.text) for p in parts] == [
        ("x.ics/DESCRIPTION", "one\ntwo, three; four\\"), ("x.ics/DESCRIPTION[2]", "second")]


def test_vcard_21_quoted_printable_note_with_soft_breaks_is_decoded() -> None:
    data = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=gb2312:=BB=FA=C3=DC=\r\n"
            b"=A1=EF5=C4=EA\r\nEND:VCARD\r\n")
    parts = _calendar_parts(data, charset="")
    assert [(p.origin, p.text) for p in parts] == [("x.ics/NOTE", "机密★5年")]


def test_calendar_attach_by_uri_is_a_link_not_content() -> None:
    parts = _calendar_parts(b"BEGIN:VCALENDAR\r\nATTACH:https://example.com/a.pdf\r\nEND:VCALENDAR\r\n")
    assert parts == []


def test_flowed_text_joins_soft_breaks_and_keeps_quote_depth() -> None:
    budget = Budget(Limits())
    body = b"first \r\nline\r\n> quoted \r\n> more\r\n>> deeper\r\n-- \r\nsig\r\n"
    assert mail.unflow(body, budget, delsp=False) == (
        b"first line\n> quoted more\n>> deeper\n-- \nsig\n")
    assert mail.unflow(b"SEC \r\nRET\r\n", budget, delsp=True) == b"SECRET\n"
    budget.close()


def test_quote_markers_are_removed_at_line_starts_only() -> None:
    norm = normalise("a > b\n> > DRAFT\n>CONFIDENTIAL")
    assert norm.text == "a > b\nDRAFT\nCONFIDENTIAL"
    start = norm.text.index("DRAFT")
    assert norm.original[slice(*norm.original_span(start, start + 5))] == "DRAFT"


def test_traditional_chinese_marking_characters_fold_to_simplified() -> None:
    assert normalise("絕密★長期 內部資料 （徵求意見稿）").text == "绝密★长期 内部资料 (征求意见稿)"


def test_binhex_cut_off_is_held_as_uninspectable(pipeline: Pipeline) -> None:
    data = client_mail.binhex_attachment()
    end = data.rindex(b":\r\n\r\n--=====")
    cut = data[:end] + data[end + 1:]  # the closing ':' lost
    verdict = scan(pipeline, cut)
    assert verdict.action == "quarantine"
    assert any(h.rule == "extract.unparseable" and h.where.endswith("attachment[2]:Route plan")
               for h in verdict.hits), _described(verdict)
