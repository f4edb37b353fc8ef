"""The whole-text pretests of long texts give the answers of the plain searches they stand for."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import random

import numpy as np

from filters import embedded, framed_encodings
from filters.extract.text import TABLE_BLOCK_ROWS, table_text
from filters.normalise import count_char


def _texts(alphabet: list[str], rng: random.Random, length: int, count: int) -> list[str]:
    return ["".join(rng.choice(alphabet) for _ in range(length)) for _ in range(count)]


def test_count_char_is_str_count_for_long_and_short_texts() -> None:
    rng = random.Random(1)
    for text in [*_texts(["a", "|", "=", "é", "\n", "机"], rng, 70_000, 4), "", "|", "ab"]:
        for char in "|=x":
            assert count_char(text, char) == text.count(char)


def test_holds_is_a_plain_search() -> None:
    rng = random.Random(2)
    alphabet = [chr(c) for c in range(32, 127)] + ["data:", "DaTa:", "-----BEGIN ", "----BEGIN ", "é"]
    for text in _texts(alphabet, rng, 400, 400):
        encoded = text.encode()
        assert embedded._holds(encoded, b"data:", 4, fold=True) == (b"data:" in encoded.lower())
        assert embedded._holds(encoded, b"-----BEGIN ", 5) == (b"-----BEGIN " in encoded)


def test_mixed_windows_count_each_window_apart() -> None:
    rng = random.Random(3)
    # Prose with a few mixed tokens and "=": windows on both sides of the thresholds.
    for filler in range(5, 60, 6):
        for tail in (0, 1, 2, 1000):
            text = "".join(rng.choice(["the cat "] * filler + ["1A", "9Q=l", "UUl", "x7"])
                           for _ in range(12_000))
            encoded = text.encode()[:embedded.UNREAD_WINDOW * 40 + tail]
            starts = np.arange(0, len(encoded), embedded.UNREAD_WINDOW)
            got = embedded._mixed_windows(encoded, np.frombuffer(encoded, dtype=np.uint8), starts)
            want = [embedded._mixed(encoded, s, encoded[s:s + embedded.UNREAD_WINDOW]
                                    .translate(embedded._CLASS_TABLE)) for s in starts.tolist()]
            assert got.tolist() == want


def _folded(text: str) -> str | None:
    """What table_text made of every table, cell by cell."""
    dialect = csv.Sniffer().sniff(text[:16384], delimiters=",;\t|")
    rows = ["\t".join(" ".join(cell.split()) for cell in row)
            for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    return "\n".join(rows) + "\n"


def test_table_text_folds_blanks_in_cells_as_before() -> None:
    rng = random.Random(4)
    odd = ["  two", " lead", "trail ", "no\u00a0break", '"a\tb"', '"line\nbreak"', "form\x0cfeed", ""]
    for share in (0.0, 0.001, 0.05):
        rows = [f"{i},Customer {i},{rng.choice(odd) if rng.random() < share else 'paid in full'},"
                f"{rng.randint(1, 999)}.{rng.randint(10, 99)}" for i in range(TABLE_BLOCK_ROWS * 2 + 7)]
        text = "id,name,note,amount\n" + "\n".join(rows) + "\n"
        assert table_text(text) == _folded(text)


def test_no_space_lies_past_the_last_one_the_table_fold_looks_for():
    import sys

    from filters.extract import text

    beyond = [c for c in map(chr, range(text.LAST_SPACE + 1, sys.maxunicode + 1)) if c.isspace()]
    assert beyond == []
    assert "\u3000" in text._OTHER_SPACES and "\xa0" in text._OTHER_SPACES


def test_table_text_of_unquoted_tables_is_the_readers(monkeypatch) -> None:
    """Tables read without the CSV reader (no quote, no lone CR) come out as the reader
    makes them: line ends, empty lines, blanks, other delimiters and over-long cells."""
    from filters.extract import text as text_module

    rng = random.Random(5)
    plain = ["paid", "in full", "12.50", "机密", "é", "it's"]
    odd = ["", " lead", "trail ", "two  blanks", "a\tb", "no\u00a0break", "x;y", "q|r", "\x00",
           '"quoted"', 'say "hi"', "back\\slash", "cr\rhere", "x" * 140_000]
    texts = []
    for delimiter in (",", ";", "\t", "|"):
        for ending in ("\n", "\r\n", "\r"):
            rows = [delimiter.join(rng.choice(plain) for _ in range(5)) for _ in range(300)]
            body = ending.join([delimiter.join(["id", "name", "a", "b", "c"]), *rows])
            texts += [body, body + ending, body + ending * 3, ending + body,
                      body.replace(ending, ending * 2, 5)]
            for cell in odd:  # one odd cell in a plain table, the only thing to tell
                at = rng.randrange(100, len(rows))
                cells = rows[at].split(delimiter)
                cells[rng.randrange(len(cells))] = cell
                texts.append(ending.join([*rows[:at], delimiter.join(cells), *rows[at + 1:]]) + ending)
    texts += [" a,b\nc,d\n", "a,b\nc,d ", "a,b\nc,d \n", "a,b\nc,d", "a,b\n", "a,b\nc,d\r\ne,f\n",
              "a,b\n1,2\n" + "x" * 140_000 + ",3\n"]
    read = {text: table_text(text) for text in texts}
    taken = 0
    for text in texts:  # the plain-cell test without NumPy (short tables) agrees
        try:
            dialect = csv.Sniffer().sniff(text[:16384], delimiters=",;\t|")
        except csv.Error:
            continue
        unquoted = text_module._unquoted_table(text, dialect, True)
        assert text_module._unquoted_table(text, dialect, False) == unquoted
        taken += unquoted is not None
    assert taken > len(texts) // 4  # the reader is passed over, not always asked
    monkeypatch.setattr(text_module, "_unquoted_table", lambda text, dialect, vectors: None)
    for text, got in read.items():
        assert got == table_text(text), text[:80]
    assert read["a,b\nc,d"] == "a\tb\nc\td\n" and read["a,b\nc,d\r\ne,f\n"] == "a\tb\nc\td\ne\tf\n"


def test_framed_pretest_lets_every_framed_block_through() -> None:
    """``_searches(text).framed`` is False only where framed_encodings.blocks finds nothing:
    each opening at a text's start, middle and end, in short texts and in long ones (the
    NumPy path), beside lookalikes that open nothing."""
    memo = b"TOP SECRET memo\n"
    frames = (
        "begin 644 memo.txt\n" + binascii.b2a_uu(memo).decode() + "`\nend\n",
        "=ybegin line=128 size=16 name=memo.txt\n"
        + bytes((b + 42) & 0xFF for b in memo).decode("latin-1") + "\n=yend size=16\n",
        "<~" + base64.a85encode(memo).decode() + "~>",
    )
    rng = random.Random(7)
    for size in (200, 300_000):
        filler = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz XY\n") for _ in range(size))
        for frame in frames:
            for at in (0, size // 2, size):
                text = filler[:at] + "\n" + frame + filler[at:]
                assert list(framed_encodings.blocks(text)), frame[:10]
                assert embedded._searches(text).framed, (frame[:10], size, at)
        for lookalike in ("we begin today", "a = b", "~tilde~", "x <y"):
            text = filler + lookalike
            assert not list(framed_encodings.blocks(text))
            assert embedded._searches(text).framed == (
                "begin " in text or "=ybegin" in text or "<~" in text)


def _dialect(sniffer: csv.Sniffer, sample: str) -> tuple | None:
    try:
        found = sniffer.sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return None
    return (found.delimiter, found.quotechar, found.doublequote, found.skipinitialspace)


def test_table_sniffer_answers_as_csv_sniffer() -> None:
    """The quicker sniffer table_text asks gives csv.Sniffer's dialect (or its error) for
    tables with and without quotes, each delimiter, blanks after delimiters, ragged rows
    and prose."""
    from filters.extract.text import _QuickSniffer

    rng = random.Random(6)
    cells = ["paid", "in full", "12.50", "it's", '"quoted"', '"a, b"', "'single'", "x:y", "a b",
             "", "O'Brien", '"say ""hi"""', "机密", "9", "-"]
    samples = []
    for delimiter in (",", ";", "\t", "|", ":", " "):
        for blank in ("", " "):
            for quotes in (False, True):
                for ragged in (0.0, 0.05, 0.4):
                    pool = cells if quotes else [c for c in cells if '"' not in c and "'" not in c]
                    rows = []
                    for _ in range(rng.choice((1, 3, 12, 40, 400))):
                        width = 5 + (rng.randrange(3) if rng.random() < ragged else 0)
                        rows.append((delimiter + blank).join(rng.choice(pool) for _ in range(width)))
                    samples.append("\n".join(rows)[:16384])
    samples += ["", "\n\n", "one line of prose, with a comma; and a semicolon",
                "Dear team,\nthe figures: 12; 14 | 15\nRegards,\nAnn\n", "a,b\nc\nd,e,f\n"]
    for sample in samples:
        assert _dialect(_QuickSniffer(), sample) == _dialect(csv.Sniffer(), sample), sample[:120]
    assert sum(_dialect(csv.Sniffer(), s) is None for s in samples) > 0
