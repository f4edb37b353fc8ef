#!/usr/bin/env bash
# HTTPS benchmark: built-in interception vs Squid ssl-bump + Redline ICAP vs a plain CONNECT
# tunnel, side by side in one run (new TLS connections/s, kept-alive small POSTs/s and
# latency, a 10 MB upload's throughput); prints a table.
#   bash bench/https.sh [--runs 3] [--concurrency 8] [--workers 2] [--upload-mb 10]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! { [ -x .venv/bin/python ] && .venv/bin/python -c "import docx, psutil, cryptography" 2>/dev/null; }; then
  # A .venv that links to another checkout's environment is shared: setup.sh would install
  # this tree into it (editable), under every other checkout using it.
  if [ -L .venv ]; then
    echo "bench/https.sh: .venv links to a shared environment that cannot import python-docx," \
         "psutil or cryptography: run scripts/setup.sh --test in the checkout it belongs to" >&2
    exit 2
  fi
  bash scripts/setup.sh --test
fi
command -v squid >/dev/null || [ -x /usr/sbin/squid ] \
  || { echo "bench/https.sh needs Squid with OpenSSL: apt-get install squid-openssl" >&2; exit 2; }
exec .venv/bin/python bench/https_bench.py "$@"
