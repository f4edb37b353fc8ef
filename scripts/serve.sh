#!/usr/bin/env bash
# Start the Redline gateway on its embedded defaults (data under ./var/redline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/redline serve "$@"
