#!/usr/bin/env bash
# Run Redline's whole test suite on a fresh machine: installs everything, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest -q "$@"
