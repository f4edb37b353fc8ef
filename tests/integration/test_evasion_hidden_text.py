"""Places a user or an insider would hide a marked memo that a reader of the file or the
mail still finds, tried against the real listeners (a mail over SMTP with smtplib, an
upload through the HTTP proxy with curl): a picture's metadata (PNG text chunks, EXIF,
XMP, a JPEG comment, the ICC profile, TIFF tags), OOXML's altChunk, an OpenDocument file
whose ``mimetype`` lies, a zip comment, a gzip header's file name, ``data:`` URIs in CSS
and SVG, HTML character references and bidi overrides, mail bodies in EBCDIC and UTF-7,
Unicode look-alikes, joiners, full-width letters, combining strokes and a right-to-left
override in bodies and file names. Each marked one is held for its marking; each clean
twin passes. What still passes is kept as strict xfails (docs/coverage.md)."""

from __future__ import annotations

import io
import lzma
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from email.message import EmailMessage

import docx
import pytest
from fixtures.office import patch_zip
from fixtures.pdf_file import pdf_file
from fixtures.picture_metadata import PLACES
from integration.listeners_harness import Listeners, Outcome
from integration.test_evasion_text import CLEAN, MEMO, _held_for_marking, _text_mail
from unit.test_pdf_info import _pdf as _pdf_with_info

MARKED_LINE, CLEAN_LINE = MEMO.splitlines()[0], CLEAN.splitlines()[0]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("evasion-hidden"))
    yield server
    server.close()


def _mail_and_upload(gateway: Listeners, name: str, data: bytes, kind: str, tmp_path
                     ) -> tuple[Outcome, Outcome]:
    message = _text_mail("the file is attached")
    maintype, subtype = kind.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path = tmp_path / name
    path.write_bytes(data)
    return gateway.mail(message), gateway.upload("-F", f"file=@{path};type={kind}")


def _attached(gateway: Listeners, name: str, data: bytes, kind: str = "application/octet-stream",
              body: str = "the file is attached") -> Outcome:
    message = _text_mail(body)
    maintype, subtype = kind.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return gateway.mail(message)


# -- a picture's metadata ----------------------------------------------------------------------

PICTURE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "tif": "image/tiff"}


@pytest.mark.parametrize("place", list(PLACES))
def test_marking_in_a_pictures_metadata_is_held(gateway, place, tmp_path):
    name, data = PLACES[place](MARKED_LINE + " convoy orders")
    for outcome in _mail_and_upload(gateway, name, data, PICTURE_TYPES[name.rsplit(".")[1]], tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()
        assert any("#metadata" in hit["where"] for hit in outcome.hits)


@pytest.mark.parametrize("place", list(PLACES))
def test_picture_with_a_caption_in_its_metadata_passes(gateway, place, tmp_path):
    name, data = PLACES[place]("Harbour survey, plate 4 of 9 - (c) 2024 City Archive")
    for outcome in _mail_and_upload(gateway, name, data, PICTURE_TYPES[name.rsplit(".")[1]], tmp_path):
        assert not outcome.held, outcome.excerpts()


# -- other places a reader finds the text: held already (kept so it stays held) ----------------

def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("Quarterly figures")
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _alt_chunk(text: str, kind: str) -> bytes:
    """A docx with an altChunk part (Word merges it into the body when it opens the file)."""
    body = (f"MIME-Version: 1.0\nContent-Type: text/html\n\n<html><body><p>{text}</p></body></html>"
            if kind == "mht" else "{\\rtf1\\ansi " + text + "\\par}")
    return patch_zip(_docx("Minutes"), {f"word/afchunk.{kind}": body.encode()})


def _odt_with_a_wrong_mimetype(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    raw = io.BytesIO()
    document.save(raw)
    return patch_zip(raw.getvalue(), {"mimetype": b"application/x-archive-of-notes"})


def _zip_comment(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "see the comment")
        archive.comment = text.encode()
    return out.getvalue()


def _gzip_named(text: str) -> bytes:
    """A gzip whose header's original file name (FNAME, RFC 1952) is the text."""
    payload = b"hello\n"
    return (b"\x1f\x8b\x08\x08\0\0\0\0\0\x03" + text.replace("/", "-").encode() + b"\0"
            + zlib.compress(payload)[2:-4] + struct.pack("<II", zlib.crc32(payload), len(payload)))


def _white_on_transparent(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    layer = Image.new("RGBA", (1100, 90), (255, 255, 255, 0))
    font = ImageFont.truetype("DejaVuSans-Bold.ttf", 40)
    ImageDraw.Draw(layer).text((20, 20), text, font=font, fill=(255, 255, 255, 255))
    out = io.BytesIO()
    layer.save(out, "PNG")
    return out.getvalue()


def _percent(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode())


FILES: dict[str, Callable[[str], tuple[str, bytes, str]]] = {
    "docx altChunk (html)": lambda t: ("minutes.docx", _alt_chunk(t, "mht"), "application/octet-stream"),
    "docx altChunk (rtf)": lambda t: ("minutes.docx", _alt_chunk(t, "rtf"), "application/octet-stream"),
    "odt with a wrong mimetype": lambda t: ("notes.zip", _odt_with_a_wrong_mimetype(t), "application/zip"),
    "zip comment": lambda t: ("notes.zip", _zip_comment(t), "application/zip"),
    "gzip header file name": lambda t: ("notes.gz", _gzip_named(t), "application/gzip"),
    "css data: URI, percent-encoded": lambda t: ("style.css", (
        'body { background: url("data:text/plain;charset=utf-8,' + _percent(t) + '") }').encode(),
        "text/css"),
    "svg data: URI, percent-encoded": lambda t: ("figure.svg", (
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="data:text/plain,' + _percent(t)
        + '"/></svg>').encode(), "image/svg+xml"),
    "html numeric character references": lambda t: ("page.html", (
        "<html><body><p>" + "".join(f"&#{ord(c)};" for c in t) + "</p></body></html>").encode(), "text/html"),
    "html bidi override of reversed text": lambda t: ("page.html", (
        '<html><body><p style="unicode-bidi:bidi-override;direction:rtl">' + t[::-1]
        + "</p></body></html>").encode(), "text/html"),
    "html css content": lambda t: ("page.html", (
        '<html><head><style>p::before { content: "' + t + '" }</style></head><body><p>x</p></body></html>'
    ).encode(), "text/html"),
    # The browser shows the attribute's value before the paragraph; no text node holds it.
    "html css content from an attribute": lambda t: ("page.html", (
        '<html><head><style>p[data-note]::before { content: attr(data-note) " " }</style></head>'
        f'<body><p data-note="{t}">x</p></body></html>').encode(), "text/html"),
    # A key of the writer's own in the information dictionary (Word's PDF export writes
    # a document's custom properties there); the page itself is clean.
    "pdf information dictionary, a key of its own": lambda t: ("plan.pdf", _pdf_with_info(
        b"<< /Title (Convoy schedule) /Classification (" + t.encode() + b") >>"), "application/pdf"),
    # White letters on a transparent background: blank on white, legible on a dark theme.
    "png, white text drawn by its transparency alone": lambda t: (
        "label.png", _white_on_transparent(t), "image/png"),
}


@pytest.mark.parametrize("kind", list(FILES))
def test_marking_where_a_reader_finds_it_is_held(gateway, kind, tmp_path):
    for outcome in _mail_and_upload(gateway, *FILES[kind](MARKED_LINE + " convoy orders"), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(FILES))
def test_clean_twin_of_a_reader_found_place_passes(gateway, kind, tmp_path):
    for outcome in _mail_and_upload(gateway, *FILES[kind](CLEAN_LINE + " sandwich orders"), tmp_path):
        assert not outcome.held, outcome.excerpts()


def _letter_per_cell_xlsx(line: str, column: bool = False) -> bytes:
    """A workbook with ``line`` one character per cell along a row (or down a column),
    a blank left as an empty cell."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Quarterly figures"
    for i, char in enumerate(line):
        if char != " ":
            sheet.cell(row=3 + i * column, column=1 + i * (not column), value=char)
    sheet["A40"] = "Figures follow."
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _letter_per_cell_docx(line: str) -> bytes:
    """A Word table of one row, one character of ``line`` per cell."""
    document = docx.Document()
    document.add_paragraph("Quarterly figures")
    table = document.add_table(rows=1, cols=len(line))
    for i, char in enumerate(line):
        table.cell(0, i).text = char.strip()
    document.add_paragraph("Figures follow.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A table shows the letters side by side as a word; its extractors put a tab between cells.
CELLS: dict[str, Callable[[str], tuple[str, bytes, str]]] = {
    "xlsx, along a row": lambda t: ("figures.xlsx", _letter_per_cell_xlsx(t), XLSX),
    "xlsx, down a column": lambda t: ("figures.xlsx", _letter_per_cell_xlsx(t, column=True), XLSX),
    "docx table row": lambda t: ("figures.docx", _letter_per_cell_docx(t), DOCX),
}


@pytest.mark.parametrize("kind", list(CELLS))
def test_marking_spread_one_letter_per_cell_is_held(gateway, kind, tmp_path):
    for outcome in _mail_and_upload(gateway, *CELLS[kind](MARKED_LINE), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(CELLS))
def test_clean_line_one_letter_per_cell_passes(gateway, kind, tmp_path):
    for outcome in _mail_and_upload(gateway, *CELLS[kind](CLEAN_LINE), tmp_path):
        assert not outcome.held, outcome.excerpts()


def _body_in(charset: str, text: str) -> EmailMessage:
    message = _text_mail("x")
    message.set_content(text.encode(charset), maintype="text", subtype="plain", cte="base64")
    message.replace_header("Content-Type", f"text/plain; charset={charset}")
    return message


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


BODIES: dict[str, Callable[[str], EmailMessage]] = {
    "EBCDIC (cp500)": lambda t: _body_in("cp500", t),
    "UTF-7": lambda t: _body_in("utf-7", t),
    "Cyrillic and Greek look-alikes": lambda t: _text_mail(
        t.replace("O", "\u041e").replace("E", "\u0395").replace("C", "\u0421")),
    "zero-width joiners and word joiners in the words": lambda t: _text_mail(
        t.replace("SEC", "SE\u200dC").replace("RET", "R\u2060ET").replace("NOF", "N\u200cOF")),
    "full-width letters": lambda t: _text_mail(_fullwidth(t)),
    "a combining stroke on every letter": lambda t: _text_mail("".join(c + "\u0336" for c in t)),
    "right-to-left override of reversed lines": lambda t: _text_mail(
        "\n".join("\u202e" + line[::-1] + "\u202c" for line in t.splitlines())),
    # Unseen in a mail reader: ASCII written in tag characters after a visible word.
    "Unicode tag characters": lambda t: _text_mail("Thanks!" + "".join(chr(0xE0000 + ord(c)) for c in t)),
    # Unseen too: one variation selector per byte after an emoji ("emoji smuggling").
    "variation selectors after an emoji": lambda t: _text_mail(
        "Thanks! \U0001F600" + "".join(chr(0xFE00 + b) if b < 16 else chr(0xE0100 + b - 16)
                                        for b in t.encode())),
}


@pytest.mark.parametrize("kind", list(BODIES))
def test_marked_body_in_unicode_or_charset_disguise_is_held(gateway, kind):
    outcome = gateway.mail(BODIES[kind](MEMO))
    assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(BODIES))
def test_clean_body_in_the_same_disguise_passes(gateway, kind):
    outcome = gateway.mail(BODIES[kind](CLEAN))
    assert not outcome.held, outcome.excerpts()


def test_subject_in_a_utf7_encoded_word_is_held(gateway):
    message = _text_mail("see subject")
    encoded = MARKED_LINE.encode("utf-7").decode().replace(" ", "_")
    message.replace_header("Subject", f"=?utf-7?Q?{encoded}?=")
    assert _held_for_marking(gateway.mail(message))


@pytest.mark.parametrize("name", [
    MARKED_LINE.replace("/", "-") + ".txt",
    MARKED_LINE.replace("/", "-").replace("E", "\u0415") + ".txt",  # Cyrillic Ie
    _fullwidth(MARKED_LINE.replace("/", "-")) + ".txt",
])
def test_marking_only_in_an_attachments_file_name_is_held(gateway, name):
    outcome = _attached(gateway, name, b"convoy notes\n", "text/plain")
    assert outcome.held, outcome.excerpts()
    assert any(hit["category"] == "classification" for hit in outcome.hits), outcome.excerpts()


# -- a PDF's JavaScript, and what still passes -----------------------------------------------

def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with its xref table."""
    return pdf_file(objects, header=b"%PDF-1.4\n")


def _pdf_open_action(text: str) -> bytes:
    """A blank page whose OpenAction runs JavaScript that shows ``text`` (a JS string in a
    compressed stream, as Acrobat writes a document script)."""
    script = zlib.compress(f"app.alert({text!r});".encode())
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                 b"<< /S /JavaScript /JS 5 0 R >>",
                 b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(script) + script + b"\nendstream"])


@pytest.mark.parametrize("text", [MARKED_LINE + " - convoy orders follow", "Thank you for your order"])
def test_what_a_pdfs_opening_javascript_shows_is_read(gateway, text, tmp_path):
    for outcome in _mail_and_upload(gateway, "form.pdf", _pdf_open_action(text), "application/pdf", tmp_path):
        assert outcome.held == (text != "Thank you for your order"), outcome.excerpts()
        if outcome.held:
            assert _held_for_marking(outcome) and any("#javascript" in h["where"] for h in outcome.hits)


HEADERLESS: dict[str, Callable[[bytes], bytes]] = {
    "raw deflate": lambda data: zlib.compress(data)[2:-4],  # PHP gzdeflate, .NET DeflateStream
    "raw LZMA2": lambda data: lzma.compress(data, format=lzma.FORMAT_RAW,
                                            filters=[{"id": lzma.FILTER_LZMA2}]),
}


@pytest.mark.parametrize("kind", list(HEADERLESS))
def test_memo_as_a_headerless_compressed_stream_is_held_for_its_marking(gateway, kind, tmp_path):
    data = HEADERLESS[kind](MEMO.encode())
    for outcome in _mail_and_upload(gateway, "notes.bin", data, "application/octet-stream", tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(HEADERLESS))
def test_clean_memo_as_a_headerless_compressed_stream_passes(gateway, kind, tmp_path):
    data = HEADERLESS[kind](CLEAN.encode())
    for outcome in _mail_and_upload(gateway, "notes.bin", data, "application/octet-stream", tmp_path):
        assert not outcome.held, outcome.excerpts()


def _od(data: bytes, kind: str) -> str:
    return subprocess.run(["od", "-An", "-v", kind], input=data, capture_output=True,
                          check=True).stdout.decode()


WORDS = {"od -td2 (signed 16-bit words)": "-td2", "od -tu4 (32-bit words)": "-tu4",
         "od -tu2 (16-bit words)": "-tu2"}


@pytest.mark.parametrize("kind", list(WORDS))
def test_docx_written_as_words_is_held_for_its_marking(gateway, kind):
    outcome = _attached(gateway, "notes.txt", _od(_docx(MARKED_LINE), WORDS[kind]).encode(), "text/plain")
    assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(WORDS))
def test_clean_docx_written_as_words_passes(gateway, kind):
    outcome = _attached(gateway, "notes.txt", _od(_docx(CLEAN_LINE), WORDS[kind]).encode(), "text/plain")
    assert not outcome.held, outcome.excerpts()


STILL_PASSING: dict[str, Callable[[Listeners], Outcome]] = {
    "memo line as hex": lambda g: g.mail(_text_mail(MEMO.encode()[:60].hex())),
    "memo line percent-encoded": lambda g: g.mail(_text_mail(_percent(MEMO[:60]))),
}


@pytest.mark.parametrize("kind", list(STILL_PASSING))
@pytest.mark.xfail(strict=True, reason="still passes; see docs/coverage.md")
def test_marked_memo_in_a_place_redline_does_not_read(gateway, kind):
    assert STILL_PASSING[kind](gateway).held
