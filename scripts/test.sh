#!/usr/bin/env bash
# Run Redline's whole test suite on a fresh machine: installs everything, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/python -m ruff check .
if [ $# -gt 0 ]; then
  exec .venv/bin/python -m pytest -q "$@"
fi
# The clock guard: the date-dependent tests again with the clock a year ahead, so a
# fixed date that meets the real clock fails now, not weeks later (tests/conftest.py).
# Both passes run even when the first fails, so one run shows every failure.
clock_status=0
REDLINE_TEST_CLOCK_SHIFT_DAYS=366 .venv/bin/python -m pytest -q -p no:cacheprovider -m clock \
  || clock_status=$?
.venv/bin/python -m pytest -q
if [ "$clock_status" -ne 0 ]; then
  echo "redline tests: the clock guard pass (a year ahead) failed; see above" >&2
  exit "$clock_status"
fi
