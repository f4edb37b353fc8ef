"""The officer UI shows a fingerprint hit beside the rejected item it names: a headless
Chromium opens the held resend, follows "Compare with Q-…" and sees the same passage on both
sides, with a link to the source; reading the source is audited."""

from __future__ import annotations

from datetime import UTC, datetime

import test_ui_browser
from ui_harness import PASSWORD, add_user, running_ui

from filters.build import FiltersConfig, build_pipeline, fingerprint_engine
from filters.engines.fingerprint import FingerprintConfig
from quarantine.fingerprints import follow_rejections
from quarantine.sqlite_store import SqliteStore
from quarantine.store import HoldRequest
from tests.fixtures.reports import FLOOD_REVIEW, body, rewrap

browser = test_ui_browser.browser  # Debian's chromium through Playwright


class StoreSource:
    def __init__(self, store) -> None:
        self.store = store

    def changes(self, after: int):
        return self.store.fingerprint_changes(after)


def mail(subject: str, text: str) -> bytes:
    return (f"From: anna@example.org\r\nTo: tom@partner.example\r\nSubject: {subject}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            + text.replace("\n", "\r\n")).encode()


def hold_scanned(store, pipeline, subject: str, content: bytes) -> str:
    verdict = pipeline.scan_bytes(content, origin="mail", declared_type="message/rfc822")
    assert verdict.action == "quarantine", verdict.hits
    return store.hold(HoldRequest(kind="mail", sender="anna@example.org",
                                  recipients=("tom@partner.example",), subject=subject,
                                  verdict=verdict, content=content,
                                  received=datetime.now(UTC))).id


def reject_then_resend(store, ui, paragraphs: list[str]) -> tuple[str, str]:
    """Hold a marked report, have officer olga reject it, then hold a resend of two of its
    paragraphs without the marking: returns the two items' ids."""
    pipeline = build_pipeline(FiltersConfig.from_mapping({}))
    engine = fingerprint_engine(pipeline)
    engine.source = StoreSource(store)
    add_user(ui, "olga", "officer")
    first = hold_scanned(store, pipeline, "review",
                         mail("review", "SECRET\n\n" + body(paragraphs) + "\n\nSECRET\n"))
    ui.service.reject(first, "olga", "classified")
    follow_rejections(store, FingerprintConfig(), store.now())
    engine.refresh(force=True)
    resend = hold_scanned(store, pipeline, "notes",
                          mail("notes", "Tom,\n\n" + rewrap(body(paragraphs[2:4]))))
    return first, resend


def test_a_fingerprint_hit_is_shown_beside_the_rejected_item_it_names(browser, tmp_path):
    store = SqliteStore(tmp_path / "quarantine.sqlite")
    try:
        with running_ui(store) as ui:
            first, resend = reject_then_resend(store, ui, list(FLOOD_REVIEW))
            assert [h.category for h in store.get(resend).hits] == ["fingerprint"]

            context = browser.new_context()
            context.set_default_timeout(5000)
            page = context.new_page()
            page.goto(f"{ui.url}/login")
            page.fill("input[name=name]", "olga")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{ui.url}/queue")
            page.goto(f"{ui.url}/items/{resend}")
            head = page.locator(".hit-head").inner_text()
            assert f"of {first}, rejected" in head
            page.click(f"text=Compare with {first}")
            page.wait_for_url(f"{ui.url}/items/{resend}/compare/0")
            here = page.locator(".compare-here pre").inner_text()
            there = " ".join(page.locator(".compare-there pre").all_inner_texts())
            assert "telemetry" in here and "telemetry" in there
            assert "standby generator" in there
            page.click(f".compare-there h2 a:has-text('{first}')")
            page.wait_for_url(f"{ui.url}/items/{first}")
            context.close()
        views = [(e.actor, e.action) for e in store.audit_entries(first)]
        assert ("olga", "view") in views
    finally:
        store.close()


def test_the_source_passages_of_a_comparison_show_identifiers_masked(tmp_path):
    """The compare page quotes another held item's text: a card number in the shared
    passage is masked there as in every excerpt (fails when the page quotes it whole)."""
    import asyncio

    from ui_harness import client, sign_in

    card = "4556737586899855"  # Visa range, Luhn-valid, not a published test card
    paragraphs = list(FLOOD_REVIEW)
    paragraphs[2] = paragraphs[2].replace("of the telemetry system", f"of the telemetry system {card}")
    store = SqliteStore(tmp_path / "quarantine.sqlite")
    try:
        with running_ui(store) as ui:
            _first, resend = reject_then_resend(store, ui, paragraphs)
            assert "fingerprint" in [h.category for h in store.get(resend).hits]

            async def page() -> str:
                async with client() as session:
                    await sign_in(session, ui.url, "olga")
                    index = [h.category for h in store.get(resend).hits].index("fingerprint")
                    async with session.get(f"{ui.url}/items/{resend}/compare/{index}") as response:
                        assert response.status == 200
                        return await response.text()

            html = asyncio.run(page())
        assert "telemetry" in html and "standby generator" in html
        assert card not in html
        assert "455673******9855" in html
    finally:
        store.close()
