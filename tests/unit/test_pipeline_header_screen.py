"""A mail's header fields are screened together (``_Walk._screen``): the verdict is the
one reading every field with every engine gives."""

import pytest

from filters import pipeline as pipeline_module
from filters.build import build_pipeline
from filters.types import Part

# Valid Spanish DNIs and IBANs (check letter, mod 97), a passport label, a passport's
# machine-readable zone, a marking in ROT13 and backwards, none of them in the body.
MAILS = {
    "identifiers in several fields": (
        "From: ana@example.org\r\nTo: luis@example.com\r\n"
        "Subject: DNI 12345678Z y 87654321X\r\n"
        "X-Customer: 11111111H, 22222222J, 33333333P, 44444444A\r\n"
        "Message-ID: <55555555K@example.org>\r\n"
        "X-Account: ES9121000418450200051332 ES7921000813610123456789\r\n"
        "\r\nSee you on Monday.\r\n"),
    "passport label and zone": (
        "From: ana@example.org\r\nX-Zone: P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\n"
        "Subject: passport numbers: X1234567, Y2345678, Z3456789, A4567890, B5678901, C6789012\r\n"
        "\r\nhello\r\n"),
    "transformed markings": (
        "From: ana@example.org\r\nSubject: GBC FRPERG plans\r\n"
        "X-Note: TERCES POT\r\nX-Other: nothing here\r\n\r\nhello\r\n"),
    "clean": (
        "From: ana@example.org\r\nTo: luis@example.com\r\nSubject: Lunch on Friday\r\n"
        "Message-ID: <a1b2c3@example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nSee you there.\r\n"),
}


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def _verdict(pipeline, text):
    verdict = pipeline.scan(Part(origin="mail", data=text.encode(), declared_type="message/rfc822"))
    return verdict.action, [(h.rule, h.where, h.excerpt, h.span) for h in verdict.hits]


@pytest.mark.parametrize("name", sorted(MAILS))
def test_screened_fields_give_the_verdict_of_reading_each(pipeline, name, monkeypatch):
    screened = _verdict(pipeline, MAILS[name])
    monkeypatch.setattr(pipeline_module, "FIELD_ROLES", frozenset())
    assert screened == _verdict(pipeline, MAILS[name])
    assert bool(screened[1]) == (name != "clean")


def _fields(*texts):
    return [Part(origin=f"mail/header:X-{i}", text=text, role="header", name=f"X-{i}", depth=1)
            for i, text in enumerate(texts)]


def test_personal_screen_names_each_field_that_holds_a_candidate(pipeline):
    personal = next(e for e in pipeline.text_engines if hasattr(e, "_first_look"))
    # A candidate expression reports its first match only: the look goes on after it.
    fields = _fields("plain words", "12345678Z", "more words", "87654321X", "<<zone", "1.0")
    assert personal.screen(fields) == {1, 3, 4}
    assert personal.screen(_fields("plain words", "1.0")) == set()


def test_substitution_screen_reads_every_field_only_when_one_holds_a_form(pipeline):
    substitution = next(e for e in pipeline.text_engines if hasattr(e, "transforms"))
    assert substitution.screen(_fields("plain words", "1.0")) == set()
    assert substitution.screen(_fields("plain words", "GBC FRPERG")) == {0, 1}


def test_defects_and_cut_fields_among_screened_fields_are_reported_in_place(pipeline, monkeypatch):
    import dataclasses

    # A field cut at max_text_chars is reported under its own origin, a malformed
    # encoded word under its field, in the order the fields come.
    mail = ("From: ana@example.org\r\nSubject: =?utf-8?B?###?= weekly notes\r\n"
            "X-Long: " + "words and more words " * 6 + "\r\nX-Mark: TOP SECRET\r\n"
            "X-Last: 12345678Z\r\n\r\nhello\r\n")
    monkeypatch.setattr(pipeline, "limits", dataclasses.replace(pipeline.limits, max_text_chars=60))
    screened = _verdict(pipeline, mail)
    monkeypatch.setattr(pipeline_module, "FIELD_ROLES", frozenset())
    assert screened == _verdict(pipeline, mail)
    rules = [(rule, where) for rule, where, _, _ in screened[1]]
    assert ("mail.defect", "mail/header:Subject") in rules
    assert ("limit.max_text_chars", "mail/header:X-Long") in rules
    assert any(where == "mail/header:X-Mark" for _, where in rules)
