#!/usr/bin/env bash
# Prepare a fresh machine for Redline: system libraries, a virtual environment in .venv,
# and the project installed into it. Safe to run again; it only adds what is missing.
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh --test   also the test dependencies and the real peers tests use
#   scripts/setup.sh --plot   also matplotlib, for scripts/plot_metrics.py
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_plot=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --plot) want_plot=1 ;;
    *) echo "redline setup: unknown option $arg (expected --test and/or --plot)" >&2; exit 2 ;;
  esac
done

apt_install() {
  # Install Debian packages that are missing; needs root (or sudo) and apt-get.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "redline setup: please install these system packages: ${missing[*]}" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "redline setup: installing ${missing[*]}"
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# libmagic identifies content types from the bytes; python-magic needs the shared library.
if ! ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1'; then
  apt_install libmagic1
fi
# libarchive reads cpio, ar (.deb) and rpm archives for filters/extract (libarchive-c).
if ! ldconfig -p 2>/dev/null | grep -q 'libarchive\.so\.13'; then
  apt_install libarchive13
fi

# OCR reads text that exists only as pixels (scans, photos, screenshots, image-only PDF
# pages): the tesserocr wheel brings the engine, Debian's packages its language data for
# English (with orientation detection), Spanish, simplified and traditional Chinese.
apt_install tesseract-ocr tesseract-ocr-spa tesseract-ocr-chi-sim tesseract-ocr-chi-tra

if [ $want_test -eq 1 ]; then
  # Real peers and fixture makers the tests use: LibreOffice converts generated documents
  # to legacy .doc/.xls/.ppt (through UNO), WenQuanYi Zen Hei puts CJK text into PDFs.
  # Postfix (for smtp-sink/smtp-source in the SMTP tests) installs with no mail setup.
  # Chromium (headless, driven by Playwright) runs the officer UI browser tests.
  # Prometheus's promtool checks deploy/prometheus (and Prometheus scrapes a live Redline).
  # Squid (with OpenSSL, for ssl-bump) runs in front of Redline's ICAP service in the tests.
  # libnss3-tools' certutil puts the interception CA into Chromium's NSS database (the
  # HTTPS browser tests trust it the way a managed Linux desktop does).
  # The openssl command signs S/MIME mail as a real client would (test_extract_smime).
  # faketime runs an outbox worker with its clock minutes off (the clock-skew test).
  # cpio, binutils (ar) and dpkg-deb write the cpio, ar and .deb fixtures (test_extract_streams).
  # 7-Zip (7zz) writes zips with PPMd members as 7-Zip users make them (test_extract_archives).
  # xxd and hexdump (bsdextrautils) write the hex dumps Redline decodes (test_embedded_runs).
  # libjs-jquery ships a real minified source map, which must pass (test_evasion_clothing).
  # DejaVu (Latin) and WenQuanYi Zen Hei (Chinese) draw the pictures the OCR tests read.
  # FFmpeg writes the sound and video files whose structure filters/media.py walks (test_media).
  preseed_sudo=""
  [ "$(id -u)" -ne 0 ] && preseed_sudo="sudo"
  echo "postfix postfix/main_mailer_type select No configuration" \
    | $preseed_sudo debconf-set-selections 2>/dev/null || true
  apt_install fonts-wqy-zenhei fonts-dejavu-core libreoffice-writer-nogui libreoffice-calc-nogui \
    libreoffice-impress-nogui python3-uno zip swaks postfix chromium prometheus squid-openssl openssl \
    libnss3-tools faketime cpio binutils dpkg 7zip xxd bsdextrautils libjs-jquery ffmpeg
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.redline-installed
extras=""
if [ $want_test -eq 1 ] && [ $want_plot -eq 1 ]; then extras="[test,plot]"
elif [ $want_test -eq 1 ]; then extras="[test]"
elif [ $want_plot -eq 1 ]; then extras="[plot]"
fi
if [ ! -f "$stamp$extras" ] || [ pyproject.toml -nt "$stamp$extras" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras"
  touch "$stamp$extras"
fi
# Bytecode for Redline's own modules, as a wheel install has it: an editable install
# leaves it to the first run, and with PYTHONDONTWRITEBYTECODE set every run compiles
# them again (a third of a one-file `redline scan`). Python checks each file's time stamp.
.venv/bin/python -m compileall -q filters gateway quarantine >/dev/null || true
# The personal-data scanner is compiled by Numba once and cached beside its source, so no
# server compiles it at start (seconds) and no one-off scan waits for it.
.venv/bin/python -c "import datetime; from filters.engines import personal_scan
personal_scan.scan(b'0' * personal_scan.COMPILED_FROM, datetime.date.today())
personal_scan.mobile_numbers(b'0')"
