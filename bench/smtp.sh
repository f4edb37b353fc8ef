#!/usr/bin/env bash
# SMTP benchmark (issue 4): smtp-source -> Redline -> smtp-sink beside smtp-source -> smtp-sink
# and smtp-source -> Postfix relay -> smtp-sink, in one run; prints a table.
#   bash bench/smtp.sh [--runs 3] [--workers 2] [--scale 1.0]
# Needs Postfix (smtp-source, smtp-sink, postfix): scripts/setup.sh --test installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in smtp-source smtp-sink postfix postconf; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "bench/smtp.sh: $tool is missing; install Postfix (bash scripts/setup.sh --test)" >&2
    exit 2
  fi
done
[ -x .venv/bin/redline ] || bash scripts/setup.sh
export PATH="$PATH:/usr/sbin"
exec .venv/bin/python bench/smtp_bench.py "$@"
