"""PostScript: literal strings and DSC comments read; text drawn from encoded streams held."""

from __future__ import annotations

from filters.extract import postscript
from filters.limits import Budget, Limits
from filters.types import Defect, Part


def _run(program: bytes) -> tuple[dict[str, str], list[str]]:
    budget = Budget(Limits())
    out = list(postscript.extract(Part(origin="p.ps", data=program), budget))
    budget.close()
    return ({p.origin: p.text for p in out if isinstance(p, Part)},
            [d.rule for d in out if isinstance(d, Defect)])


def test_literal_strings_nest_and_decode_escapes():
    program = (rb"%!PS" b"\n% (not shown) a comment\n"
               rb"(TOP \(SECRET\)) show (a (nested) one) show (\124\117P) show (tab\there) show"
               b"\n(con\\\ntinued) show\n")
    texts, defects = _run(program)
    assert texts["p.ps"] == "TOP (SECRET)\na (nested) one\nTOP\ntab\there\ncontinued"
    assert defects == []


def test_dsc_title_is_a_property():
    texts, _ = _run(b"%!PS-Adobe-3.0\n%%Title: (SECRET plan)\n%%Creator: app\n%%EndComments\n")
    assert texts["p.ps/#dsc.title"] == "SECRET plan"


def test_text_drawn_from_encoded_streams_is_held():
    # The structure ps2write writes: fonts defined, page content in PDF-like objects
    # whose streams are ASCII85- and LZW-encoded.
    program = (b"%!PS-Adobe-3.0\n%%Creator: GPL Ghostscript 10000 (ps2write)\n"
               b"/F1 /Helvetica findfont definefont pop\n"
               b"10 0 obj\n<</Filter[/ASCII85Decode\n/LZWDecode]/Length 12>>stream\n"
               b"J.'G/Os)~>\nendstream\nendobj\n")
    _, defects = _run(program)
    assert defects == ["extract.uninspectable"]


def test_a_drawing_without_fonts_is_not_held():
    program = b"%!PS-Adobe-3.0 EPSF-3.0\ncurrentfile /ASCII85Decode filter image\nz~>\n"
    assert _run(program)[1] == []
