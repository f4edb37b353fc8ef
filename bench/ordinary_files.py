"""How many ordinary files on this machine Redline holds, and why: one command, one table.

    .venv/bin/python bench/ordinary_files.py [--baseline REF|DIR] [--jobs 2] [--list] [--only LABEL]

The sample is what an office machine sends without anyone thinking of it: the Debian
documentation (every third file, as tests/corpus_blind/test_ordinary_documents.py takes
it), the licence texts, locale and time-zone data, the MIME and Perl data, Python's
standard library and its test data, the data files of the packages in .venv (CSV, JSON,
source maps, SQL, wheel RECORDs of path, hash and size), dpkg's lists of file digests,
PEM certificates, and the output of real programs written to a temporary folder
(``dpkg -l``, ``pip freeze``, ``pip list --format json``, ``sha256sum`` and ``md5sum`` of
the documentation, ``ls -lR``, ``dmesg``), and files of other kinds: man pages, message
catalogs (.mo), fonts, compiled Python (.pyc), LibreOffice's templates and gallery,
Chromium's resources, Postfix's and Squid's samples and error pages, X11 and Vim data,
icons and Poppler's character maps. Redline's own history and package metadata are
left out: they quote markings on purpose. Files of 4 MB or more are
left out. Each source is sampled by sorted position, so a run on the same machine takes
the same files.

Each tree runs ``redline scan --json`` over the sample; the table gives, per source, the
files and how many were held, then every rule that held any file with its count in each
tree (a file counts once per rule). ``--list`` prints the held files and their rules.
``--baseline REF`` is a git revision or a folder holding a Redline tree.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from checkouts import baseline_tree  # noqa: E402

MAX_BYTES = 4_000_000
SITE = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
STDLIB = Path(f"/usr/lib/python{sys.version_info[0]}.{sys.version_info[1]}")
DATA_SUFFIXES = {".csv", ".tsv", ".json", ".map", ".sql", ".txt", ".xml", ".yaml", ".yml",
                 ".toml", ".cfg", ".ini", ".dat", ".html", ".svg", ".md", ".rst", ".pem"}


def _files(root: Path, every: int = 1, keep=lambda p: True) -> list[Path]:
    if not root.exists():
        return []
    found = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
                   and keep(p) and p.stat().st_size < MAX_BYTES)
    return found[::every]


def _generated(folder: Path) -> list[Path]:
    """Output of real programs on this machine: package lists, digests, logs."""
    docs = sorted(p for p in Path("/usr/share/doc").rglob("*") if p.is_file() and not p.is_symlink())
    commands = {
        "dpkg-l.txt": ["dpkg", "-l"],
        "pip-freeze.txt": [sys.executable, "-m", "pip", "freeze"],
        "pip-list.json": [sys.executable, "-m", "pip", "list", "--format", "json"],
        "sha256sums.txt": ["sha256sum", *map(str, docs[:400])],
        "md5sums.txt": ["md5sum", *map(str, docs[400:800])],
        "ls-lR.txt": ["ls", "-lR", "/usr/share/doc"],
        "dmesg.txt": ["dmesg"],
    }
    out = []
    for name, command in commands.items():
        run = subprocess.run(command, capture_output=True)
        if run.returncode == 0 and run.stdout:
            path = folder / name
            path.write_bytes(run.stdout[:MAX_BYTES - 1])
            out.append(path)
    return out


def sample(folder: Path) -> dict[str, list[Path]]:
    """Source label -> files, deterministic for a machine."""
    def site_data(path: Path) -> bool:
        return ((path.suffix in DATA_SUFFIXES or path.name in ("RECORD", "METADATA"))
                and not path.parent.name.startswith("redline_gateway"))

    return {
        "doc (1/3)": _files(Path("/usr/share/doc"), 3),
        "common-licenses": _files(Path("/usr/share/common-licenses")),
        "i18n (1/4)": _files(Path("/usr/share/i18n"), 4),
        "zoneinfo (1/10)": _files(Path("/usr/share/zoneinfo"), 10),
        "misc, mime (1/8)": _files(Path("/usr/share/misc")) + _files(Path("/usr/share/mime"), 8),
        "perl (1/8)": _files(Path("/usr/share/perl"), 8),
        "javascript, nodejs": (_files(Path("/usr/share/javascript"), 2)
                               + _files(Path("/usr/share/nodejs"), 16)),
        "python stdlib (1/3)": _files(STDLIB, 3, lambda p: "__pycache__" not in p.parts),
        "site-packages data (1/2)": _files(SITE, 2, site_data),
        "dpkg md5sums (1/10)": _files(Path("/var/lib/dpkg/info"), 10, lambda p: p.suffix == ".md5sums"),
        "certificates": _files(Path("/etc/ssl/certs")) + _files(Path("/usr/share/ca-certificates"), 6),
        "program output": _generated(folder),
        "man pages (1/100)": _files(Path("/usr/share/man"), 100),
        "locale .mo (1/40)": _files(Path("/usr/share/locale"), 40, lambda p: p.suffix == ".mo"),
        "fonts (1/2)": _files(Path("/usr/share/fonts"), 2),
        "python .pyc (1/20)": _files(STDLIB, 20, lambda p: p.suffix == ".pyc"),
        "libreoffice (1/4)": (_files(Path("/usr/lib/libreoffice/share/template"), 4)
                              + _files(Path("/usr/lib/libreoffice/share/gallery"), 4)),
        "chromium": _files(Path("/usr/lib/chromium")),
        "postfix, squid samples": (_files(Path("/usr/share/postfix")) + _files(Path("/etc/squid"))
                                   + _files(Path("/usr/share/squid"))),
        "X11, vim (1/20)": _files(Path("/usr/share/X11"), 20) + _files(Path("/usr/share/vim"), 20),
        "icons, poppler (1/60)": (_files(Path("/usr/share/icons"), 60)
                                  + _files(Path("/usr/share/poppler"), 60)),
    }


def scan(tree: Path, paths: list[Path], jobs: int) -> dict[str, dict]:
    """path -> ``redline scan --json`` line, from the Redline tree at ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    results: dict[str, dict] = {}
    for at in range(0, len(paths), 400):
        chunk = [str(p) for p in paths[at:at + 400]]
        run = subprocess.run([sys.executable, "-m", "gateway.cli", "scan", "--json",
                              "--jobs", str(jobs), *chunk],
                             cwd=tree, env=env, capture_output=True, text=True)
        for line in run.stdout.splitlines():
            if line.startswith("{"):
                item = json.loads(line)
                results[item["path"]] = item
    return results


def held_rules(item: dict) -> list[str]:
    """The rules of a held item's hits (deduplicated, in order)."""
    if item.get("verdict") == "pass":
        return []
    return list(dict.fromkeys(h["rule"] for h in item.get("hits", [])
                              if h.get("counts", True)))


def _rows(sources: dict[str, list[Path]], results: dict[str, dict]) -> Iterator[tuple[str, int, int]]:
    for label, paths in sources.items():
        held = sum(1 for p in paths if results.get(str(p), {}).get("verdict", "pass") != "pass")
        yield label, len(paths), held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="git revision or folder of a Redline tree")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="print the held files and rules")
    parser.add_argument("--only", help="only the sources whose label starts with this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="redline-ordinary-") as tmp:
        folder = Path(tmp)
        sources = sample(folder)
        if args.only:
            sources = {k: v for k, v in sources.items() if k.startswith(args.only)}
        paths = [p for files in sources.values() for p in files]
        trees = {"this tree": ROOT}
        if args.baseline:
            (folder / "base").mkdir()
            trees = {"baseline": baseline_tree(args.baseline, folder / "base" / "tree"), **trees}
        results = {name: scan(tree, paths, args.jobs) for name, tree in trees.items()}
        missing = {name: len(paths) - len(r) for name, r in results.items() if len(r) < len(paths)}
        print(f"{len(paths)} files; load average {os.getloadavg()[0]:.1f}"
              + (f"; not scanned: {missing}" if missing else ""))
        names = list(trees)
        print(f"{'source':26s} {'files':>6s} " + " ".join(f"{'held ' + n:>14s}" for n in names))
        per_tree = [dict((label, held) for label, _, held in _rows(sources, results[n])) for n in names]
        for label, files in sources.items():
            print(f"{label:26s} {len(files):6d} " + " ".join(f"{t[label]:14d}" for t in per_tree))
        print(f"{'all':26s} {len(paths):6d} " + " ".join(f"{sum(t.values()):14d}" for t in per_tree))
        counts = [collections.Counter(rule for item in results[n].values() for rule in held_rules(item))
                  for n in names]
        print(f"\n{'rule (files held with it)':40s} " + " ".join(f"{n:>10s}" for n in names))
        for rule in sorted(set().union(*counts)):
            print(f"{rule:40s} " + " ".join(f"{c[rule]:10d}" for c in counts))
        if args.list:
            for name in names:
                print(f"\nheld by {name}:")
                for path in map(str, paths):
                    rules = held_rules(results[name].get(path, {}))
                    if rules:
                        print(f"  {path}: {', '.join(rules)}")


if __name__ == "__main__":
    main()
