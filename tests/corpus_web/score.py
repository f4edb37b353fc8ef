"""Score the web corpus through Redline's upload inspection (the proxy's and ICAP's entry point).

Each case is given to ``UploadInspector.inspect`` as the proxy gives it: a small form or
JSON body from memory, anything else spooled to a file; a request with nothing to inspect
passes as it does in the proxy. Prints recall per outcome, false positives and each miss.

    .venv/bin/python tests/corpus_web/score.py [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from filters.build import build_pipeline
from filters.engines.signup import SignupDetector
from gateway.web.upload_decoding import decodes_in_memory
from gateway.web.uploads import UploadInspector, UploadRequest, inspection_needed
from quarantine.sqlite_store import SqliteStore
from tests.corpus_web.cases import CASES, ORG, Case

# What the inspector's action means for a case's outcome.
OUTCOME = {"quarantine": "hold", "reject": "block", "pass": "pass"}


class Scorer:
    """A real pipeline, SQLite store and sign-up detector for the organisation's domains."""

    def __init__(self, tmp: Path, pipeline=None) -> None:
        self.store = SqliteStore(tmp / "quarantine.sqlite")
        self.inspector = UploadInspector(pipeline or build_pipeline(), self.store,
                                         SignupDetector(ORG), spool_dir=tmp / "spool",
                                         max_body_bytes=1 << 28, workers=1)

    def close(self) -> None:
        self.inspector.close()
        self.store.close()

    def outcome(self, case: Case) -> tuple[str, str]:
        """(hold | block | pass | error, detail) for ``case``."""
        return asyncio.run(self._outcome(case))

    async def _outcome(self, case: Case) -> tuple[str, str]:
        target = case.url
        headers = [*case.headers, ("Content-Length", str(len(case.body)))]
        if not inspection_needed(case.method, target, headers, bool(case.body)):
            return "pass", "nothing to inspect"
        ctype = next((v for k, v in case.headers if k.lower() == "content-type"), "")
        coding = next((v for k, v in case.headers if k.lower() == "content-encoding"), "")
        workdir = None
        body: bytes | Path | None = case.body or None
        if case.body and not decodes_in_memory(ctype, coding, len(case.body)):
            workdir = self.inspector.new_workdir()
            body = workdir / "body"
            body.write_bytes(case.body)
        request = UploadRequest(method=case.method, url=case.url, headers=headers, body=body,
                                client="127.0.0.1", user="", listener="http")
        decision = await self.inspector.inspect(request, workdir)
        if decision.error:
            return "error", decision.error
        detail = ""
        if decision.verdict is not None:
            detail = "; ".join(f"{hit.rule} at {hit.where}" for hit in decision.verdict.hits[:3])
        return OUTCOME.get(decision.action, decision.action), detail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="write every case's outcome here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scorer = Scorer(Path(tmp))
        try:
            results = {case.name: scorer.outcome(case) for case in CASES}
        finally:
            scorer.close()
    found, total, misses = Counter(), Counter(), []
    false_positives = 0
    for case in CASES:
        got, detail = results[case.name]
        kind = "signup" if "signup" in case.tags else "upload"
        total[(kind, case.expect)] += 1
        if got == case.expect:
            found[(kind, case.expect)] += 1
        else:
            misses.append((case, got, detail))
            if case.expect == "pass":
                false_positives += 1
    print(f"{'kind':8} {'expected':8} {'met':>5} {'of':>4}")
    for key in sorted(total):
        print(f"{key[0]:8} {key[1]:8} {found[key]:5d} {total[key]:4d}")
    print(f"false positives (pass expected, not passed): {false_positives}")
    print(f"all: {sum(found.values())}/{len(CASES)}")
    for case, got, detail in misses:
        print(f"MISS {case.name}: expected {case.expect}, got {got} {detail}")
    if args.json:
        args.json.write_text(json.dumps({n: list(v) for n, v in results.items()}, indent=1,
                                        ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
