"""The layering of the code holds: no module imports from a layer above its own.

Every import counts, also those inside functions and under TYPE_CHECKING: a lazy import
is still an arrow. A new back-arrow fails here with the module, the line and the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("gateway", "quarantine", "filters")

# From the top down. A module may import its own unit and any unit on a lower line,
# never one on a higher line, nor another unit of its own line (the rooms of one floor
# do not lean on each other).
LAYERS: list[tuple[str, ...]] = [
    ("gateway", "gateway.cli"),  # the package's own __init__ (a map, no imports); the entry point
    ("gateway.supervisor", "gateway.commands"),  # `redline serve` and the other commands
    ("gateway.listeners", "gateway.background"),  # what a worker / the background process runs
    ("gateway.fingerprints",),  # registered documents from the store into the scanners
    ("gateway.config",),  # the whole config file, assembled from every room's sections
    ("gateway.smtp", "gateway.web"),  # one room per listener
    ("gateway.ops",),  # metrics, health, logs
    ("gateway.address", "gateway.datadir", "gateway.single_flight"),  # shared helpers
    ("quarantine.ui",),  # the officer web UI, JSON API and `redline user`/`ui`
    ("quarantine",),  # store, decisions, audit, outbox, notices
    ("filters",),  # the inspection pipeline
]


def _unit(module: str) -> tuple[int, str] | None:
    """The layer index and unit of ``module``, or None for a module outside the project."""
    for level, units in enumerate(LAYERS):
        for unit in units:
            # "gateway" on the top line is the package's own __init__, not its rooms.
            if module == unit or (unit != "gateway" and module.startswith(unit + ".")):
                return level, unit
    return None


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from gateway import metrics" imports gateway.metrics when that is a module.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _source_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def back_arrows(files: list[Path], root: Path = ROOT) -> list[str]:
    """Every import in ``files`` (under ``root``) that goes up the layers or sideways between rooms."""
    problems = []
    for path in files:
        own = _unit(_module_name(path, root))
        if own is None:
            continue
        for line, imported in _imports(path, root):
            target = _unit(imported)
            if target is None or target[1] == own[1]:
                continue
            if target[0] < own[0]:
                rule = f"{own[1]} is below {target[1]}"
            elif target[0] == own[0]:
                rule = f"{own[1]} and {target[1]} are rooms of one floor"
            else:
                continue
            problems.append(f"{path.relative_to(root)}:{line} imports {imported} ({rule})")
    return problems


def test_every_project_module_belongs_to_a_layer():
    unplaced = [str(p.relative_to(ROOT)) for p in _source_files()
                if _unit(_module_name(p, ROOT)) is None]
    assert not unplaced, f"add these to a layer in LAYERS: {unplaced}"


def test_no_module_imports_from_a_layer_above_or_a_sibling_room():
    problems = back_arrows(_source_files())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("where", "source", "rule"), [
    ("quarantine/service.py", "from gateway.ops import metrics\n", "quarantine is below gateway.ops"),
    ("filters/pipeline.py", "def f():\n    import quarantine.store\n",
     "filters is below quarantine"),
    ("gateway/smtp/relay.py", "from gateway.web.config import in_networks\n",
     "gateway.smtp and gateway.web are rooms of one floor"),
    ("gateway/ops/health.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from gateway.smtp.listener import SmtpGateway\n",
     "gateway.ops is below gateway.smtp"),
    ("gateway/web/icap.py", "from ..config import load_config\n",
     "gateway.web is below gateway.config"),
    ("quarantine/store.py", "from quarantine.ui.app import create_app\n",
     "quarantine is below quarantine.ui"),
])
def test_a_new_back_arrow_is_caught(tmp_path, where, source, rule):
    # The check itself must see each kind of arrow: plain, lazy, type-only, relative.
    target = tmp_path / where
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    problems = back_arrows([target], tmp_path)
    assert len(problems) == 1 and rule in problems[0], problems


def test_the_clean_counterparts_pass(tmp_path):
    cases = {
        "gateway/web/icap.py": "from gateway.ops import metrics\nfrom quarantine.store import HoldRequest\n",
        "gateway/smtp/handler.py": "from .relay import format_reply\nfrom filters.types import Verdict\n",
        "quarantine/service.py": "from quarantine.metrics import NOT_COUNTED\nimport logging\n",
        "gateway/cli.py": "from gateway.supervisor import add_parser\n",
    }
    files = []
    for where, source in cases.items():
        path = tmp_path / where
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        files.append(path)
    assert back_arrows(files, tmp_path) == []
