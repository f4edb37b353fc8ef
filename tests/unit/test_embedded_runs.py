"""Which runs of base64 characters inside text are decoded as embedded payloads."""

from __future__ import annotations

import base64
import hashlib
import random
import subprocess
import uuid

import pytest
from fixtures.validation_sets import validation_set, words_in_rows

from filters import embedded, number_lists, unframed_encodings
from filters.build import build_pipeline
from filters.normalise import COUNT_VECTOR_CHARS


def _labels(text: str) -> list[str]:
    return [label for label, _, _ in embedded.payloads(text)]


def test_base64_of_a_file_inside_prose_is_decoded():
    value = base64.b64encode(b"SECRET//NOFORN minutes of the meeting, 42 pages " * 20).decode()
    found = list(embedded.payloads(f"Here it is: {value} thanks"))
    assert [label for label, _, _ in found] == ["#base64[1]"]
    assert found[0][1].startswith(b"SECRET//NOFORN")


def test_a_megabyte_of_one_letter_is_filler_not_base64():
    # No digits and one case: a line of filler, not an encoded file.
    assert _labels("X" * 1_000_000) == []
    assert _labels("x" * 1_000) == []


def test_long_identifiers_and_paths_are_not_base64():
    assert _labels("0001-fix-parsing-of-the-header-block-when-folded-twice-v2.patch") == []
    assert _labels("SomeVeryLongCamelCaseIdentifierNameWithoutAnyDigitsInsideIt") == []
    assert _labels("doc/contributing/2024/guide/part1/section2/chapter3/notes4.md") == []


def test_a_run_with_digits_and_both_cases_is_decoded_whatever_its_length():
    # The counts decide, not the length: the same shape at 40 characters and at 400 KB.
    short = "q8Zr2Lw0Yt5NbX1vKc7HsJd3Pf9GmRa4Ue6Wn0Bk"
    assert len(short) == 40
    assert _labels(f"token {short} end") == ["#base64[1]"]
    long = base64.b64encode(bytes(range(256)) * 1200).decode()
    assert _labels(long) == ["#base64[1]"]


def test_each_search_still_finds_its_own_kind_in_a_megabyte_of_filler():
    # The data: URL and hex searches run only where their mark or run is present: placed
    # after a megabyte of filler lines, each is still found.
    filler = "".join(f"{i % 10}" + "X" * 77 + "\r\n" for i in range(12_800))
    document = b"SECRET//NOFORN minutes of the meeting, 42 pages "
    hex_value = (document * 3).hex()
    url = "data:text/plain;base64," + base64.b64encode(document).decode()
    found = list(embedded.payloads(f"{filler}see {hex_value} and {url} end"))
    assert [(label, data) for label, data, _ in found] == [
        ("#data-url[1]", document), ("#hex[2]", document * 3)]


def test_a_data_url_written_in_capitals_is_read_even_when_short():
    # The expression ignores case; a short value has no base64 run to draw attention.
    found = list(embedded.payloads("see DATA:text/plain,Top%20Secret here"))
    assert [(label, data) for label, data, _ in found] == [("#data-url[1]", b"Top Secret")]


# The body Postfix's smtp-source sends: numbered lines of one letter.
FILLER_LINES = "".join(f"{i % 10}" + "X" * 77 + "\r\n" for i in range(12_800))
DOCUMENT = b"SECRET//NOFORN minutes of the meeting, 42 pages of figures follow. " * 40


def _wrapped(value: bytes, width: int = 76) -> str:
    encoded = base64.b64encode(value).decode()
    return "\r\n".join(encoded[i:i + width] for i in range(0, len(encoded), width))


def test_lines_of_one_letter_and_line_numbers_are_filler():
    assert _labels(FILLER_LINES) == []
    assert _labels(FILLER_LINES.replace("X", "=")) == []


def test_base64_written_straight_after_filler_lines_is_still_decoded():
    # No blank line between them: filler and value are one run of base64 characters,
    # and the filler alone would make the whole run read as no encoding at all.
    found = list(embedded.payloads(FILLER_LINES + _wrapped(DOCUMENT) + "\r\n"))
    assert [(label, data) for label, data, _ in found] == [("#base64[1]", DOCUMENT)]
    # The same between two blocks of filler, and after a long stretch on its own line.
    found = list(embedded.payloads(FILLER_LINES + _wrapped(DOCUMENT) + "\r\n" + FILLER_LINES))
    assert [data for _, data, _ in found] == [DOCUMENT]
    found = list(embedded.payloads("Y" * 500_000 + base64.b64encode(DOCUMENT).decode()))
    assert [data for _, data, _ in found] == [DOCUMENT]


def test_base64_of_a_file_with_a_run_of_zeros_is_decoded_whole():
    # Its "AAAA…" lines are filler to the eye, but the value looks encoded as a whole.
    value = DOCUMENT + bytes(6_000) + DOCUMENT
    found = list(embedded.payloads(_wrapped(value)))
    assert [(label, data) for label, data, _ in found] == [("#base64[1]", value)]


def test_a_value_whose_only_two_digits_are_at_its_ends_is_decoded():
    # The fewest digits an encoded value may have (one in DIGIT_SHARE), as far apart as
    # they can be: the memory-speed digit check must still let the run search look.
    value = "1qZrXLwkYtmNbXovKcaHsJdePfhGmRasUeiWnoB2"
    assert len(value) == embedded.MIN_BASE64_CHARS
    assert _labels(f"token {value} end") == ["#base64[1]"]


def test_text_without_two_digits_close_together_skips_the_run_search():
    # Numbered lines of one letter: runs of base64 characters everywhere, but no value
    # in them can hold the digits an encoded value has.
    assert embedded._searches(FILLER_LINES).base64 is False
    assert embedded._searches("Z" * 100 + "7" + "Z" * 100).base64 is False
    assert embedded._searches(_wrapped(DOCUMENT)).base64 is True


def test_the_digit_check_never_changes_what_is_found(monkeypatch):
    import random

    rng = random.Random(7)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    texts = [FILLER_LINES[:20_000], FILLER_LINES[:8_000] + _wrapped(DOCUMENT)]
    for _ in range(200):
        # Runs of letters with a digit every few to every fifty characters, some of which
        # look encoded and some not, on lines of varied width.
        digits_every = rng.randint(3, 50)
        run = "".join(rng.choice("0123456789") if i % digits_every == 0 else rng.choice(letters)
                      for i in range(rng.randint(30, 400)))
        width = rng.randint(20, 90)
        texts.append("note: " + "\r\n".join(run[i:i + width] for i in range(0, len(run), width)))
    expected = [list(embedded.payloads(text)) for text in texts]
    monkeypatch.setattr(embedded, "_digits_close", lambda encoded: True)
    assert [list(embedded.payloads(text)) for text in texts] == expected
    assert any(expected) and not all(expected)


# -- hex dumps ------------------------------------------------------------------------------

_DUMPED = bytes(range(256)) * 3 + b"PK\x03\x04 tail of the file, 37 bytes long."


def _run(*command: str, data: bytes = _DUMPED) -> str:
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def _hexdumps(text: str) -> list[bytes]:
    return [data for label, data, _ in embedded.payloads(text) if label.startswith("#hexdump")]


@pytest.mark.parametrize("command", [
    ("xxd",), ("xxd", "-p"), ("xxd", "-u"), ("xxd", "-g", "1"), ("xxd", "-g", "4"),
    ("od", "-x"), ("od", "-An", "-tx1"), ("od", "-Ax", "-tx1"), ("hexdump", "-C"), ("hexdump",),
])
def test_the_output_of_common_hex_dump_tools_is_decoded_into_its_bytes(command):
    assert _hexdumps(_run(*command)) == [_DUMPED]


def test_repeated_lines_written_as_a_star_are_restored():
    data = b"\x7fELF" + b"\0" * 4096 + b"after the zeros, some text " * 4
    assert "*" in _run("hexdump", "-C", data=data).split()
    assert _hexdumps(_run("hexdump", "-C", data=data)) == [data]
    assert _hexdumps(_run("od", "-x", data=data)) == [data]


@pytest.mark.parametrize("width", [2, 4, 8])
@pytest.mark.parametrize("upper", [True, False])
def test_hex_in_groups_is_decoded_in_either_case(width, upper):
    digits = _DUMPED.hex().upper() if upper else _DUMPED.hex()
    groups = [digits[i:i + width] for i in range(0, len(digits), width)]
    text = "\n".join(" ".join(groups[i:i + 64 // width]) for i in range(0, len(groups), 64 // width))
    assert _hexdumps(f"Here is the file:\n\n{text}\n\nregards") == [_DUMPED]


def test_an_xxd_ascii_column_that_looks_like_hex_is_not_read_as_bytes():
    data = b"e Xface cafe bee" * 40  # ASCII columns "e Xface cafe bee": hex words in it
    assert _hexdumps(_run("xxd", data=data)) == [data]


def test_hashes_identifiers_and_tables_are_not_hex_dumps():
    digests = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(200)]
    ordinary = [
        "\n".join(f"{d}  docs/file{i}.txt" for i, d in enumerate(digests)),  # sha256sum
        "\n".join(digests),  # a bare list of digests
        "\n".join(d[:40] for d in digests),  # git rev-list
        "\n".join(f"commit {d[:40]}\nAuthor: A <a@example.org>\n\n    fix {i}\n"
                  for i, d in enumerate(digests)),
        "\n".join(str(uuid.UUID(d[:32])) for d in digests),
        "\n".join(f".c{i} {{ color: #{d[:6]}; }}" for i, d in enumerate(digests)),
        "\n".join(f"eth{i}  {':'.join(d[j:j + 2] for j in range(0, 12, 2))}  up"
                  for i, d in enumerate(digests)),
        "\n".join(" ".join(str(1000 + (i * 37 + j * 11) % 9000) for j in range(8)) for i in range(200)),
    ]
    for text in ordinary:
        assert _hexdumps(text) == [], text[:80]


def test_offsets_that_do_not_advance_by_the_bytes_of_each_line_are_no_offset_column():
    # Octal, hex, or neither: with wrong offsets the first column is a group like the rest.
    lines = [f"{i * 7:07o} " + " ".join(f"{(i * 16 + j) * 2654435761 % 65536:04x}" for j in range(8))
             for i in range(40)]
    assert [len(data) for data in _hexdumps("\n".join(lines))] == []


def test_a_table_of_code_points_in_groups_of_four_is_not_a_hex_dump():
    # Perl's Unicode::Collate CJK tables: characters by code point, four digits each.
    codes = [f"{0x4E00 + (i * 2654435761) % 0x51A0:04X}" for i in range(2000)]
    table = "\n".join(" ".join(codes[i:i + 3]) for i in range(0, len(codes), 3))
    assert _hexdumps(table) == []


@pytest.mark.parametrize("filler", ["X", "prose with words ", "é中\ud800 "])
def test_code_point_marks_are_counted_alike_in_short_and_long_texts(filler):
    # Long texts are counted by NumPy on their UTF-8, short ones by str.count: the same
    # counts, marks at either end, split by non-ASCII characters or lone surrogates.
    marks = "<U20AC> U+00E9 \\u4e2d \\U0001F600 uni00A0 0x41 <U U+ \\ un 0"
    for length in (5_000, embedded.NUMPY_CHARS + 7):
        body = (filler * length)[:length]
        text = marks + body + marks + "é" + marks[:-1]
        expected = sum(map(text.count, embedded._CODEPOINT_MARKS))
        assert embedded._codepoint_marks(text) == expected >= 3 * 8  # 8 in each ``marks``
        # The bounds that spare a text its six counts are never below them.
        assert embedded._codepoint_marks_at_most(text) >= expected
        assert embedded._codepoint_marks_bound(text) >= expected
        # Marks sharing their signs ("<U+", "\\uni", "0x0x"): each still has one of its own.
        crowded = text + "<U+0041 \\uni0042 0x0x43 U+U+ <U<U " * 50
        expected = sum(map(crowded.count, embedded._CODEPOINT_MARKS))
        assert embedded._codepoint_marks_bound(crowded) >= expected == embedded._codepoint_marks(crowded)


def _has_dump_needle(encoded: bytes) -> bool:
    shapes = b"n" + encoded.translate(embedded._DUMP_TABLE)
    return any(needle in shapes for needle in embedded._DUMP_NEEDLES)


@pytest.mark.parametrize("line", [
    "0123456789abcdef0123456789ABCDEF",  # a continuous dump line (xxd -p)
    "0123456789abcdef0123456789ABCDE",  # one digit short
    "0123456789abcdef0123456789ABCDEFX",
    "00 11 22 33 44 55 66 77",  # grouped
    "X\tab\tcd\tef\t01\t23\t45",
])
@pytest.mark.parametrize("where", ["start", "lf", "cr", "end"])
def test_the_dump_pretest_passes_every_text_that_may_hold_a_dump(line, where):
    # Lines of one letter after a line number (no blank), with ``line`` somewhere: the
    # NumPy pretest says no only where the translation finds no needle either.
    filler = "".join(f"{n % 10}{'X' * 79}\r\n" for n in range(4000))
    text = {"start": line + "\r\n" + filler, "lf": filler + "\n" + line + "X\r\n" + filler,
            "cr": filler[:-1] + line + "\r\n", "end": filler + line}[where]
    encoded = text.encode()
    expected = _has_dump_needle(encoded)
    assert embedded._may_hold_dump(encoded) or not expected
    assert expected == (len(line) >= 32 or " " in line or "\t" in line)
    assert embedded._may_hold_dump(filler.encode()) is False


def test_the_hex_run_pretest_finds_a_run_at_any_offset():
    # Sampled every 40 bytes first: a run of MIN_HEX_CHARS wherever it starts still has
    # four samples in it; half as long it holds no aligned block of hex digits.
    run = "0123456789abcdefABCDEF" * 8
    for offset in range(0, 90):
        for length, expected in ((embedded.MIN_HEX_CHARS, True), (embedded.MIN_HEX_CHARS // 2 - 1, False)):
            text = ("X" * offset + run[:length] + "X" * 400).encode()
            assert embedded._may_hold_hex_run(text) is expected, (offset, length)
    lines = "".join(f"{n % 10}{'X' * 77}\r\n" for n in range(5000)).encode()
    assert embedded._may_hold_hex_run(lines) is False


# -- certificates of the trust stores ------------------------------------------------------

def _store_blocks() -> list[str]:
    import re
    import ssl
    from pathlib import Path

    path = Path(ssl.get_default_verify_paths().cafile or "")
    if not path.is_file():
        pytest.skip("no system certificate bundle on this machine")
    return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n",
                      path.read_text(encoding="ascii"), re.DOTALL)


def test_certificates_of_the_trust_store_are_not_decoded_and_not_judged():
    blocks = _store_blocks()
    bundle = "".join(blocks)
    spans: list[tuple[int, int]] = []
    assert list(embedded.payloads(bundle, spans)) == []
    assert len(spans) == len(blocks)
    assert embedded.unread_encoded(bundle, spans) == 0
    # Without the recognition the same text is past the decoder's 64 values and judged.
    assert len(blocks) > embedded.MAX_PAYLOADS
    assert embedded.unread_encoded(bundle) > 0


def test_a_certificate_block_that_differs_from_the_published_one_is_decoded():
    block = _store_blocks()[0]
    body = block.split("-----\n", 1)[1].rsplit("\n-----END", 1)[0]
    letter = "B" if body[100] != "B" else "C"
    changed = block.replace(body, body[:100] + letter + body[101:])
    extra_line = block.replace(body, body + "\n" + base64.b64encode(b"SECRET//NOFORN " * 8).decode())
    assert _labels(changed) == ["#base64[1]"]
    assert _labels(extra_line) == ["#base64[1]"]
    # Characters a base64 decoder skips make it another text, not the published block.
    assert not embedded._published_certificate(body.replace("\n", "\n.", 3))
    assert embedded._published_certificate(body)


def test_the_dump_pretest_finds_a_continuous_line_at_any_offset():
    # Every eighth byte is tested first: a line of MIN_DUMP_LINE_CHARS hex digits has
    # four of them wherever it starts.
    line = ("0123456789abcdef" * 4)[:embedded.MIN_DUMP_LINE_CHARS]
    for offset in range(0, 20):
        text = ("X" * offset + "\n" + line + "\n" + "X" * 300).encode()
        assert _has_dump_needle(text)
        assert embedded._may_hold_dump(text), offset


@pytest.mark.parametrize("needle", [n for n in embedded._DUMP_NEEDLES if b"n" not in n]
                         + [embedded._INDENTED_NEEDLE, b"\tab\tcd\tef\t01\t23\t45"])
def test_the_dump_pretest_of_a_text_with_blanks_passes_every_needle_at_any_offset(needle):
    # Prose has blanks; its pretest looks for DUMP_HEX_BLANKS hex digits and blanks in a
    # row, which every needle is. Each needle's hex digits in any case, at any offset,
    # among words whose letters are hex digits too ("a bad face") and figures.
    prose = "Quarterly figures: a bad face, then 12 of 40. " * 400
    shape = needle.replace(b"h", b"x")
    for offset in (0, 1, 7, 8, 13, len(prose) // 2 + 3):
        for digits in ("0123456789abcdef", "ABCDEF9876543210"):
            value = "".join(digits[i % 16] if c == "x" else c for i, c in enumerate(shape.decode()))
            text = (prose[:offset] + value + prose[offset:]).encode()
            assert _has_dump_needle(text) or embedded._INDENTED_NEEDLE in text.translate(
                embedded._DUMP_TABLE)
            assert embedded._may_hold_dump(text), (offset, value)
    # One byte short of the shortest needle's length in a row, or broken by a letter
    # beyond "f": no needle, and the pretest says so without translating the text.
    for value in ("Zab cd ef 01 Z", "Zab cd ef 0g 23 45 67Z", "Z" + "a" * 12 + "Z"):
        text = (prose + value + prose).encode()
        assert not _has_dump_needle(text)
        assert embedded._may_hold_dump(text) is False
    assert embedded._may_hold_dump((prose + "Z" + "a" * 13 + "Z" + prose).encode())


def test_byte_escapes_need_an_x_in_so_many_characters():
    # The pretest counts the x's (each escape holds one) before the two-character needles.
    table = "".join(f"<U{n:04X}> /x{n >> 8:02x}/x{n & 255:02x} CHAR {n}\n" for n in range(0x400, 0x600))
    spans: list[tuple[int, int]] = []
    assert embedded._slash_escapes(table, spans)
    assert spans
    padded = table + "Quarterly figures and the plan for next year. " * (len(table) // 40)
    assert padded.count("x") * embedded.SLASH_ESCAPE_DENSITY >= len(padded)
    assert embedded._slash_escapes(padded, []) == embedded._slash_escapes(padded, [])
    prose = "Quarterly figures and the plan for next year. " * 2000
    assert embedded._slash_escapes(prose, []) == b""


def test_windows_worth_reading_are_the_same_counted_by_numpy_or_by_bytes():
    # Long texts count each window's digits from the digits' offsets (kept from the
    # base64 test); short ones by bytes.count: the same windows either way, whether the
    # offsets were kept (few digits) or not (a table of figures).
    rng = random.Random(11)
    lines = "".join(f"{n % 10}{'X' * 77}\r\n" for n in range(4000))
    encoded_window = "".join(rng.choice("0123456789abcdefABCDEF+/") for _ in range(6000))
    figures = "".join(rng.choice("0123456789 ,.\n") for _ in range(300_000))
    for text in (lines, lines[:150_000] + encoded_window + lines[150_000:], figures,
                 figures + encoded_window):
        encoded = text.encode()
        assert len(encoded) >= embedded.NUMPY_CHARS
        embedded._digits_close(encoded)  # as the base64 test does first
        assert list(embedded._candidates(encoded)) == list(embedded._candidates_counted(encoded))


# -- tables of hex words ---------------------------------------------------------------------

def _word_table(data: bytes, size: int = 4, low_first: bool = False) -> str:
    data += b"\0" * (-len(data) % size)
    order = "little" if low_first else "big"
    return "seed, 0xdeadbeaf\n" + "".join(
        f"{i}, 0x{int.from_bytes(data[i * size:(i + 1) * size], order):x}\n"
        for i in range(len(data) // size))


def test_a_table_of_hex_words_is_decoded_into_its_bytes_and_taken_from_the_judge():
    data = b"SECRET//NOFORN minutes of the meeting, 42 pages. " * 120
    table = _word_table(data, 8)
    spans: list[tuple[int, int]] = []
    found = list(embedded.payloads(table, spans))
    assert [label for label, _, _ in found] == ["#hexwords[1]"]
    assert found[0][1] == bytes.fromhex("00000000deadbeaf") + data + b"\0" * (-len(data) % 8)
    assert embedded.unread_encoded(table, spans) == 0
    assert embedded.unread_encoded(table) > 0  # the same words, judged as before


# numpy's validation sets over 16 KiB once decoded: float bit patterns of a function's
# inputs and outputs are figures, searched but not held; a file's bytes (random, as a
# deflated or encrypted document's are) in the same dress are held, in every column or
# in the output column beside real inputs; a memo so written is read and held for it.
NOISE = random.Random(17).randbytes(40_000)
MEMO = ("SECRET//NOFORN\nThe convoy leaves the northern depot at 0400 on 3 June.\n" * 400).encode()


def _judged(text: str) -> tuple[list[str], set[str]]:
    verdict = build_pipeline().scan_bytes(text.encode(), origin="umath-validation-set-arccos.csv")
    return [label for label, _, _ in embedded.payloads(text)], {hit.category for hit in verdict.hits}


def test_a_validation_set_of_float_bit_patterns_is_figures_and_passes():
    labels, categories = _judged(validation_set())
    assert labels == ["#figures[1]"] and categories == set()


@pytest.mark.parametrize("text", [words_in_rows(NOISE), words_in_rows(NOISE, "np.float32"),
                                  words_in_rows(NOISE[:20_000], inputs=True)],
                         ids=["64-bit words", "32-bit words", "output column beside real inputs"])
def test_a_files_bytes_dressed_as_a_validation_set_are_held(text):
    labels, categories = _judged(text)
    assert labels == ["#hexwords[1]"] and categories == {"policy"}


def test_a_memo_dressed_as_a_validation_set_is_held_for_its_marking():
    labels, categories = _judged(words_in_rows(MEMO))
    assert labels == ["#hexwords[1]"] and "classification" in categories


def test_a_table_written_low_byte_first_is_read_that_way_when_a_file_starts_in_it():
    data = b"PK\x03\x04" + bytes(range(256)) * 20
    decoded = dict((label, value) for label, value, _ in embedded.payloads(_word_table(data, 4, True)))
    assert decoded["#hexwords[1]"][4:4 + len(data)] == data


def test_words_of_bytes_and_code_points_and_lines_of_changing_width_are_not_tables():
    codes = "\n".join(f"0x{b:02x}, 0x{b + 1:02x}" for b in range(200) for _ in range(20))
    points = "\n".join(f"0x{0x4e00 + i:04x}" for i in range(3000))
    changing = "\n".join(", ".join(f"0x{(i * 7919 + j) * 104729:08x}" for j in range(1 + i % 2))
                         for i in range(1000))
    for text in (codes, points, changing):
        spans: list[tuple[int, int]] = []
        assert embedded._hex_words(text, spans) == (b"", False)
        assert spans == []


def test_hex_word_marks_are_counted_alike_in_short_and_long_texts():
    # "0x" and "0X" (the hex-word tables' pretest): NumPy's count in a long text is
    # str.count's, at the ends too.
    for length in (5_000, embedded.NUMPY_CHARS + 3):
        text = "0x1 " + ("X0 x0X 00x é " * length)[:length] + " 0X"
        expected = text.count("0x") + text.count("0X")
        assert embedded._count_marks(text, embedded._HEX_WORD_MARKS,
                                     embedded._HEX_WORD_FOLLOWS) == expected > 2


@pytest.mark.parametrize("mark", ["0x", "0X"])
def test_a_table_of_hex_words_in_a_long_text_is_found_whichever_its_marks_case(mark):
    # The pretest counts the x's and X's (each mark holds one; by NumPy in a text this
    # long) before each mark's "0": a table whose words are as dense as the search asks,
    # alone or beside prose, is still read.
    data = b"SECRET//NOFORN minutes of the meeting, 42 pages. " * 1200
    table = _word_table(data, 8).replace("0x", mark)
    prose = "Quarterly figures for the region, 2019 to 2026, staff and revenue. " * 3000
    for text in (table, prose[:len(table)] + table):
        assert text.count(mark) * embedded.HEX_WORD_DENSITY >= len(text) >= COUNT_VECTOR_CHARS
        words, _ = embedded._hex_words(text, [])
        assert words.startswith(bytes.fromhex("00000000deadbeaf") + data[:64]), len(text)
    thin = table + prose * 2  # fewer marks than the density asks: not searched
    assert thin.count(mark) * embedded.HEX_WORD_DENSITY < len(thin)
    assert embedded._hex_words(thin, []) == (b"", False)
    # Among lines of capital X's (smtp-source's), whose x's and X's say nothing: found
    # by the count of "0"s when the table is dense enough, not searched when it is not.
    lines = "".join(f"{n % 10}{'X' * 77}\r\n" for n in range(2000))
    dense = lines[:len(table) // 2] + table
    assert dense.count(mark) * embedded.HEX_WORD_DENSITY >= len(dense)
    assert embedded._hex_words(dense, [])[0].startswith(bytes.fromhex("00000000deadbeaf"))
    assert embedded._hex_words(lines * 4, []) == (b"", False)


def _quoted_printable(text: str) -> str:
    """Every byte of ``text`` as a "=4B" escape, in lines of 75 with soft breaks (RFC 2045)."""
    body = "".join(f"={byte:02X}" for byte in text.encode())
    return "=\n".join(body[i:i + 75] for i in range(0, len(body), 75))


def test_quoted_printable_nobody_declared_is_read_back():
    line = "TOP SECRET//NOFORN\nOperation orders follow."
    found = list(embedded.payloads("Notes below.\n" + _quoted_printable(line) + "\nThanks."))
    assert [(label, data) for label, data, _ in found] == [("#qp[1]", line.encode())]


def test_quoted_printable_beside_other_characters_on_its_line_is_read_back():
    # A body half decoded by a forwarding client: raw umlauts and escapes on one line.
    hidden = "".join(f"={byte:02X}" for byte in b"TOP SECRET//NOFORN")
    found = list(embedded.payloads(f"Grüße aus Köln: {hidden} — bis bald\n"))
    assert [label for label, _, _ in found] == ["#qp[1]"]
    assert b"TOP SECRET//NOFORN" in found[0][1]
    assert "Grüße".encode() in found[0][1]


@pytest.mark.parametrize("text", [
    "a=1, b=2; x == y; colour=#FF00AA",
    "Price =E2=82=AC5 per item",  # a stray euro sign in QP: three escapes, not a run
    "key=3D; value=4F; next=5E",
])
def test_equals_signs_and_short_escapes_are_no_quoted_printable_run(text):
    assert not [label for label, _, _ in embedded.payloads(text) if label.startswith("#qp")]


def test_every_reader_of_payloads_runs_when_its_gate_is_open():
    # A reader whose gate names nothing _Reading.gates opens would never run: the values
    # it reads would pass unread. Every reader runs with every gate open, in order.
    assert all(reader.when in ("", *embedded._GATES) for reader in embedded._READERS)
    everything = tuple(True for _ in embedded._GATES)
    assert embedded._readers_for(everything) == embedded._READERS
    nothing = tuple(False for _ in embedded._GATES)
    assert all(not reader.when for reader in embedded._readers_for(nothing))


def test_the_readers_of_sized_values_find_nothing_shorter_than_their_gate():
    # _unframed, _dumps and _number_lists are left out below SIZED_CHARS: a text one
    # character shorter than each one's shortest value yields nothing from it.
    sized = [reader for reader in embedded._READERS if reader.when == "sized"]
    assert {reader.read.__name__ for reader in sized} == {"_unframed", "_dumps", "_number_lists"}
    shortest = min(unframed_encodings.MIN_CHARS, embedded.MIN_HEX_CHARS, number_lists.MIN_LIST_BYTES)
    assert shortest >= embedded.SIZED_CHARS
    memo = b"TOP SECRET//NOFORN memo."
    texts = {"_unframed": base64.a85encode(memo * 4).decode(),
             "_dumps": "".join(f"{i * 16:08x}: 5450 4f20 5345 4352 4554 2f2f 4e4f 464f  TOP SECRET//NOFO\n"
                               for i in range(12)),
             "_number_lists": ", ".join(str(b) for b in memo * 8)}
    for name, text in texts.items():
        (reader,) = [reader for reader in sized if reader.read.__name__ == name]
        assert list(reader.read(embedded._Reading(text, [])))  # read when long enough
        short = text[:embedded.SIZED_CHARS - 1]
        reading = embedded._Reading(short, [])
        assert not dict(zip(embedded._GATES, reading.gates(), strict=True))["sized"]
        assert all(not list(reader.read(embedded._Reading(short, []))) for reader in sized)


def test_every_hex_dump_needle_holds_two_hex_digits_in_a_row():
    # _hex_dumps settles a text without "hh" in its shapes before the needles.
    assert all(b"hh" in needle for needle in (*embedded._DUMP_NEEDLES, embedded._INDENTED_NEEDLE))
    lines = "".join(f"{n % 10}{'X' * 77}\r\n" for n in range(1, 130))
    assert list(embedded._hex_dumps(lines)) == []
    dump = "".join(f"{i * 16:08x}: {'5450 4f20 5345 4352 4554 2f2f 4e4f 464f'}  TOP SECRET//NOFO\n"
                   for i in range(12))
    assert list(embedded._hex_dumps(dump))


@pytest.mark.parametrize("text", [
    '{"version": 3, "sources": ["a.js"], "names": [], "mappings": "AAAA"}',
    "Notes below.\n" + "=E6=9C=BA=E5=AF=86=E6=96=87=E4=BB=B6" + "\nThanks.",
])
def test_gated_readers_still_read_what_their_gate_lets_through(text):
    spans: list[tuple[int, int]] = []
    labels = [label for label, _, _ in embedded.payloads(text, spans)]
    assert labels or spans  # a source map's mappings, QP text


def test_base64_data_url_with_characters_beyond_ascii_is_read_not_failed():
    # A percent escape of a byte beyond ASCII in a base64 data URL ("%C3%BC", a link
    # mangled by a client) made a2b_base64 refuse the str and failed the whole part.
    hidden = base64.b64encode(b"TOP SECRET//NOFORN memo.").decode()  # no padding
    found = list(embedded.payloads(f"Link: data:text/plain;base64,{hidden}%C3%BC Grüße\n"))
    assert [(label, data) for label, data, _ in found] == [("#data-url[1]", b"TOP SECRET//NOFORN memo.")]


def test_cut_off_armour_running_into_prose_beyond_ascii_is_read_not_failed():
    body = base64.b64encode(b"\x85\x01\x0c\x03" + bytes(range(200))).decode()
    text = f"-----BEGIN PGP MESSAGE-----\n\n{body}\n\nViele Grüße, Jörg\n"
    # The signature's words beyond ASCII made a2b_base64 refuse the str; now the armour
    # is read as an encrypted message like any other.
    found = list(embedded.payloads(text))
    assert [(label, declared) for label, _, declared in found] == [
        ("#armour[1]", "application/pgp-encrypted")]


@pytest.mark.parametrize("size", [100, 20_000, 300_000])
def test_a_git_binary_patch_is_found_among_other_capitals_at_any_length(size):
    # The gate of the git-patch search looks from each "G": a text full of them (and of
    # words that begin like the phrase) still opens it where the phrase stands, only there.
    filler = ("Grüße aus Göttingen, GIT binary data, GIT patch, GITbinary patch. " * (size // 60 + 1))
    assert not embedded._git_patch(filler)
    assert not embedded._git_patch("X" * size)
    for at in (0, len(filler) // 2, len(filler)):
        assert embedded._git_patch(filler[:at] + "GIT binary patch" + filler[at:])
