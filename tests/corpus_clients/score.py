"""Send every client-shaped mail through a real ``redline serve`` SMTP listener and print
held/passed against what is expected: ``python tests/corpus_clients/score.py``
(with PYTHONPATH set to the tree and its tests/ folder, to score that tree)."""

from __future__ import annotations

import re
import smtplib
import sys
import tempfile
import uuid
from pathlib import Path

from integration.listeners_harness import Listeners, Outcome

from tests.corpus_clients.cases import CASES, SMTPUTF8_ENVELOPE, Case


def send(gateway: Listeners, case: Case, variant: str) -> Outcome:
    """One variant over SMTP (with SMTPUTF8 and a UTF-8 envelope where the case needs it)."""
    if not case.smtputf8:
        return gateway.mail(case.build(variant))
    tag = uuid.uuid4().hex[:12]
    data = re.sub(rb"(?im)^Subject:([^\r\n]*)", lambda m: m.group(0) + f" [{tag}]".encode(),
                  case.build(variant), count=1)
    before = len(gateway.upstream.messages)
    sender, recipients = SMTPUTF8_ENVELOPE
    with smtplib.SMTP("127.0.0.1", gateway.ports["smtp"], timeout=30) as client:
        client.sendmail(sender, recipients, data, mail_options=["SMTPUTF8", "BODY=8BITMIME"])
    item = gateway.held_item(tag)
    if item is not None:
        return Outcome(True, item["hits"])
    delivered = [m for m in gateway.upstream.messages[before:] if tag.encode() in m.content]
    assert delivered, f"mail {tag} was neither held nor delivered"
    return Outcome(False, [])


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        gateway = Listeners(Path(tmp), ready_seconds=400.0)
        try:
            right = total = 0
            for case in CASES:
                for variant, expected in case.expected.items():
                    try:
                        outcome = send(gateway, case, variant)
                        got = "held" if outcome.held else "passed"
                        rules = ",".join(sorted(outcome.rules()))
                    except (smtplib.SMTPException, AssertionError) as error:
                        got, rules = "refused", str(error)[:60]
                    total += 1
                    right += got == expected
                    mark = "ok  " if got == expected else "MISS"
                    print(f"{mark} {case.name:32} {variant:7} expected {expected:6} got {got:7} {rules}",
                          flush=True)
            print(f"{right}/{total} as expected")
        finally:
            gateway.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
