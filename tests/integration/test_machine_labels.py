"""Machine-readable classification labels in mail headers (RFC 2156 Sensitivity, RFC 7444
SIO-Label, the Australian and New Zealand protective-marking fields and subject forms,
Purview's msip_labels, Titus's headers), sent through the real SMTP listener: a mail labelled
at a level the organisation holds is held for its classification; its twin labelled
UNCLASSIFIED, OFFICIAL, Private or Personal is delivered. Items: tests/corpus_labels/cases.py.
"""

from __future__ import annotations

import pytest
from corpus_labels.cases import CASES
from corpus_labels.test_corpus_labels import KNOWN_MISSES
from integration.listeners_harness import Listeners

HEADER_CASES = [c for c in CASES if c.header]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("labels"))
    yield server
    server.close()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(c.name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[c.name])]
                     if c.name in KNOWN_MISSES else [])
        for c in HEADER_CASES
    ],
)
def test_labelled_mail_through_the_listener(gateway, name):
    case = next(c for c in HEADER_CASES if c.name == name)
    outcome = gateway.mail(case.build())
    if case.expect == "none":
        assert not outcome.held, outcome.excerpts()
    else:
        assert outcome.held and any(h["category"] == case.expect for h in outcome.hits), outcome.excerpts()
