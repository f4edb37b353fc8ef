"""Bytes written as lists of numbers (decimal, octal, 0x-hex, escapes) are read back when
their bytes are text or a file, and left alone when they decode to noise (tables of
figures, measurements, lists of ports)."""

from __future__ import annotations

import json
import random
import subprocess

import pytest

from filters import embedded, number_lists
from filters.normalise import utf8

MEMO = ("TOP SECRET//NOFORN\nOperation orders for the second quarter follow. The convoy leaves "
        "the northern depot at dawn on the third day; escorts join at the river crossing.\n"
        * 3).encode()
# The first bytes of a zip (an Office document), then what stands for its compressed body.
ZIPPED = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + random.Random(3).randbytes(600)


def _od(data: bytes, kind: str) -> str:
    return subprocess.run(["od", "-An", kind], input=data, capture_output=True, check=True).stdout.decode()


def _rows(values: list[str], per_line: int = 12, indent: str = "  ", sep: str = ", ") -> str:
    return (sep.rstrip() + "\n").join(indent + sep.join(values[i:i + per_line])
                                      for i in range(0, len(values), per_line))


WRITERS = {
    "Python list(bytes)": lambda data: str(list(data)),
    "JavaScript Uint8Array": lambda data: f"const doc = new Uint8Array([{', '.join(map(str, data))}]);",
    "C array of figures": lambda data: "unsigned char doc[] = {\n" + _rows([str(b) for b in data]) + "\n};",
    "C array of 0x-hex": lambda data: "static const uint8_t doc[] = {\n" + _rows([f"0x{b:02x}" for b in data])
                                      + ",\n};",
    "0X-hex in capitals": lambda data: ", ".join(f"0x{b:02X}" for b in data),
    "figures without commas": lambda data: " ".join(map(str, data)),
    "od -An -tu1": lambda data: _od(data, "-tu1"),
    "od -An -to1": lambda data: _od(data, "-to1"),
    "od -to1 with offsets": lambda data: subprocess.run(["od", "-to1"], input=data, capture_output=True,
                                                        check=True).stdout.decode(),
    "octal escapes": lambda data: '"' + "".join(f"\\{b:03o}" for b in data) + '"',
    "octal escapes in joined literals": lambda data: "\n".join(
        '"' + "".join(f"\\{b:03o}" for b in data[i:i + 16]) + '"' for i in range(0, len(data), 16)),
    "\\x escapes": lambda data: "b'" + "".join(f"\\x{b:02x}" for b in data) + "'",
    "JSON, one number a line": lambda data: json.dumps({"file": {"type": "Buffer", "data": list(data)}},
                                                       indent=4),
}


def _lists(text: str) -> list[bytes]:
    return [data for label, data, _ in embedded.payloads(text) if label.startswith("#numbers")]


@pytest.mark.parametrize("kind", list(WRITERS))
@pytest.mark.parametrize("data", [MEMO, ZIPPED], ids=["text", "zip"])
def test_a_file_or_text_written_as_numbers_is_read_back(kind, data):
    assert _lists(f"Here it is:\n\n{WRITERS[kind](data)}\n\nregards") == [data]


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_long_list_in_a_long_text_is_read_back(kind):
    # Long enough to be told by NumPy arithmetic (od: offsets and a "*" would cut it).
    data = ZIPPED + random.Random(9).randbytes(70_000)  # over NUMPY_CHARS written
    prose = "The committee met on Tuesday and agreed the budget for 2025, 12.5% up.\n" * 300
    assert _lists(f"{prose}{WRITERS[kind](data)}\n{prose}") == [data]


def test_the_decoded_stretch_is_given_to_the_judge_of_encoded_text():
    written = WRITERS["C array of 0x-hex"](ZIPPED * 8)
    spans: list[tuple[int, int]] = []
    list(embedded.payloads(written, spans))
    assert embedded.unread_encoded(written, spans) == 0
    assert embedded.unread_encoded(written) > 0  # held as encoded data when not read


def _figures(seed: int, low: int, high: int, count: int = 600) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(low, high) for _ in range(count)]


ORDINARY = {
    "CSV of measurements": "\n".join(",".join(str(v) for v in _figures(i, 0, 255, 8)) for i in range(200)),
    "ages in a table": _rows([str(v) for v in _figures(1, 18, 90)], sep=" "),
    "a list of ports": str(sorted(set(_figures(2, 1, 255, 200)))),
    "percentages": ", ".join(str(v) for v in _figures(3, 0, 100)),
    "od -tu1 of random bytes": _od(bytes(_figures(4, 0, 255)), "-tu1"),
    "C array of random 0x-bytes (a key)": "{" + ", ".join(f"0x{v:02x}" for v in _figures(5, 0, 255)) + "}",
    "years": " ".join(str(v) for v in _figures(6, 1990, 2030)),
}


@pytest.mark.parametrize("kind", list(ORDINARY))
def test_figures_that_decode_to_noise_are_left_as_they_are(kind):
    assert _lists(ORDINARY[kind]) == []


def test_short_lists_and_figures_in_prose_are_not_read():
    prose = ("In 2024 we shipped 12, 40, 75 and 80 units to 3 sites; see table 4.2.\n" * 200)
    assert list(number_lists.byte_lists(prose, utf8(prose))) == []
    assert number_lists.decode(", ".join(map(str, MEMO[:40]))) is None  # under MIN_LIST_BYTES


def test_a_long_text_is_searched_only_where_digits_are_dense():
    import numpy as np

    prose = "The committee met on Tuesday and agreed the budget for the new year. " * 4000
    encoded = utf8(prose)
    offsets = np.flatnonzero((np.frombuffer(encoded, dtype=np.uint8) - 0x30) < 10)
    assert list(number_lists.byte_lists(prose, encoded, offsets)) == []
    text = prose + WRITERS["Python list(bytes)"](MEMO) + prose
    encoded = utf8(text)
    offsets = np.flatnonzero((np.frombuffer(encoded, dtype=np.uint8) - 0x30) < 10)
    assert [data for _, data in number_lists.byte_lists(text, encoded, offsets)] == [MEMO]


def test_figures_over_a_byte_or_octal_with_eights_are_no_list():
    assert number_lists.decode(" ".join(str(b + 256) for b in MEMO)) is None
    # Read in decimal, since an 8 or a 9 is no octal digit.
    assert number_lists.decode(" ".join(str(b) for b in MEMO)) == MEMO


def test_a_list_in_a_text_of_other_scripts_is_placed_by_its_characters():
    text = "Служебная записка, данные ниже:\n" * 900 + WRITERS["C array of figures"](MEMO) + "\nконец"
    assert _lists(text) == [MEMO]
    (start, end), _ = next(number_lists.byte_lists(text, utf8(text)))
    assert text[start:end].startswith("84, 79, 80") and text[:end].endswith(f", {MEMO[-1]}")


def test_figures_with_decimals_and_dates_are_no_list():
    table = "\n".join(f"2024-05-{1 + i % 28:02d},{i % 24}:{i % 60:02d},{(i * 7) % 100}.{i % 10},{i % 256}"
                      for i in range(3000))
    assert _lists(table) == []


REPEATING = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + MEMO + b"\xff" * 100 + bytes(64)


@pytest.mark.parametrize("flags", [["-tu1"], ["-to1"], ["-Ax", "-tu1"], ["-Ad", "-to1"]])
def test_od_repeated_lines_are_restored_by_its_offsets(flags):
    written = subprocess.run(["od", *flags], input=REPEATING, capture_output=True, check=True).stdout.decode()
    assert "*" in written
    assert _lists(written) == [REPEATING]


def test_od_without_offsets_repeats_a_starred_line_once():
    written = _od(REPEATING, "-tu1")
    (data,) = _lists(written)
    assert data.startswith(REPEATING[:16]) and MEMO[16:64] in data


def _windows_whole(encoded: bytes) -> list[int]:
    """The windows that may hold a list, counted over the whole text at once."""
    import numpy as np

    window = number_lists.WINDOW
    codes = np.frombuffer(encoded + b" " * (-len(encoded) % window), dtype=np.uint8)
    digit = (codes - 0x30) < 10
    starts = digit.copy()
    starts[1:] &= ~digit[:-1]
    joins = ((codes - 0x2D) < 3) | (codes == 0x3A)
    four = digit[3:] & digit[2:-1] & digit[1:-2] & digit[:-3]
    four[1:] &= ~four[:-1]
    joins[3:] |= four
    folded = codes | 0x20
    letters = ((folded - 0x67) < 17) | ((folded - 0x79) < 2)
    counts = [np.count_nonzero(a.reshape(-1, window), axis=1) for a in (starts, joins, letters)]
    return [i * window for i, (s, j, le) in enumerate(zip(*counts, strict=True))
            if number_lists._listed(int(s), int(j), int(le))]


def test_windows_read_block_by_block_are_the_whole_texts():
    """Only windows with digits enough are read, a block at a time: the same windows as
    counting the whole text, at block edges, window edges and the text's ends."""
    import numpy as np

    rng = random.Random(9)
    pieces = ["12, ", "255,", "0x4b ", "\\120", "1234", "2024-05-01", "10:30", "word ", "the ", "\n",
              "7", "é", " ", ",", "x", "Q"]
    window, block = number_lists.WINDOW, number_lists.BLOCK_WINDOWS
    texts = ["".join(rng.choice(pieces[:rng.randrange(2, len(pieces))])
                     for _ in range(rng.randrange(1, 3000))) for _ in range(200)]
    # Digit runs across window edges, and more windows with digits than a block holds.
    texts += ["a" * (window - k) + "1234567" + " 1, 2" * 60 for k in range(1, 6)]
    texts += [str(list(rng.randbytes(window * block // 2))), "word " * 9000 + str(list(MEMO)) * 40]
    # Just MIN_STARTS numbers in the first window: its first digit starts one.
    texts += [" ".join("123456789"[:number_lists.MIN_STARTS]) + " " * window]
    found = 0
    for text in texts:
        encoded = utf8(text)
        offsets = np.flatnonzero((np.frombuffer(encoded, dtype=np.uint8) - 0x30) < 10)
        got, _ = number_lists._windows_vectored(encoded, offsets)
        assert got == _windows_whole(encoded)
        found += bool(got)
    assert found > 10


def _windows_every_count(encoded: bytes) -> list[int]:
    """The windows that may hold a list, every mark counted in every window (a start
    mark where it starts: "dxh" may end past the window)."""
    classes = encoded.translate(number_lists._CLASSES)
    window = number_lists.WINDOW
    found = []
    for start in range(0, len(classes), window):
        part = classes[start:start + window]
        starts = sum(classes.count(mark, start, start + window + len(mark) - 2)
                     for mark in number_lists._STARTS)
        if number_lists._listed(starts,
                                sum(part.count(mark) for mark in number_lists._JOINED),
                                part.count(b"l")):
            found.append(start)
    return found


def test_short_text_windows_are_every_windows_count():
    """A short text's windows (bytes.count, windows passed over when their digits and
    backslashes cannot make MIN_STARTS starts) are those of counting every window."""
    rng = random.Random(11)
    pieces = ["12, ", "255,", "0x4b ", "\\x4b", "\\120", "\\x", "1234", "2024-05-01", "word ",
              "\n", "7", "X" * 77, "é", " ", ",", "x", "\\", "Q"]
    texts = ["".join(rng.choice(pieces[:rng.randrange(2, len(pieces))])
                     for _ in range(rng.randrange(1, 1500))) for _ in range(300)]
    # smtp-source's lines (a digit, 77 capitals), as sent and as the mail reader gives
    # them: no window holds a list.
    for end in ("\r\n", "\n"):
        lines = "".join(f"{n % 10}{'X' * 77}{end}" for n in range(1, 130))
        assert number_lists._windows_counted(utf8(lines)) == ([], [])
        texts.append(lines)
    # 0x and \\x before a hex digit, or before none, at a window's end.
    texts += [" " * (number_lists.WINDOW - 2 - shift) + " 0x4b" * 8 + " 0X" * 8 + " \\x4b" * 8
              for shift in range(4)]
    # Just MIN_STARTS starts in a window, from backslash-x escapes and from figures.
    texts += ["\\x4b" * number_lists.MIN_STARTS + " " * 300,
              " 0x4b" * (number_lists.MIN_STARTS // 2) + " " * 300]
    found = 0
    for text in texts:
        encoded = utf8(text)
        got, _ = number_lists._windows_counted(encoded)
        assert got == _windows_every_count(encoded)
        found += bool(got)
    assert found > 10


# -- words: 16- and 32-bit, as od -tu2, -td2, -tu4, -to2 write them --------------------------

WORD_WRITERS = {
    "od -An -tu2": lambda data: _od(data, "-tu2"),
    "od -An -td2": lambda data: _od(data, "-td2"),
    "od -An -tu4": lambda data: _od(data, "-tu4"),
    "od -An -td4": lambda data: _od(data, "-td4"),
    "od -An -to2": lambda data: _od(data, "-to2"),
    "big-endian 16-bit words, a C array": lambda data: "uint16_t doc[] = {" + ", ".join(
        str(int.from_bytes(data[i:i + 2], "big")) for i in range(0, len(data) - 1, 2)) + "};",
}


@pytest.mark.parametrize("kind", list(WORD_WRITERS))
@pytest.mark.parametrize("data", [MEMO, ZIPPED], ids=["text", "zip"])
def test_a_file_or_text_written_as_words_is_read_back(kind, data):
    (got,) = _lists(f"Here it is:\n\n{WORD_WRITERS[kind](data)}\n\nregards")
    # od fills the last word out with zero bytes.
    assert got[:len(data) - 1] == data[:len(data) - 1] and not got[len(data):].strip(b"\0")


@pytest.mark.parametrize("kind", ["od -An -tu2", "od -An -td2"])
def test_a_long_word_list_in_a_long_text_is_read_back(kind):
    # Long enough to be told by NumPy arithmetic.
    data = ZIPPED + random.Random(9).randbytes(40_000)
    prose = "The committee met on Tuesday and agreed the budget for 2025, 12.5% up.\n" * 300
    (got,) = _lists(f"{prose}{WORD_WRITERS[kind](data)}\n{prose}")
    assert got == data


WORD_ORDINARY = {
    "CSV of sensor readings 0-65535": "\n".join(",".join(str(v) for v in _figures(i, 0, 65535, 8))
                                                for i in range(300)),
    "a list of ports": str(sorted(set(_figures(2, 1, 65535, 600)))),
    "a years column": "year\n" + "\n".join(str(v) for v in _figures(6, 1900, 2030, 2000)),
    "signed readings": " ".join(str(v) for v in _figures(7, -32768, 32767, 2000)),
    "32-bit counters": "\n".join(" ".join(str(v) for v in _figures(i, 0, (1 << 32) - 1, 4))
                                 for i in range(300)),
    "od -tu2 of random bytes": _od(random.Random(8).randbytes(2000), "-tu2"),
    "od -td4 of random bytes": _od(random.Random(8).randbytes(2000), "-td4"),
}


@pytest.mark.parametrize("kind", list(WORD_ORDINARY))
def test_words_that_decode_to_noise_are_left_as_they_are(kind):
    assert _lists(WORD_ORDINARY[kind]) == []


def test_a_list_of_bytes_is_not_read_again_as_words():
    assert _lists(WRITERS["Python list(bytes)"](MEMO)) == [MEMO]
    assert number_lists.decode_words(WRITERS["Python list(bytes)"](MEMO)) is None


def test_word_windows_are_found_by_counting_and_by_numpy():
    import numpy as np

    text = "word " * 9000 + _od(MEMO * 4, "-td2") + "word " * 9000
    encoded = utf8(text)
    offsets = np.flatnonzero((np.frombuffer(encoded, dtype=np.uint8) - 0x30) < 10)
    _, counted = number_lists._windows_counted(encoded)
    _, vectored = number_lists._windows_vectored(encoded, offsets)
    assert counted and counted == vectored
