#!/usr/bin/env bash
# Start the Redline gateway on its embedded defaults (data under ./var/redline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# With the embedded defaults the proxy intercepts HTTPS once clients trust this CA
# (`redline tls ca export`); without one it refuses CONNECT rather than pass it uninspected.
if [ "$#" -eq 0 ] && [ ! -e var/redline/tls/interception-ca.crt ]; then
  mkdir -p -m 0700 var/redline  # `tls ca init` writes into the data dir, never makes it
  .venv/bin/redline tls ca init
fi
exec .venv/bin/redline serve "$@"
