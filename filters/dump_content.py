"""What the bytes a hex block writes say about it: text or a file is a dump, noise is not.

filters/embedded.py reads hex blocks by their shape, and some shapes are shared with
ordinary text: spaced pairs and groups of mostly digits (a table of figures), lines
of 32 to 128 digits (a list of digests). A dump of ASCII text has both shapes too (its
bytes, 0x20-0x7A, are mostly written in digits), as has ``xxd -p -c 32`` (lines the
length of a SHA-256 digest). What tells them apart is what the digits decode to:
figures and digests decode to noise (control bytes, bytes over 0x7F that are no UTF-8,
few letters), a dump to words or to a file that starts with its signature.
"""

from __future__ import annotations

SAMPLE_BYTES = 4096  # enough to tell words from noise; a long block is judged by its start
MIN_PRINTABLE = 0.95  # of the decoded characters: printable, or blanks and line ends
MIN_LETTERS = 0.5  # of the decoded characters (prose: about 0.8; figures read as bytes: few)
# Files that say what they are in their first bytes: zip (Office, ODF), PDF, OLE (.doc,
# .xls, .msg), RTF, gzip, bzip2, xz, zstd, 7z, RAR, PNG, JPEG, GIF. A digest starts with
# four given bytes once in four billion.
FILE_SIGNATURES = (b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf",
                   b"\x1f\x8b\x08", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd",
                   b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff",
                   b"GIF87a", b"GIF89a")


def reads_as_text(data: bytes) -> bool:
    """True when ``data`` (its first SAMPLE_BYTES) is text: UTF-8 that is nearly all
    printable, at least half of it letters."""
    text = data[:SAMPLE_BYTES].decode("utf-8", "replace")
    if not text:
        return False
    # U+FFFD, what bytes that are no UTF-8 decode to, counts as noise.
    printable = sum(1 for ch in text if (ch.isprintable() and ch != "\ufffd") or ch in "\t\n\r")
    letters = sum(1 for ch in text if ch.isalpha())
    return printable >= MIN_PRINTABLE * len(text) and letters >= MIN_LETTERS * len(text)


def says_what_it_is(data: bytes) -> bool:
    """True when decoded hex ``data`` is text or a file with its signature, as a dump's
    bytes are and a table of figures or a list of digests read as bytes are not."""
    return data.startswith(FILE_SIGNATURES) or reads_as_text(data)
