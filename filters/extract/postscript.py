"""PostScript and EPS: the strings a program shows, its DSC comments, and a hold when its
text is drawn from encoded streams that only a PostScript interpreter could read.

A program written by a text formatter (enscript, a2ps, troff, many older applications)
shows its text as literal strings: ``(TOP SECRET//NOFORN) show``. Ghostscript's ps2write
and eps2write, and printer drivers, put each page in an ASCII85- and Flate-encoded
stream drawn with embedded fonts whose glyph codes are not characters: without
rendering the page there is no text to read, so such a file is held as uninspectable
rather than passed unread. A drawing with no fonts (a logo, a chart drawn as paths) has
no text to hide and is read for its strings only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from filters.extract.text import decode_text
from filters.limits import Budget
from filters.types import Defect, Part

# DSC header comments that carry words (%%Title: is the document's title).
_DSC = re.compile(rb"^%%(Title|For|Creator|Subject|Keywords|Author|Company):[ \t]*(.{1,500})$",
                  re.MULTILINE)
# Data read from the program itself (currentfile) through a decoding filter, encoded
# streams in the PDF-like objects ps2write embeds (<</Filter[/ASCII85Decode ...]>>stream),
# or an encrypted font program (eexec).
_DECODE = rb"/(?:ASCII85Decode|A85|ASCIIHexDecode|AHx|FlateDecode|Fl|LZWDecode|LZW|RunLengthDecode)\b"
_ENCODED_PROGRAM = re.compile(
    rb"currentfile\b.{0,200}?" + _DECODE + rb"|/Filter\s*\[?\s*" + _DECODE
    + rb"|/(?:ASCII85Decode|FlateDecode)\s+filter|\beexec\b", re.DOTALL)
_USES_FONTS = re.compile(rb"\b(?:findfont|selectfont|definefont)\b|/FontType\b")
_ESCAPES = {ord("n"): "\n", ord("r"): "\r", ord("t"): "\t", ord("b"): "\b", ord("f"): "\f",
            ord("("): "(", ord(")"): ")", ord("\\"): "\\"}
MAX_STRINGS = 200_000


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """DSC properties and the program's literal strings; a hold for encoded page text."""
    data = budget.read_part(part)
    for match in _DSC.finditer(data):
        name = match.group(1).decode("ascii").lower()
        value = decode_text(match.group(2).strip(b"()\r"))[0].strip()
        if value and value.lower() not in ("none", "(none)"):
            yield budget.child(part, f"#dsc.{name}", text=value, role="property", name=name)
    lines = list(literal_strings(data, budget))
    if lines:
        yield budget.child(part, "", text="\n".join(lines), role="body")
    if _ENCODED_PROGRAM.search(data) and _USES_FONTS.search(data):
        yield Defect("extract.uninspectable", "high",
                     "PostScript draws its text from encoded streams with embedded fonts "
                     "(as Ghostscript's ps2write and printer drivers write it), which cannot "
                     "be read as text without rendering the pages", where=part.origin)


def literal_strings(data: bytes, budget: Budget) -> Iterator[str]:
    """Each ``(...)`` string of the program outside comments, escapes decoded (balanced
    parentheses nest, \\ddd is an octal byte), decoded as text."""
    pos = 0
    end = len(data)
    found = 0
    while pos < end:
        start = data.find(b"(", pos)
        if start < 0:
            return
        comment = data.rfind(b"%", data.rfind(b"\n", 0, start) + 1, start)
        if comment >= 0:  # inside a comment line: go to the next line
            newline = data.find(b"\n", start)
            pos = end if newline < 0 else newline + 1
            continue
        out = bytearray()
        depth = 1
        i = start + 1
        while i < end and depth:
            byte = data[i]
            if byte == 0x5C and i + 1 < end:  # backslash
                nxt = data[i + 1]
                if 0x30 <= nxt <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", data[i + 1:i + 4])
                    out.append(int(digits.group(), 8) & 0xFF)  # type: ignore[union-attr]
                    i += 1 + len(digits.group())  # type: ignore[union-attr]
                    continue
                if nxt in (0x0A, 0x0D):  # a line continuation
                    i += 2
                    continue
                out += _ESCAPES.get(nxt, chr(nxt)).encode("latin-1")
                i += 2
                continue
            if byte == 0x28:
                depth += 1
            elif byte == 0x29:
                depth -= 1
                if not depth:
                    break
            out.append(byte)
            i += 1
        pos = i + 1
        found += 1
        if not found & 1023:
            budget.check_time()
        if found > MAX_STRINGS:
            budget.note_limit("max_text_chars")
            return
        text = decode_text(bytes(out))[0].strip()
        if text:
            yield text
