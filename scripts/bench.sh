#!/usr/bin/env bash
# Run a Redline benchmark on a fresh machine: installs everything, then prints its table.
#   bash scripts/bench.sh scan [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-scan}
shift || true
bash scripts/setup.sh --test
exec .venv/bin/python "bench/$which.py" "$@"
