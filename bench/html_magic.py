"""Does the plainly-HTML shortcut of filters.detect answer as libmagic does, and what it saves.

    .venv/bin/python bench/html_magic.py [--per-root 3000] [ROOT ...]

Reads every .htm/.html file under the roots (by default the machine's documentation,
Python's and Rust's HTML docs, the test corpora and the HTML parts of bench/mix_corpus.py's
mix), and types each head twice with ``detect_type``, once declared text/html and once only
named .html: with the shortcut and with libmagic alone. Prints, per root, how many heads
the shortcut answered and how many of those answers differ from libmagic's (the list of
such files follows the table; it must be empty), then the CPU per answer each way.
"""

from __future__ import annotations

import argparse
import email
import sys
import tempfile
import time
from email import policy
from pathlib import Path
from unittest import mock

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from filters import detect  # noqa: E402
from filters.types import Part  # noqa: E402

DEFAULT_ROOTS = [
    "/usr/share/doc", "/usr/share/gtk-doc", "/usr/lib/node_modules", "/usr/lib/google-cloud-sdk",
    "/usr/lib/rabbitmq", "/usr/share/prometheus", "/root/.pyenv/versions", "/opt/pypi/simple",
    "/root/.rustup/toolchains", str(ROOT / "tests"),
]


def _html_files(root: Path, limit: int) -> list[Path]:
    found = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".htm", ".html") and p.is_file())
    step = max(1, len(found) // limit) if limit else 1
    return found[::step]


def _mix_parts() -> list[tuple[str, bytes]]:
    import mix_corpus

    with tempfile.TemporaryDirectory() as folder:
        paths = mix_corpus.generate(Path(folder), 400, 21)
        parts = []
        for path in paths:
            message = email.message_from_bytes(path.read_bytes(), policy=policy.compat32)
            for index, leaf in enumerate(message.walk()):
                if leaf.get_content_type() == "text/html":
                    parts.append((f"{path.name}#{index}", leaf.get_payload(decode=True)))
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", default=DEFAULT_ROOTS)
    parser.add_argument("--per-root", type=int, default=3000, help="files at most per root (0: all)")
    args = parser.parse_args()

    samples: dict[str, list[tuple[str, bytes]]] = {"mix HTML parts": _mix_parts()}
    for root in args.roots:
        if Path(root).is_dir():
            samples[root] = [(str(p), p.read_bytes()[:detect.HEAD_BYTES])
                             for p in _html_files(Path(root), args.per_root)]

    differ: list[str] = []
    timings = {"shortcut": 0.0, "libmagic": 0.0}
    print("| root | HTML files | shortcut answered | differ from libmagic |")
    print("|---|---|---|---|")
    for root, files in samples.items():
        answered = differing = 0
        for name, data in files:
            for declared, file_name in (("text/html", ""), ("", "page.html")):
                part = Part(origin=name, data=data, name=file_name, declared_type=declared)
                if detect.plainly_html(part.head(detect.HEAD_BYTES), declared, file_name):
                    answered += 1
                start = time.process_time()
                fast = detect.detect_type(part)
                timings["shortcut"] += time.process_time() - start
                with mock.patch.object(detect, "plainly_html", return_value=False):
                    start = time.process_time()
                    slow = detect.detect_type(part)
                    timings["libmagic"] += time.process_time() - start
                if fast != slow:
                    differing += 1
                    differ.append(f"{name} ({declared or file_name}): shortcut {fast}, libmagic {slow}")
        print(f"| {root} | {len(files)} | {answered} (of {2 * len(files)} typings) | "
              f"{differing} |")
    typings = 2 * sum(len(f) for f in samples.values())
    print(f"\nCPU per typing over {typings}: shortcut where it applies, else libmagic "
          f"{1e6 * timings['shortcut'] / typings:.0f} µs; libmagic always "
          f"{1e6 * timings['libmagic'] / typings:.0f} µs")
    for line in differ:
        print("DIFFERS", line)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
