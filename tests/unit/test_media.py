"""A sound or video part is inert only when its structure runs through it: what the
structure leaves over (bytes after the last frame or box, tag frames and boxes that carry
objects, extra chunks) is judged as bytes of unknown type, and a part typed by a sync word
whose frames do not chain is not taken for sound. Each evasion has a clean twin: the
same file as FFmpeg writes it, which must raise no policy hit."""

from __future__ import annotations

import random
import struct
import zlib

import pytest

from filters import media
from filters.build import build_pipeline
from filters.media.tags import id3v2_end
from filters.media.walk import Walk
from filters.types import Part
from tests.conftest import require_peer
from tests.fixtures.media import KINDS, have_ffmpeg
from tests.fixtures.media import media as made


@pytest.fixture(autouse=True)
def _ffmpeg():
    require_peer(None if have_ffmpeg() else
                 "FFmpeg writes the media: apt-get install ffmpeg (scripts/setup.sh --test)")

MEMO = ("TOP SECRET\nOperation plan for the northern sector, phase two.\n" * 20).encode()
PACKED = zlib.compress(MEMO, 9)
NOISE = random.Random(7).randbytes(4096)  # packed or encrypted bytes of no known format


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def _policy(verdict) -> list[tuple[str, str]]:
    return [(h.rule, h.where) for h in verdict.hits if h.category == "policy"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_media_as_ffmpeg_writes_it_is_walked_and_raises_no_policy_hit(pipeline, kind):
    data = made(kind)
    found = media.layout(Part(origin="f", data=data))
    if kind != "ts":  # libmagic does not name a transport stream; it is walked all the same
        assert found is not None, kind
    suffix = KINDS[kind][0]
    verdict = pipeline.scan_bytes(data, origin="f" + suffix, name="f" + suffix)
    assert _policy(verdict) in ([], [("filetype.mismatch", "f" + suffix)]), _policy(verdict)
    assert "held" not in verdict.stats.coverage
    # Nor do the text runs of its frames read as a marking (" 1E$" once read as LES).
    assert [h.rule for h in verdict.hits if h.category == "classification"] == []


def _id3v23(*frames: tuple[bytes, bytes]) -> bytes:
    body = b"".join(name + struct.pack(">IH", len(data), 0) + data for name, data in frames)
    size = len(body)
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + syncsafe + body


def _untagged_mp3() -> bytes:
    data = made("mp3")
    end = id3v2_end(Walk(data), 0)
    return data[end:]


def _mp3_with(frame: tuple[bytes, bytes]) -> bytes:
    return _id3v23((b"TIT2", b"\x00Quarterly all-hands"), frame) + _untagged_mp3()


def _riff_with_chunk(data: bytes, chunk_id: bytes, body: bytes) -> bytes:
    chunk = chunk_id + struct.pack("<I", len(body)) + body + b"\0" * (len(body) & 1)
    whole = data + chunk
    return whole[:4] + struct.pack("<I", len(whole) - 8) + whole[8:]


def _iff_with_chunk(data: bytes, chunk_id: bytes, body: bytes) -> bytes:
    chunk = chunk_id + struct.pack(">I", len(body)) + body + b"\0" * (len(body) & 1)
    whole = data + chunk
    return whole[:4] + struct.pack(">I", len(whole) - 8) + whole[8:]


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


EVASIONS = {
    "memo after an mp3's last frame": lambda: made("mp3") + PACKED,
    "noise after an mp3's last frame": lambda: made("mp3") + NOISE,
    "memo after an ADTS stream": lambda: made("adts") + PACKED,
    "memo in an ID3 PRIV frame": lambda: _mp3_with((b"PRIV", b"com.example.sync\x00" + PACKED)),
    "noise in an ID3 GEOB frame": lambda: _mp3_with(
        (b"GEOB", b"\x00application/octet-stream\x00notes.bin\x00\x00" + NOISE)),
    "memo as an ID3 APIC picture": lambda: _mp3_with(
        (b"APIC", b"\x00image/jpeg\x00\x03Cover\x00" + PACKED)),
    "memo in a frame of an unknown type": lambda: _mp3_with((b"XNOT", PACKED)),
    "memo in an extra WAV chunk": lambda: _riff_with_chunk(made("wav"), b"note", PACKED),
    "noise in an extra WAV chunk": lambda: _riff_with_chunk(made("wav"), b"note", NOISE),
    "memo after a WAV's RIFF chunk": lambda: made("wav") + PACKED,
    "memo in an MP4 free box": lambda: made("mp4") + _box(b"free", PACKED),
    "noise in an MP4 uuid box": lambda: made("mp4") + _box(b"uuid", bytes(16) + NOISE),
    "memo in a second MP4 mdat box": lambda: made("mp4") + _box(b"mdat", PACKED),
    "noise in an mdat box after a fragmented MP4": lambda: made("mp4-fragmented") + _box(b"mdat", NOISE),
    "memo in an MP4 udta box": lambda: made("mp4-faststart") + _box(b"udta", _box(b"note", PACKED)),
    "memo after an Ogg stream's last page": lambda: made("ogg") + PACKED,
    "noise after a WebM segment": lambda: made("webm") + NOISE,
    "memo after an ASF's last object": lambda: made("wma") + PACKED,
    "memo after a FLAC stream's last frame": lambda: made("flac-cover") + PACKED,
    "noise after an MPEG program stream's end": lambda: made("mpg") + NOISE,
    "memo after a Flash video's last tag": lambda: made("flv") + PACKED,
    "memo after a Sun audio file's sound": lambda: made("au") + PACKED,
    "noise in a chunk after an RF64 file": lambda: (made("rf64") + b"note"
                                                    + struct.pack("<I", len(NOISE)) + NOISE),
    "memo in an extra AIFF chunk": lambda: _iff_with_chunk(made("aiff"), b"APPL", PACKED),
}


@pytest.mark.parametrize("evasion", list(EVASIONS))
def test_what_the_media_structure_leaves_over_is_judged_and_held(pipeline, evasion):
    verdict = pipeline.scan_bytes(EVASIONS[evasion](), origin="clip", name="clip")
    assert verdict.action != "pass", (evasion, verdict.as_dict()["stats"])
    assert {h.category for h in verdict.hits} & {"classification", "policy"}


def test_a_cover_picture_in_an_id3_tag_is_read_as_a_picture(pipeline):
    verdict = pipeline.scan_bytes(made("mp3-cover"), origin="f.mp3", name="f.mp3")
    assert "held" not in verdict.stats.coverage
    found = media.layout(Part(origin="f", data=made("mp3-cover")))
    assert found is not None and [label for *_, label in found.loose] == ["#id3/APIC"]


@pytest.mark.parametrize("header", [b"\x56\xe0", b"\xff\xfb\x90\x64", b"\xff\xf1\x50\x80"])
def test_a_sync_word_before_bytes_that_are_no_frames_is_not_sound(header):
    assert media.layout(Part(origin="f", data=header + PACKED)) is None
    assert media.layout(Part(origin="f", data=header + NOISE)) is None


def test_an_ogg_page_with_a_wrong_crc_ends_the_walk():
    data = bytearray(made("ogg"))
    data[-1] ^= 0xFF  # the last page's last byte, under its CRC
    found = media.layout(Part(origin="f", data=bytes(data)))
    assert found is not None and found.loose[-1][2] == "#after-pages"
    assert found.loose[-1][1] == len(data)
