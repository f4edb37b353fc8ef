"""Bombs, limits and damaged archives through the real pipeline: every one is held, fast."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from filters.limits import Limits
from tests.fixtures import archives

MiB = 1024 * 1024


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory) -> Path:
    """The 1 GiB-of-zeros zip, generated once per session (about 2 s)."""
    return archives.write_zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.zip")


def held_for(walked, rule: str):
    """The policy hits of ``rule``; asserts the item was held for it."""
    hits = [h for h in walked.verdict.hits if h.rule == rule]
    assert hits, f"expected {rule}, got {walked.policy_rules()}"
    assert all(h.category == "policy" for h in hits)
    assert walked.verdict.action == "quarantine"
    return hits


def test_zip_bomb_is_a_ratio_hit(walk, zip_bomb):
    # How fast a bomb is held: bench/extract_speed.py.
    assert zip_bomb.stat().st_size < 1.5 * MiB  # 1 GiB of zeros inside
    walked = walk(zip_bomb, name="bomb.zip")
    hits = held_for(walked, "limit.max_ratio")
    assert hits[0].where == "bomb.zip/zeros.bin"
    assert "likely a bomb" in hits[0].excerpt
    assert walked.verdict.stats.expanded_bytes < 300 * MiB


def test_tar_gz_bomb_is_a_ratio_hit_at_the_gzip_layer(walk):
    walked = walk(archives.tar_gz_bomb(256), name="bomb.tar.gz")
    hits = held_for(walked, "limit.max_ratio")
    assert hits[0].where == "bomb.tar.gz"


def test_7z_bomb_is_refused_from_its_header(walk):
    data = archives.sevenzip_bytes({"zeros.bin": bytes(32 * MiB)})
    walked = walk(data, name="bomb.7z")
    hits = held_for(walked, "limit.max_ratio")
    assert "declares" in hits[0].excerpt
    assert walked.verdict.stats.expanded_bytes == 0


def test_many_members_past_expanded_bytes_end_the_scan(walk):
    data = archives.many_members_zip(12, MiB)
    walked = walk(data, name="many.zip", limits=Limits(max_expanded_bytes=5 * MiB))
    held_for(walked, "limit.max_expanded_bytes")
    assert "max_expanded_bytes" in walked.verdict.stats.limits_reached
    # Members after the limit were not extracted.
    assert len([p for p in walked.content if p.origin.startswith("many.zip/")]) < 12


def test_twelve_deep_nested_zip_hits_max_depth_at_depth_ten(walk):
    walked = walk(archives.nested_zip(12, b"SECRET at the bottom"), name="nest.zip")
    hits = held_for(walked, "limit.max_depth")
    chain = "/".join(f"level{n}.zip" for n in range(2, 12))
    assert hits[0].where == f"nest.zip/{chain}"
    assert "10 levels deep" in hits[0].excerpt
    assert "SECRET at the bottom" not in walked.all_text()


def test_more_members_than_max_parts(walk):
    walked = walk(archives.many_members_zip(50, 16), name="parts.zip", limits=Limits(max_parts=20))
    held_for(walked, "limit.max_parts")
    assert walked.verdict.stats.parts <= 21


def test_encrypted_zip_member_is_held_and_plain_member_still_read(walk):
    walked = walk(archives.zipcrypto_zip(b"plain words here", b"SECRET words"), name="mixed.zip")
    hits = held_for(walked, "extract.encrypted")
    assert hits[0].where == "mixed.zip/secret.txt"
    assert walked.text_at("mixed.zip/plain.txt") == "plain words here"


def test_aes_zip_member_is_held(walk):
    walked = walk(archives.aes_zip(b"plain", b"SECRET"), name="aes.zip")
    assert held_for(walked, "extract.encrypted")[0].where == "aes.zip/secret.txt"


def test_encrypted_7z_is_held(walk):
    data = archives.sevenzip_bytes({"a.txt": b"SECRET"}, password="hunter2")
    held_for(walk(data, name="locked.7z"), "extract.encrypted")


@pytest.mark.parametrize(("name", "make"), [
    ("cut.zip", lambda: archives.zip_bytes({"a.txt": os.urandom(4000)})[:2000]),
    ("cut.txt.gz", lambda: archives.gzip_bytes(b"words " * 2000)[:9]),
    ("junk.7z", lambda: b"7z\xbc\xaf\x27\x1c" + b"\x00\x04garbage" * 30),
])
def test_damaged_archives_are_unparseable_and_held(walk, name, make):
    held_for(walk(make(), name=name), "extract.unparseable")


def test_overlapping_entries_zip_is_held_as_bomb(walk):
    walked = walk(archives.overlapping_zip(entries=50), name="overlap.zip")
    hits = held_for(walked, "limit.max_ratio")
    assert "overlapping zip entries" in hits[0].excerpt


def test_normal_zips_give_no_overlap_hit(walk):
    for data in (archives.many_members_zip(40, 2000), archives.nested_zip(3, b"text"),
                 archives.zip_bytes({"a/": b"", "a/b.txt": b"b", "c.txt": b""})):
        walked = walk(data, name="normal.zip")
        assert walked.verdict.action == "pass", walked.verdict.hits


@pytest.mark.parametrize(("limits", "rule"), [
    (Limits(part_seconds=0.05, max_ratio=1e6), "limit.part_seconds"),
    (Limits(item_seconds=0.05, max_ratio=1e6), "limit.item_seconds"),
])
def test_slow_extraction_hits_time_limit_and_stops_there(walk, limits, rule):
    # The limit stops the work rather than reporting it afterwards: the stream was not
    # inflated to its end. (How soon after the limit it stops: bench/extract_speed.py.)
    data = archives.gzip_zeros(200)  # about 0.3 s to inflate, far over 0.05 s
    walked = walk(data, name="slow.gz", limits=limits)
    held_for(walked, rule)
    assert walked.verdict.stats.expanded_bytes < 200 * MiB
