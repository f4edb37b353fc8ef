#!/usr/bin/env bash
# Mixed-mail benchmark (issue 21): an office's outbound mail (bench/mix_corpus.py, seeded)
# through Postfix, Postfix + rspamd as a milter, and Redline into one smtp-sink; prints a table.
#   bash bench/mix.sh [--runs 3] [--messages 400] [--seed 21] [--sessions 16] [--workers 2]
#                     [--targets …,redline-readall] [--baseline DIR (a checkout of an earlier commit)]
# Needs Postfix (scripts/setup.sh --test) and Debian's rspamd, which this script installs.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in smtp-sink postfix postconf; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "bench/mix.sh: $tool is missing; install Postfix (bash scripts/setup.sh --test)" >&2
    exit 2
  fi
done
if ! command -v rspamd >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "bench/mix.sh: installing Debian's rspamd (the inspecting peer)" >&2
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq rspamd >/dev/null
fi
[ -x .venv/bin/redline ] || bash scripts/setup.sh --test
export PATH="$PATH:/usr/sbin"
exec .venv/bin/python bench/mix_bench.py "$@"
