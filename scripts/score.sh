#!/usr/bin/env bash
# Measure detection: set up the test environment, generate the labelled corpus into
# var/corpus (never committed) and score the real pipeline on it. Exit 0 when the recall
# and false-positive targets are met, 1 when not. Extra arguments go to the scorer
# (e.g. --json var/corpus-results.json, --item p012.docx).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
out=${CORPUS_DIR:-var/corpus}
rm -rf "$out"
.venv/bin/python -m tests.corpus.generate "$out"
exec .venv/bin/python -m tests.corpus.score "$out" "$@"
