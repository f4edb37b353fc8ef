"""The scanner's cache of picture texts (filters.ocr.TextCache): a picture met again in a
later mail gives the text it gave before without being read, and nothing else does."""

from __future__ import annotations

import io

import pytest
from conftest import require_peer
from PIL import Image

from filters.build import FiltersConfig, build_pipeline
from filters.limits import Budget, Limits
from filters.ocr import MAX_PHOTO_WORD_CHECKS, TextCache, read_for_item
from filters.types import Part
from tests.fixtures import images as pictures

GENEROUS = {"part_seconds": 120.0, "item_seconds": 300.0, "ocr_item_seconds": 240.0,
            "ocr_page_seconds": 120.0}


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture
def pipeline():
    built = build_pipeline(FiltersConfig.from_mapping({"limits": GENEROUS}))
    assert built.ocr is not None, f"OCR is not active: {built.ocr_status.reason}"
    built.ocr.texts.clear()  # the process's reader: no other test's pictures in its cache
    return built


def scan(pipeline, data: bytes, name: str):
    return pipeline.scan(Part(origin=name, data=data, name=name))


def ocr_hits(verdict) -> list[tuple[str, str, str]]:
    return sorted((h.rule, h.where, h.excerpt) for h in verdict.hits)


def test_a_picture_in_a_later_mail_gives_its_text_without_being_read(pipeline):
    data = pictures.encode(pictures.banner("SECRET", (200, 60)), "PNG")
    first = scan(pipeline, data, "logo.png")
    again = scan(pipeline, data, "logo.png")
    assert first.action != "pass" and again.action == first.action
    assert ocr_hits(again) == ocr_hits(first)
    assert (first.stats.ocr_pages, first.stats.ocr_cached) == (1, 0)
    assert (again.stats.ocr_pages, again.stats.ocr_cached) == (1, 1)
    assert again.stats.ocr_seconds == 0.0 < first.stats.ocr_seconds
    assert again.stats.as_dict()["ocr_cached"] == 1


def test_other_bytes_with_the_same_name_are_read(pipeline):
    scan(pipeline, pictures.encode(pictures.banner("HOLIDAY", (200, 60)), "PNG"), "logo.png")
    verdict = scan(pipeline, pictures.encode(pictures.banner("SECRET", (200, 60)), "PNG"),
                   "logo.png")
    assert verdict.action != "pass" and verdict.stats.ocr_cached == 0


def test_each_frame_of_an_animation_keeps_its_own_text(pipeline):
    frames = [pictures.banner(word, (240, 70)).convert("RGB") for word in ("HOLIDAY", "SECRET")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=500, loop=0)
    first = scan(pipeline, out.getvalue(), "banner.gif")
    again = scan(pipeline, out.getvalue(), "banner.gif")
    assert any(h.where == "banner.gif/page[2]#ocr" for h in first.hits)
    assert ocr_hits(again) == ocr_hits(first)
    assert (again.stats.ocr_pages, again.stats.ocr_cached) == (2, 2)


def test_a_photo_read_without_its_words_pass_is_read_again_where_the_pass_runs(pipeline):
    # An item's fifth photograph is not looked over for words: its text lacks them, and
    # must not be what the same photograph gives as an item's first.
    photo = pictures.words_on_photo(pictures.landscape_photo(seed=101, size=(1800, 1200)),
                                    "CONFIDENTIAL", fill=(35, 35, 55), size=78, at=(0.41, 0.2))
    picture = Image.open(io.BytesIO(pictures.camera(photo, seed=201)))
    source = b"IMG_2040.jpg frame 0"
    late = Budget(Limits(**GENEROUS), ocr=pipeline.ocr)
    late.photo_word_checks = MAX_PHOTO_WORD_CHECKS
    assert read_for_item(late, picture, "deck.pptx/slide5.jpg", source) == ("", None)
    first = Budget(Limits(**GENEROUS), ocr=pipeline.ocr)
    text, _ = read_for_item(first, picture, "IMG_2040.jpg", source)
    assert "CONFIDENTIAL" in text and first.ocr_cached == 0
    # Met again as a first photograph: its text, and it counts as looked over.
    again = Budget(Limits(**GENEROUS), ocr=pipeline.ocr)
    assert read_for_item(again, picture, "IMG_2040.jpg", source) == (text, None)
    assert (again.ocr_cached, again.photo_word_checks, again.ocr_pages) == (1, 1, 1)


def test_a_reading_a_limit_cut_short_is_not_kept(pipeline):
    picture = pictures.text_page([pictures.BODY_EN], banner="SECRET")
    source = b"report-scan.png frame 0"
    hurried = Budget(Limits(**{**GENEROUS, "ocr_page_seconds": 0.001}), ocr=pipeline.ocr)
    _, defect = read_for_item(hurried, picture, "scan.png", source)
    assert defect is not None and defect.rule == "limit.ocr_page_seconds"
    budget = Budget(Limits(**GENEROUS), ocr=pipeline.ocr)
    text, defect = read_for_item(budget, picture, "scan.png", source)
    assert defect is None and "SECRET" in text and budget.ocr_cached == 0


def test_the_cache_keeps_the_entries_used_last_and_knows_its_settings():
    cache = TextCache("eng min_confidence=50", entries=2)
    a, b, c = (cache.key(name, words=True) for name in (b"a", b"b", b"c"))
    cache.put(a, "SECRET", False)
    cache.put(b, "", True)
    assert cache.get(a) == ("SECRET", False)  # a is now the more recent
    cache.put(c, "DRAFT", False)
    assert (cache.get(a), cache.get(b), cache.get(c)) == (("SECRET", False), None, ("DRAFT", False))
    assert len(cache) == 2
    assert cache.key(b"a", words=False) != a
    assert TextCache("eng min_confidence=80").key(b"a", words=True) != a
    cache.put(cache.key(b"page", words=True), "x" * 100_000, False)  # a long text is not kept
    assert cache.get(cache.key(b"page", words=True)) is None
