"""XPS pages: Glyphs runs put back into lines by baseline, joined or tab-separated."""

from __future__ import annotations

from filters.extract import xps
from filters.limits import Budget, Limits


def _page(*glyphs: tuple[float, float, str]) -> bytes:
    body = "".join(f'<Glyphs OriginX="{x}" OriginY="{y}" FontRenderingEmSize="10" '
                   f'UnicodeString="{text}"/>' for x, y, text in glyphs)
    return f'<FixedPage xmlns="http://schemas.microsoft.com/xps/2005/06">{body}</FixedPage>'.encode()


def test_runs_on_one_baseline_join_and_a_gap_is_a_tab():
    page = _page((300, 50, "DENCIAL"), (10, 50, "Grade"), (275, 50.5, "CONFI"),
                 (10, 20, "Title"), (10, 80, "{}{braces}"))
    assert xps.page_text(page, Budget(Limits())) == "Title\nGrade\tCONFIDENCIAL\n{braces}"


def test_a_page_without_glyphs_has_no_text():
    assert xps.page_text(_page(), Budget(Limits())) == ""
