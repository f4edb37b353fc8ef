"""text/enriched (RFC 1896) and text/richtext: read as the reader shows them, beside the source."""

from __future__ import annotations

import pytest

from filters.build import build_pipeline
from filters.extract.enriched import shown
from filters.types import Part, Verdict

PIPELINE = build_pipeline()
MEMO = ("The evaluation panel met on 2 December and scored the four bids.\r\n"
        "The panel recommends opening negotiations with the two leading bidders.\r\n")


def scan(body: str, ctype: str = "text/enriched") -> Verdict:
    mail = ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: memo\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {ctype}; charset=us-ascii\r\n\r\n{body}")
    return PIPELINE.scan(Part(origin="m.eml", data=mail.encode(), name="m.eml",
                              declared_type="message/rfc822"))


def test_commands_are_removed_and_line_breaks_folded_as_rfc_1896_says():
    source = "<bold>Dear</bold> Bob,\r\nthe <<memo> is\r\n\r\n\r\nattached.<param>red</param>"
    assert shown(source) == "Dear Bob, the <memo> is\n\nattached."


def test_nofill_keeps_line_breaks_and_richtext_has_its_own_commands():
    assert shown("<nofill>a\r\nb</nofill>\r\nc") == "a\nb c"
    assert shown("a<nl>b<lt>c\r\nd", richtext=True) == "a\nb<c d"


@pytest.mark.parametrize("ctype", ["text/enriched", "text/richtext"])
@pytest.mark.parametrize("marking", ["SE<bold></bold>CRET//NO<italic></italic>FORN",
                                     "<bold>TOP</bold>\r\n<bold>SECRET</bold>//NOFORN"])
def test_marking_split_by_commands_or_a_line_break_is_held(ctype, marking):
    verdict = scan(f"<center>{marking}</center>\r\n\r\n{MEMO}", ctype)
    assert verdict.action == "quarantine"
    assert any(hit.category == "classification" and hit.where.endswith("#shown")
               for hit in verdict.hits), verdict.hits


@pytest.mark.parametrize("ctype", ["text/enriched", "text/richtext"])
def test_clean_styled_memo_passes(ctype):
    body = ("<bold>Kest<italic></italic>rel</bold> <underline>bids</underline>\r\n"
            "<param>blue</param>secret to good bread is time\r\n\r\n" + MEMO)
    assert (scan(body, ctype).action, scan(body, ctype).hits) == ("pass", ())
