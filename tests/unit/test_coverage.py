"""Fail closed for types Redline does not open: text runs in every encoding the rules know,
a hold for what still cannot be read, inert and accepted types from config, the counts in
the scan statistics, and the held rate on ordinary documents (this machine's Debian docs)."""

from __future__ import annotations

import os
import random
import zlib
from pathlib import Path

import pytest

from filters.build import FiltersConfig, build_pipeline
from filters.errors import ConfigError
from filters.extract.strings import text_runs
from tests.fixtures import formats

MARKING = "TOP SECRET//NOFORN"


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


@pytest.mark.parametrize(("encoding", "text"), [
    ("utf-8", "绝密★5年 关于来年计划"),
    ("utf-16-le", MARKING),
    ("utf-16-be", MARKING),
    ("utf-16-le", "绝密★5年"),
    ("utf-16-le", "대외비 문서"),  # Hangul: an HWP preview, a Korean Word document
    ("utf-16-le", "סודי ביותר"),
    ("utf-16-be", "سري للغاية"),
    ("utf-16-le", "ลับที่สุด"),
    ("gb18030", "机密★ 文件内容"),
    ("big5", "機密文件內容"),
    ("cp1252", "DIFUSIÓN LIMITADA"),
])
def test_runs_are_read_in_each_encoding_between_binary_bytes(encoding, text):
    data = bytes(range(1, 32)) + b"\x00" + text.encode(encoding) + b"\x00\xff\x01\x02"
    assert any(text in run for run in text_runs(data)), list(text_runs(data))


def test_utf16_text_right_after_ascii_keeps_its_first_letter():
    data = b"header" + MARKING.encode("utf-16-le")
    assert any(MARKING in run for run in text_runs(data))


@pytest.mark.parametrize(("name", "data"), [
    ("leading-nul.dat", b"\0" + MARKING.encode() + b"\nplan\n"),
    ("utf16.dat", (MARKING + "\nplan\n").encode("utf-16-le")),
    ("prefixed.dat", bytes(range(256)) + MARKING.encode()),
    ("notes.db", formats.sqlite_bytes([MARKING + " plan"])),
    ("random-then-text.dat", os.urandom(40000) + MARKING.encode() + b"\n"),
])
def test_marking_in_unopened_bytes_is_found(pipeline, name, data):
    verdict = pipeline.scan_bytes(data, origin=name, name=name)
    assert "classification" in {h.category for h in verdict.hits}, verdict.hits


def test_unknown_type_with_compressed_content_is_held_as_uninspectable(pipeline):
    data = formats.unknown_compressed(MARKING.encode())
    verdict = pipeline.scan_bytes(data, origin="notes.rar", name="notes.rar")
    hit = next(h for h in verdict.hits if h.rule == "extract.uninspectable")
    assert "application/x-rar" in hit.excerpt and "cannot be read" in hit.excerpt
    assert verdict.action == "quarantine"
    assert verdict.stats.coverage == {"held": 1}


@pytest.mark.parametrize(("name", "head"), [
    ("notes.rar", b"Rar!\x1a\x07\x01\x00"),  # RAR 5
    ("notes.arj", b"\x60\xea\x26\x00\x1e\x06\x01\x00\x10\x00\x02"),
    ("notes.txt.Z", b"\x1f\x9d\x90"),  # compress(1)
    ("notes.txt.lz", b"LZIP\x01\x0c"),
])
def test_small_archive_of_an_unopened_format_is_held(pipeline, name, head):
    """A short text packs into fewer bytes than the opacity judge reads: the type decides."""
    data = head + zlib.compress(b"SECRET: the quarterly numbers", 9)[2:-4]
    verdict = pipeline.scan_bytes(data, origin=name, name=name)
    hit = next(h for h in verdict.hits if h.rule == "extract.uninspectable")
    assert "archive or compression format" in hit.excerpt
    assert verdict.action == "quarantine"
    # The deflate stream a few bytes in is undone and read too (filters/headerless.py).
    assert verdict.stats.coverage == {"held": 1, "opened": 1}


def test_accepted_type_is_searched_but_not_held():
    config = FiltersConfig.from_mapping({"coverage": {"accepted_types": ["application/x-rar"]}})
    pipeline = build_pipeline(config)
    data = formats.unknown_compressed(b"quarterly numbers")
    verdict = pipeline.scan_bytes(data, origin="a.rar", name="a.rar")
    assert verdict.action == "pass", verdict.hits
    assert verdict.stats.coverage == {"accepted": 1}
    marked = pipeline.scan_bytes(b"Rar!\x1a\x07\x01\x00" + MARKING.encode() + os.urandom(3000),
                                 origin="b.rar", name="b.rar")
    assert "classification" in {h.category for h in marked.hits}


def test_unknown_type_larger_than_the_search_bound_is_held():
    config = FiltersConfig.from_mapping({"coverage": {"strings_bytes": 8192}})
    pipeline = build_pipeline(config)
    data = b"\0\x01\x02" + b"row of ordinary data\n" * 2000
    verdict = pipeline.scan_bytes(data, origin="big.dat", name="big.dat")
    hit = next(h for h in verdict.hits if h.rule == "extract.uninspectable")
    assert "larger than the 8192 bytes" in hit.excerpt


@pytest.mark.parametrize(("fmt", "disposition"), [("PNG", "opened"), ("ICO", "inert")])
def test_picture_with_random_pixels_passes(pipeline, fmt, disposition):
    """A PNG is opened (read by OCR, no text found); an icon, which OCR does not read, is
    inert: neither is held as uninspectable."""
    from PIL import Image

    image = Image.frombytes("RGB", (128, 128), os.urandom(128 * 128 * 3))
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"redline-noise-{os.getpid()}.{fmt.lower()}"
    image.save(path, fmt)
    try:
        verdict = pipeline.scan_file(path)
    finally:
        path.unlink()
    assert verdict.action == "pass", verdict.hits
    assert verdict.stats.coverage == {disposition: 1}


def test_random_bytes_are_held_once_not_twice(pipeline):
    # Seeded: about one random blob in a hundred opens with a byte libmagic takes for a
    # DOS .COM program's first instruction (0x8C, 0xB8, 0xEB ...) and is typed
    # application/x-dosexec, held by another rule (below).
    blob = random.Random(5000).randbytes(5000)
    verdict = pipeline.scan_bytes(blob, origin="blob", name="blob")
    assert verdict.stats.types == {"application/octet-stream": 1}
    assert [h.rule for h in verdict.hits if h.category == "policy"] == ["filetype.opaque"]
    assert verdict.stats.coverage == {"held": 1}
    assert verdict.as_dict()["stats"]["coverage"] == {"held": 1}


@pytest.mark.parametrize(("first", "kind"), [
    (b"\xb8", "application/x-dosexec"),  # MOV AX, imm16: a .COM program's first instruction
    (b"\x8c", "application/x-dosexec"),  # MOV r/m16, Sreg
    (b"\xeb", "application/x-dosexec"),  # JMP short
    (b"\xff\xfb\x90\x64", "audio/mpeg"),  # an MPEG-1 layer III frame header
    (b"\xff\xf1\x50\x80", "audio/x-hx-aac-adts"),  # an ADTS frame header
])
def test_random_bytes_typed_by_their_first_bytes_are_held_once(pipeline, first, kind):
    # libmagic names these by a byte or four; no opaque-blob judge looks at a type it
    # named, so they are held as unreadable bytes of that type, once.
    blob = first + random.Random(7).randbytes(5000 - len(first))
    verdict = pipeline.scan_bytes(blob, origin="blob", name="blob")
    assert verdict.stats.types == {kind: 1}
    assert [h.rule for h in verdict.hits if h.category == "policy"] == ["extract.uninspectable"]
    assert verdict.stats.coverage == {"held": 1}


@pytest.mark.parametrize(("value", "message"), [
    ({"inert_types": ["image"]}, "coverage.inert_types[0]"),
    ({"accepted_types": ["Application/X-Rar"]}, "coverage.accepted_types[0]"),
    ({"strings_min_chars": 1}, "coverage.strings_min_chars: must be at least 2"),
    ({"strings_bytes": "lots"}, "coverage.strings_bytes: expected an integer"),
])
def test_bad_coverage_config_names_the_key(value, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        FiltersConfig.from_mapping({"coverage": value})


def test_zlib_stream_is_not_mistaken_for_text(pipeline):
    verdict = pipeline.scan_bytes(zlib.compress(MARKING.encode() * 3), origin="z", name="z")
    assert "classification" in {h.category for h in verdict.hits}


def _debian_docs() -> list[Path]:
    files = []
    for root, dirs, names in os.walk("/usr/share/doc"):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            if path.is_file() and not path.is_symlink():
                files.append(path)
    return files


def test_held_rate_on_the_debian_documentation_is_at_most_half_a_percent(pipeline):
    # Every third file of /usr/share/doc (changelogs, HTML manuals, PDFs, pictures, examples
    # in every format a Debian system ships): ordinary documents, nearly all must pass.
    files = _debian_docs()[::3]
    assert len(files) >= 500, (
        f"only {len(files)} files under /usr/share/doc: install the packages scripts/setup.sh "
        "--test lists (their documentation is the sample)")
    held, uninspectable = [], []
    for path in files:
        verdict = pipeline.scan_file(path)
        if not verdict.passed:
            held.append(path)
        if verdict.stats.coverage.get("held"):
            uninspectable.append(path)
    assert len(uninspectable) <= len(files) * 0.005, uninspectable
    assert len(held) <= len(files) * 0.005, f"{len(held)} of {len(files)} held: {held}"


@pytest.mark.parametrize("header", [b"\x56\xe0", b"\xff\xfb\x90\x64"], ids=["latm", "mpeg-audio"])
def test_a_packed_memo_behind_an_audio_sync_word_is_held(pipeline, header):
    memo = ("TOP SECRET\nOperation plan for the northern sector, phase two.\n" * 20).encode()
    verdict = pipeline.scan_bytes(header + zlib.compress(memo, 9), origin="blob", name="blob")
    assert verdict.action != "pass", verdict.as_dict()["stats"]
