"""The fingerprint engine: passages of registered documents found again, however they are
sent, and boilerplate, common phrases, other reports and translations left alone."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from filters.build import FiltersConfig, build_pipeline, fingerprint_engine
from filters.engines.fingerprint import FingerprintConfig, FingerprintEngine
from filters.fingerprint_index import Changes, FingerprintIndex, RegisteredDocument
from filters.fingerprint_texts import item_text
from filters.shingles import SHINGLE, WINDOW, document_fingerprints, shingle
from filters.types import Hit, Part
from tests.fixtures.reports import (
    DISCLAIMER,
    FLOOD_PLAN,
    FLOOD_REVIEW,
    FLOOD_REVIEW_ES,
    PORT_REPORT_ZH,
    body,
    rewrap,
)

BANNER = "SECRET // LOWER VALLEY WATER BOARD"


def registered(doc_id: int, texts: list[str], source: str = "Q-7X9B-Y3W4",
               kind: str = "rejected") -> RegisteredDocument:
    hashes, words = document_fingerprints(texts)
    return RegisteredDocument(doc_id, source, kind, "2026-12-01", hashes, words)


def engine_with(*documents: RegisteredDocument, config: FingerprintConfig | None = None,
                boilerplate: tuple[str, ...] = ()) -> FingerprintEngine:
    engine = FingerprintEngine(config, boilerplate=boilerplate)
    engine.index.add(documents)
    return engine


def scan_item(engine: FingerprintEngine, *texts: str) -> list[Hit]:
    engine.begin_item()
    for number, text in enumerate(texts):
        assert list(engine.scan(Part(origin=f"mail/body[{number}]", text=text))) == []
    return engine.end_item("mail")


def review_marked() -> list[str]:
    return [BANNER, *FLOOD_REVIEW, BANNER]


# -- what must be found -----------------------------------------------------------------


def test_document_with_its_banner_removed_matches_and_names_the_source_and_share():
    engine = engine_with(registered(1, [body(review_marked())]))
    [hit] = scan_item(engine, body(FLOOD_REVIEW))
    assert hit.category == "fingerprint" and hit.rule == "fingerprint.rejected"
    assert hit.severity == "high"
    assert hit.description.startswith("matches ")
    share = int(hit.description.split()[1])
    assert share >= 90
    assert "% of Q-7X9B-Y3W4, rejected 2026-12-01" in hit.description
    assert "telemetry" in hit.excerpt or "generator" in hit.excerpt


def test_three_paragraphs_pasted_into_a_mail_body_with_rewrapped_lines_match():
    engine = engine_with(registered(1, [body(review_marked())]))
    mail = ("Hi Tom,\n\nas promised, the bits you asked about, before the meeting:\n\n"
            + rewrap(body(FLOOD_REVIEW[2:5])) + "\nCheers,\nAnna\n\n-- \n" + DISCLAIMER)
    [hit] = scan_item(engine, mail)
    share = int(hit.description.split()[1])
    assert 20 <= share < 90  # three paragraphs of six: a part of the document
    assert hit.where == "mail/body[0]"


def test_one_paragraph_pasted_is_enough():
    engine = engine_with(registered(1, [body(review_marked())]))
    assert len(scan_item(engine, "See below.\n\n" + FLOOD_REVIEW[2])) == 1


def test_reordered_paragraphs_match():
    engine = engine_with(registered(1, [body(review_marked())]))
    shuffled = [FLOOD_REVIEW[4], FLOOD_REVIEW[1], FLOOD_REVIEW[5], FLOOD_REVIEW[3]]
    [hit] = scan_item(engine, body(shuffled))
    assert int(hit.description.split()[1]) >= 50


def test_homoglyphs_zero_width_characters_and_spacing_do_not_break_a_match():
    engine = engine_with(registered(1, [body(review_marked())]))
    text = FLOOD_REVIEW[2] + "\n\n" + FLOOD_REVIEW[3]
    # Cyrillic а, е, о for Latin a, e, o; a zero-width space inside every fifth word;
    # double spaces; full-width digits and letter spacing in the first words.
    tricked = text.replace("a", "\u0430").replace("e", "\u0435").replace("o", "\u043e")
    words = tricked.split(" ")
    words = [w[:2] + "\u200b" + w[2:] if i % 5 == 0 and len(w) > 3 else w
             for i, w in enumerate(words)]
    tricked = "  ".join(words).replace("forty", "f o r t y")
    assert tricked != text
    assert len(scan_item(engine, tricked)) == 1


def test_a_document_split_over_parts_is_one_hit_with_its_whole_share():
    engine = engine_with(registered(1, [body(review_marked())]))
    hits = scan_item(engine, body(FLOOD_REVIEW[:3]), body(FLOOD_REVIEW[3:]))
    assert len(hits) == 1
    assert int(hits[0].description.split()[1]) >= 90


def test_chinese_text_is_shingled_by_characters_and_spacing_between_them_is_undone():
    engine = engine_with(registered(7, PORT_REPORT_ZH, source="port-review", kind="registered"))
    pasted = " ".join(PORT_REPORT_ZH[1])  # a space between every character
    [hit] = scan_item(engine, "请看下面这段：\n" + pasted + "\n" + PORT_REPORT_ZH[2])
    assert hit.rule == "fingerprint.registered"
    assert "of port-review, registered 2026-12-01" in hit.description


def test_a_registered_document_is_found_in_the_parts_of_a_pipeline_scan():
    config = FiltersConfig.from_mapping({})
    pipeline = build_pipeline(config)
    engine = fingerprint_engine(pipeline)
    assert engine is not None
    engine.index.add([registered(1, [body(review_marked())])])
    mail = ("From: a@example.org\r\nTo: b@example.net\r\nSubject: notes\r\n\r\n"
            + rewrap(body(FLOOD_REVIEW[1:4])).replace("\n", "\r\n")).encode()
    verdict = pipeline.scan_bytes(mail, origin="mail", declared_type="message/rfc822")
    assert verdict.action == "quarantine"
    assert [h.category for h in verdict.hits] == ["fingerprint"]


# -- what must not be found -------------------------------------------------------------


def test_a_translation_does_not_match():
    """Fingerprints compare words: a translation shares none, so it is not found (the
    docs say so)."""
    engine = engine_with(registered(1, [body(review_marked())]))
    assert scan_item(engine, FLOOD_REVIEW_ES) == []
    assert engine.matches(FLOOD_REVIEW_ES) == []


def test_a_different_report_on_the_same_topic_does_not_match():
    engine = engine_with(registered(1, [body(review_marked())]))
    assert scan_item(engine, body(FLOOD_PLAN)) == []
    assert engine.matches(body(FLOOD_PLAN)) == []


def test_a_configured_disclaimer_shared_with_a_registered_document_does_not_match():
    engine = engine_with(registered(1, [body(review_marked()), DISCLAIMER]),
                         boilerplate=(DISCLAIMER,))
    unrelated = "Hello, the minutes of Tuesday's meeting are on the shared drive.\n\n-- \n"
    assert scan_item(engine, unrelated + DISCLAIMER) == []


def test_a_disclaimer_in_many_registered_documents_is_boilerplate_without_configuration():
    config = FingerprintConfig(boilerplate_documents=3)
    docs = [registered(1, [body(review_marked()), DISCLAIMER]),
            registered(2, [body(FLOOD_PLAN), DISCLAIMER], source="Q-AAAA-BBBB"),
            registered(3, [body(PORT_REPORT_ZH), DISCLAIMER], source="Q-CCCC-DDDD")]
    engine = engine_with(*docs, config=config)
    assert scan_item(engine, "Minutes attached.\n\n" + DISCLAIMER) == []
    # ... and the documents themselves are still found.
    assert len(scan_item(engine, body(FLOOD_REVIEW[1:4]))) == 1


def test_a_mail_signature_is_not_registered_with_a_rejected_mail():
    rejected = ("From: anna@example.org\r\nTo: tom@example.net\r\nSubject: review\r\n\r\n"
                + body(review_marked()) + "\n\n-- \nAnna\n" + DISCLAIMER).encode()
    text = item_text(rejected, name="mail", declared_type="message/rfc822")
    assert text.unread == ()
    engine = engine_with(RegisteredDocument(1, "Q-7X9B-Y3W4", "rejected", "2026-12-01",
                                            text.hashes, text.words))
    assert scan_item(engine, "Minutes attached.\n\n-- \nTom\n" + DISCLAIMER) == []
    assert len(scan_item(engine, body(FLOOD_REVIEW[1:3]))) == 1


def test_an_unconfigured_disclaimer_in_the_text_of_one_document_does_match():
    """The limit of the defaults, stated: a footer inside a registered document's own text
    that is neither configured nor in boilerplate_documents documents is its text."""
    engine = engine_with(registered(1, [body(review_marked()), DISCLAIMER]))
    assert len(scan_item(engine, "Minutes attached.\n\n" + DISCLAIMER)) == 1


def test_common_phrases_scattered_through_a_text_do_not_add_up_to_a_match():
    engine = engine_with(registered(1, [body(review_marked())]))
    phrases = ["the control room", "for the first time since", "in order of urgency",
               "on the morning of the eleventh", "the review team interviewed the duty",
               "two hundred and forty households", "which nobody had practised"]
    filler = "We talked about several things at the depot today. "
    text = " ".join(f"{filler}{p} was mentioned, {p}." for p in phrases * 2)
    assert scan_item(engine, text) == []


def test_a_short_quotation_below_the_run_length_does_not_match():
    engine = engine_with(registered(1, [body(review_marked())]))
    quote = " ".join(FLOOD_REVIEW[2].split()[:18])
    assert scan_item(engine, f'As the review put it, "{quote}", and we agree.') == []


def test_nothing_registered_costs_no_shingling():
    engine = FingerprintEngine()
    assert scan_item(engine, body(FLOOD_REVIEW)) == []


# -- shingles and the index -------------------------------------------------------------


def test_a_shared_run_of_shingle_plus_window_tokens_always_shares_a_fingerprint():
    words = body(FLOOD_REVIEW).split()
    run = SHINGLE + WINDOW - 1
    for start in range(0, len(words) - run, 37):
        passage = " ".join(["lorem"] * 7 + words[start:start + run] + ["ipsum"] * 7)
        shared = np.intersect1d(shingle(passage).hashes, shingle(" ".join(words)).hashes)
        assert len(shared) >= 1, start


def test_fingerprints_are_the_same_in_every_process():
    """Stored fingerprints must not depend on Python's per-process string hash."""
    assert shingle("the pumping station at the mouth of the canal").hashes.tolist() == \
        [int(h) for h in shingle("The  pumping station at the mouth of the canal").hashes]
    code = ("from filters.shingles import shingle; "
            "print(shingle('one two three four five six').hashes.tolist())")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert seen == {f"{shingle('one two three four five six').hashes.tolist()}\n"}


def test_removed_documents_stop_matching_and_compaction_keeps_the_rest():
    index = FingerprintIndex()
    engine = FingerprintEngine(index=index)
    index.add([registered(1, [body(FLOOD_REVIEW)])])
    for number in range(2, 14):  # more segments than are kept apart: merged on the way
        index.add([registered(number, [body(FLOOD_PLAN) + f" version {number}"],
                              source=f"plan-{number}")])
    index.remove([1])
    assert scan_item(engine, body(FLOOD_REVIEW)) == []
    index.compact()
    assert 1 not in set(index.lookup(shingle(body(FLOOD_REVIEW)).hashes, 100)[1].tolist())
    index.add([registered(1, [body(FLOOD_REVIEW)])])
    assert len(scan_item(engine, body(FLOOD_REVIEW))) == 1


class ListSource:
    """A FingerprintSource over a list of changes (the store's change log, in memory)."""

    def __init__(self) -> None:
        self.log: list[tuple[int, RegisteredDocument | None, int]] = []
        self.asked: list[int] = []

    def changes(self, after: int) -> Changes:
        self.asked.append(after)
        newer = [entry for entry in self.log if entry[0] > after]
        return Changes(added=[doc for _, doc, _ in newer if doc is not None],
                       removed=[doc_id for _, doc, doc_id in newer if doc is None],
                       watermark=max([after] + [seq for seq, _, _ in newer]))


def test_the_index_reads_only_changes_after_its_watermark_at_most_every_refresh_seconds():
    now = [0.0]
    source = ListSource()
    engine = FingerprintEngine(FingerprintConfig(refresh_seconds=2.0), source=source,
                               clock=lambda: now[0])
    engine.refresh()
    assert scan_item(engine, body(FLOOD_REVIEW)) == []
    source.log.append((1, registered(1, [body(FLOOD_REVIEW)]), 1))
    now[0] = 1.0
    engine.refresh()
    assert scan_item(engine, body(FLOOD_REVIEW)) == []  # not read yet: within 2 s
    now[0] = 2.5
    engine.refresh()
    assert len(scan_item(engine, body(FLOOD_REVIEW))) == 1
    source.log.append((2, None, 1))
    now[0] = 5.0
    engine.refresh()
    assert scan_item(engine, body(FLOOD_REVIEW)) == []
    assert source.asked == [0, 0, 1]
    assert engine.index.watermark == 2
    # What was applied is journalled for scanner processes forked before it.
    assert engine.sync_mark() == 2
    forked = FingerprintEngine()
    forked.apply_sync(engine.sync_since(0))
    assert len(forked.index) == 0 and forked.index.watermark == 2
    forked.apply_sync(engine.sync_since(0)[:1])
    assert len(scan_item(forked, body(FLOOD_REVIEW))) == 1


def test_a_failing_source_keeps_the_index_it_has():
    class Down:
        def changes(self, after: int) -> Changes:
            raise OSError("connection refused")

    engine = FingerprintEngine(source=Down())
    engine.index.add([registered(1, [body(FLOOD_REVIEW)])])
    assert len(scan_item(engine, body(FLOOD_REVIEW))) == 1


def test_scanner_processes_forked_before_a_registration_get_it_with_their_next_item():
    from filters.workers import PartsItem, ScanPool

    pipeline = build_pipeline(FiltersConfig.from_mapping({}))
    engine = fingerprint_engine(pipeline)
    item = PartsItem("mail", (Part(origin="mail/body", text=body(FLOOD_REVIEW[1:4])),))
    with ScanPool(pipeline, 2) as pool:
        pool.start()
        assert [o.verdict.action for o in pool.scan_items([item, item])] == ["pass", "pass"]
        doc = registered(1, [body(FLOOD_REVIEW)])
        engine.take(Changes(added=[doc], removed=[], watermark=1))
        outcomes = list(pool.scan_items([item, item, item]))
        assert [o.verdict.action for o in outcomes] == ["quarantine"] * 3
        engine.take(Changes(added=[], removed=[1], watermark=2))
        assert [o.verdict.action for o in pool.scan_items([item, item])] == ["pass", "pass"]


def _salted(words: list[str], every: int) -> str:
    out: list[str] = []
    for index, word in enumerate(words):
        out.append(word)
        if index % every == every - 1:
            out.append(f"xq{index}")
    return " ".join(out)


def test_a_nonsense_word_every_eight_words_does_not_hide_the_passages():
    """Every shingle of the text is looked up, so the registered fingerprints that
    survive between the inserted words are found wherever they now stand."""
    engine = engine_with(registered(1, [body(review_marked())]))
    words = body(FLOOD_REVIEW[1:5]).split()
    for every in (8, 12, 20):
        assert len(scan_item(engine, _salted(words, every))) == 1, every


def test_a_nonsense_word_every_five_words_breaks_every_shingle_and_is_not_found():
    """The limit, stated: when no run of five words is left whole, no fingerprint is
    left either (docs/fingerprints.md says so)."""
    engine = engine_with(registered(1, [body(review_marked())]))
    assert scan_item(engine, _salted(body(FLOOD_REVIEW[1:5]).split(), 5)) == []


def test_base64_of_the_text_in_a_mail_body_is_decoded_and_found():
    import base64

    pipeline = build_pipeline(FiltersConfig.from_mapping({}))
    fingerprint_engine(pipeline).index.add([registered(1, [body(review_marked())])])
    blob = base64.b64encode(body(FLOOD_REVIEW[1:4]).encode()).decode()
    mail = ("From: a@example.org\r\nTo: b@example.net\r\nSubject: data\r\n\r\n"
            f"the export: {blob}\r\n").encode()
    verdict = pipeline.scan_bytes(mail, origin="mail", declared_type="message/rfc822")
    assert [h.rule for h in verdict.hits] == ["fingerprint.rejected"]


def test_plain_ascii_text_and_text_with_one_accent_give_the_same_fingerprints():
    """ASCII text takes a faster path: its words must hash as in any other text."""
    plain = body(FLOOD_REVIEW[1:3])
    accented = plain + " Café."
    assert set(shingle(plain).every.tolist()) <= set(shingle(accented).every.tolist())
    assert len(np.intersect1d(shingle(plain).hashes, shingle(accented).hashes)) >= 10


def test_additions_are_merged_without_copying_the_index_loaded_before_the_fork():
    index = FingerprintIndex()
    index.add([registered(1, [body(FLOOD_REVIEW)])])
    index.compact()
    base = index._segments[0][0]
    # The same plan registered 38 times would be boilerplate at the default of 20.
    engine = FingerprintEngine(FingerprintConfig(boilerplate_documents=100), index=index)
    for number in range(2, 40):
        index.add([registered(number, [body(FLOOD_PLAN) + f" version {number}"],
                              source=f"plan-{number}")])
    assert index._segments[0][0] is base and len(index._segments) <= 9
    index.remove([1])
    for number in range(40, 60):
        index.add([registered(number, [body(PORT_REPORT_ZH) + f" {number}"], source="zh")])
    assert index._segments[0][0] is base
    assert scan_item(engine, body(FLOOD_REVIEW)) == []
    assert len(scan_item(engine, body(FLOOD_PLAN))) == 38  # every addition, merged or not
