"""Client-shaped outbound mail through the real SMTP listener: every marked variant is
held, every clean one passes, encrypted mail is held whatever it hides (docs/coverage.md).
Misses still open are strict expected failures, so a fix shows up as an XPASS."""

from __future__ import annotations

import pytest
from integration.listeners_harness import Listeners

from tests.corpus_clients.cases import CASES
from tests.corpus_clients.score import send

# None open: a Google Drive share, whose only marking is the linked document's title, is
# read from the link's text as a title (filters/extract/html.py).
OPEN_MISSES: set[tuple[str, str]] = set()

ITEMS = [pytest.param(case, variant, expected, id=f"{case.name}-{variant}",
                      marks=[pytest.mark.xfail(strict=True, reason="open miss")]
                      if (case.name, variant) in OPEN_MISSES else [])
         for case in CASES for variant, expected in case.expected.items()]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("clients"), ready_seconds=300.0)
    yield server
    server.close()


@pytest.mark.parametrize(("case", "variant", "expected"), ITEMS)
def test_client_mail_is_held_or_passed_as_labelled(gateway, case, variant, expected):
    outcome = send(gateway, case, variant)
    assert ("held" if outcome.held else "passed") == expected, outcome.excerpts()
    if expected == "held" and variant == "clean":  # encrypted: held as unreadable, not marked
        assert outcome.rules() <= {"extract.encrypted", "filetype.opaque"}, outcome.excerpts()


def _plain(first_line: str) -> bytes:
    return ("From: Alice Moreno <alice@example.org>\r\nTo: bob@partner.test\r\nSubject: notes\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{first_line}\r\n\r\nThe panel met on Monday and agreed the scores.\r\n").encode()


@pytest.mark.parametrize("line", [
    "**Status: DRAFT - do not forward**",  # Markdown bold round a field and its value
    "**Status:** Draft",  # bold label, as Markdown writes a field
    "Status: *DRAFT*",  # Gmail's plain-text part writes bold as asterisks
    "__Classification__: SECRET",
    "Draft for comment - not for onward distribution",
    "DRAFT - NOT FOR WIDER CIRCULATION",
])
def test_emphasised_fields_and_onward_distribution_notices_are_held(gateway, line):
    outcome = gateway.mail(_plain(line))
    assert outcome.held, line


@pytest.mark.parametrize("line", [
    "**Note:** the draft is attached",
    "**Status:** drafted and sent to the panel",
    "**Type:** Confidentiality agreement, signed",
    "These figures are not for onward distribution.",
    "The draft is not for wider circulation yet, sorry.",
])
def test_emphasis_and_onward_wording_in_ordinary_writing_pass(gateway, line):
    outcome = gateway.mail(_plain(line))
    assert not outcome.held, outcome.excerpts()
