#!/usr/bin/env bash
# A folder of mixed mails (office and PDF attachments): `redline scan --jobs 2` beside
# Debian's rspamd (`rspamc -n 16`), side by side in one run; prints a table.
#   bash bench/scan_folder.sh [--runs 5] [--mails 261] [--jobs 2] [--keep DIR] [--baseline REF]
# Installs rspamd (Debian package) when it is missing; runs it as a private instance
# (its own config, port and folders), never the system's.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rspamd >/dev/null 2>&1 || ! command -v rspamc >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq rspamd >/dev/null
fi
[ -x .venv/bin/redline ] || bash scripts/setup.sh --test
exec .venv/bin/python bench/scan_folder.py "$@"
