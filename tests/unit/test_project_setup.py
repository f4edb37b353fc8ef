"""The project's set-up as a new administrator meets it: packaging metadata, README pointers."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_string_and_the_build_backend_understands_it():
    # A TOML-table license makes setuptools >= 77 print a screen of deprecation warnings
    # on every install; a string is PEP 639's form and needs setuptools 77 to be read.
    project = _pyproject()
    assert project["project"]["license"] == "Apache-2.0"
    requires = project["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    found = re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", setuptools)
    assert found and int(found.group(1)) >= 77, setuptools


def test_plot_script_dependency_is_an_installable_extra():
    extras = _pyproject()["project"]["optional-dependencies"]
    assert any(d.startswith("matplotlib>=") for d in extras["plot"])
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "--plot" in setup and "[plot]" in setup


def test_plot_script_without_matplotlib_says_how_to_install_it():
    # Run the script as a user without the extra would: matplotlib unimportable.
    code = ("import runpy, sys; sys.modules['matplotlib'] = None; "
            f"sys.argv = ['plot_metrics.py', '--prometheus', 'http://127.0.0.1:9', '--minutes', '1']; "
            f"runpy.run_path({str(ROOT / 'scripts' / 'plot_metrics.py')!r}, run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "matplotlib" in result.stderr and "setup.sh --plot" in result.stderr


def _headings(markdown: str) -> set[str]:
    return {line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")}


def test_readme_points_to_each_integration_in_the_operations_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    assert "docs/operations.md" in section
    for peer in ("Postfix", "Squid", "Kubernetes"):
        rows = [line for line in section.splitlines() if peer in line]
        assert rows, f"README's deploying section does not mention {peer}"
        for row in rows:
            # Every quoted section name exists in the guide, every named folder in deploy/.
            for title in re.findall(r'"([^"]+)"', row):
                assert title in _headings(operations) or f"**{title}" in operations, \
                    f"{title!r} is no heading or paragraph of docs/operations.md"
            for folder in re.findall(r"`(deploy/[^`]+)`", row):
                assert (ROOT / folder).exists(), folder
    assert "../shared" not in readme and "DESIGN.md" not in readme
