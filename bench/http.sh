#!/usr/bin/env bash
# Upload benchmark (issue 6): uploads/s, MB/s and added latency through Redline's forward
# proxy beside straight to a local origin, and a 1 GiB streamed upload; prints a table.
#   bash bench/http.sh [--runs 3] [--concurrency 8] [--big-mb 1024] [--workers 2]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] && .venv/bin/python -c "import docx, psutil" 2>/dev/null \
  || bash scripts/setup.sh --test
exec .venv/bin/python bench/http_bench.py "$@"
