#!/usr/bin/env bash
# OCR benchmark: seconds per A4 page (150/300 dpi, per language set), mails/s with a scanned
# page beside the same mail as text, and SMTP latency of plain mail while scans are read.
#   bash bench/ocr.sh [--runs 3] [--only pages|memory|mails|serve]
# Needs Tesseract's language data and the DejaVu / WenQuanYi fonts: scripts/setup.sh --test.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/redline ] || bash scripts/setup.sh --test
exec .venv/bin/python bench/ocr_bench.py "$@"
