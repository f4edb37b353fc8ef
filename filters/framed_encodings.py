"""Binary-to-text encodings that mark where they start and end, read back to their bytes:
uuencode and xxencode (``begin 644 NAME`` … ``end``), yEnc (``=ybegin`` … ``=yend``) and
Adobe's ascii85 (``<~`` … ``~>``).

Their frames say what they are, so a block is decoded however short it is: an unframed
stretch of such text is left to the judge of encoded text (filters/embedded.py), which
holds it only from about 4,000 characters on, and a marked memo encodes to fewer.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

MAX_BLOCKS = 16  # blocks decoded from one text; the rest are left to the judge
_UU_BEGIN = re.compile(r"(?m)^begin [0-7]{3,4} [^\r\n]*\r?\n")
_UU_END = re.compile(r"(?m)^end[ \t]*\r?$")
_YENC_BEGIN = re.compile(r"(?m)^=ybegin [^\r\n]*\r?\n(?:=ypart [^\r\n]*\r?\n)?")
_YENC_END = re.compile(r"(?m)^=yend\b")
_ASCII85 = re.compile(r"<~([!-u\sz]{5,}?)~>")
# xxencode's alphabet, mapped onto uuencode's (the same code, other characters).
_XX_TO_UU = str.maketrans("+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                          "`" + "".join(chr(32 + i) for i in range(1, 64)))


def _uu_lines(lines: list[str]) -> bytes | None:
    out = bytearray()
    for line in lines:
        line = line.rstrip("\r")
        if not line:
            continue
        if not line.isascii():  # no uuencode (a2b_uu refuses such a str outright)
            return None
        # The first character gives the line's byte count, which fixes its length (four
        # characters per three bytes; encoders may strip trailing blanks or add a check
        # character): words that happen to follow a "begin" line are no uuencode.
        expected = 1 + (((ord(line[0]) - 32) & 63) + 2) // 3 * 4
        if not expected - 2 <= len(line) <= expected + 1:
            return None
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            return None
    return bytes(out)


def _uudecode(body: str) -> tuple[str, bytes | None]:
    """uuencode's lines, or xxencode's (a line of 45 bytes starts with "M" or "h")."""
    lines = body.split("\n")
    decoded = _uu_lines(lines)
    if decoded is None or (lines and lines[0][:1] == "h"):
        xx = _uu_lines([line.translate(_XX_TO_UU) for line in lines])
        if xx is not None:
            return "xxencode", xx
    return "uuencode", decoded


_YENC_PLAIN = bytes((b - 42) & 0xFF for b in range(256))
_YENC_ESCAPED = bytes((b - 106) & 0xFF for b in range(256))  # "=" then the byte + 64


def _ydecode(body: str) -> bytes:
    raw = body.encode("latin-1", "replace").replace(b"\r", b"").replace(b"\n", b"")
    pieces = raw.split(b"=")
    # Each "=" escapes the byte after it: the first byte of every piece but the first.
    out = [pieces[0].translate(_YENC_PLAIN)]
    out.extend(piece[:1].translate(_YENC_ESCAPED) + piece[1:].translate(_YENC_PLAIN)
               for piece in pieces[1:])
    return b"".join(out)


def _frames(text: str, begin_re: re.Pattern[str], end_re: re.Pattern[str]
            ) -> Iterator[tuple[int, int, int, int]]:
    """(start, body start, body end, end) of each frame; one without its end line runs to
    the end of the text and is the last. The search goes on after each frame's end, so a
    text of many begin lines and no end costs one pass, not one per line."""
    position = 0
    while (begin := begin_re.search(text, position)) is not None:
        end = end_re.search(text, begin.end())
        if end is None:
            yield begin.start(), begin.end(), len(text), len(text)
            return
        yield begin.start(), begin.end(), end.start(), end.end()
        position = end.end()


def blocks(text: str) -> Iterator[tuple[tuple[int, int], str, bytes]]:
    """((start, end), kind, decoded bytes) of each framed block in ``text``."""
    found = 0
    if "begin " in text:
        for start, body, body_end, end in _frames(text, _UU_BEGIN, _UU_END):
            if end == len(text) and body_end == end:
                break  # no "end" line: the mail reader reports a cut-off file; no guess here
            kind, decoded = _uudecode(text[body:body_end])
            if decoded:
                found += 1
                yield (start, end), kind, decoded
                if found >= MAX_BLOCKS:
                    return
    if "=ybegin" in text:
        for start, body, body_end, end in _frames(text, _YENC_BEGIN, _YENC_END):
            # yEnc writes raw bytes, which a mail reader decodes as Latin-1 or replaces.
            decoded = _ydecode(text[body:body_end])
            if decoded:
                found += 1
                yield (start, end), "yenc", decoded
                if found >= MAX_BLOCKS:
                    return
    if "<~" in text:
        for match in _ASCII85.finditer(text):
            try:
                decoded = base64.a85decode(match.group(), adobe=True, ignorechars=b" \t\n\r\v\f")
            except ValueError:
                continue
            if decoded:
                found += 1
                yield match.span(), "ascii85", decoded
                if found >= MAX_BLOCKS:
                    return
