"""Formats Redline used to wave through as unknown bytes, sent through the real listeners:
by SMTP (smtplib), through the HTTP proxy (curl) and over ICAP. Each marked one is held
with a hit naming the marking or why the part could not be inspected; ordinary files in
the same formats (a zstd log archive, a PNG) still pass."""

from __future__ import annotations

import io
from email.message import EmailMessage

import pytest
from integration.listeners_harness import Listeners, Outcome
from PIL import Image

from tests.fixtures import formats

MARKED = b"TOP SECRET//NOFORN\n\nMinutes of the steering meeting.\n"
UTF16_MARKED = "TOP SECRET//NOFORN\n\nMinutes of the steering meeting.\n".encode("utf-16-le")

# name -> (file name, bytes, what the hit must be)
MARKED_FILES = {
    "zstd": ("minutes.txt.zst", lambda: formats.zstd_bytes(MARKED), "classification"),
    "tar.zst": ("notes.tar.zst",
                lambda: formats.zstd_bytes(formats.tar_bytes({"notes/minutes.txt": MARKED})),
                "classification"),
    "lz4": ("minutes.txt.lz4", lambda: formats.lz4_bytes(MARKED), "classification"),
    "brotli": ("minutes.txt.br", lambda: formats.brotli_bytes(MARKED * 4), "classification"),
    "zlib": ("minutes.zz", lambda: formats.zlib_bytes(MARKED), "classification"),
    "cpio": ("notes.cpio", lambda: formats.cpio_bytes({"minutes.txt": MARKED}), "classification"),
    "ar": ("notes.a", lambda: formats.ar_bytes({"minutes.txt": MARKED}), "classification"),
    "deb": ("notes.deb", lambda: formats.deb_bytes({"minutes.txt": MARKED}), "classification"),
    "leading NUL": ("minutes.dat", lambda: b"\0" + MARKED, "classification"),
    "UTF-16LE without BOM": ("minutes.dat", lambda: UTF16_MARKED, "classification"),
    "text after a binary prefix": ("minutes.dat", lambda: bytes(range(256)) + MARKED,
                                   "classification"),
    "SQLite database": ("notes.db", lambda: formats.sqlite_bytes([MARKED.decode()]),
                        "classification"),
    "JSON lines": ("events.jsonl",
                   lambda: b'{"id": 1, "note": "ok"}\n{"id": 2, "note": "TOP SECRET//NOFORN"}\n',
                   "classification"),
    "unknown compressed format": ("notes.rar", lambda: formats.unknown_compressed(MARKED),
                                  "extract.uninspectable"),
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


CLEAN_FILES = {
    "zstd log archive": ("logs-2026-01-01.tar.zst", lambda: formats.zstd_bytes(
        formats.tar_bytes({"api.log": formats.service_log(), "worker.log": formats.service_log(500)}))),
    "lz4 log": ("api.log.lz4", lambda: formats.lz4_bytes(formats.service_log())),
    "brotli log": ("api.log.br", lambda: formats.brotli_bytes(formats.service_log())),
    "cpio of logs": ("logs.cpio", lambda: formats.cpio_bytes({"api.log": formats.service_log()})),
    "SQLite of orders": ("orders.db", lambda: formats.sqlite_bytes(
        [f"order {i}: 3 boxes of paper" for i in range(200)])),
    "PNG picture": ("chart.png", _png),
}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("formats"))
    yield server
    server.close()


def _found(outcome: Outcome, expected: str) -> bool:
    return any(h["category"] == expected or h["rule"] == expected for h in outcome.hits)


def _mail(name: str, data: bytes) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = "files for the review"
    message.set_content("Here are the files.\n")
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message


def _multipart(name: str, data: bytes) -> tuple[str, bytes]:
    boundary = "------------------------redlinetest"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


@pytest.mark.parametrize("kind", MARKED_FILES)
def test_marked_file_is_held_by_mail_proxy_and_icap(gateway, tmp_path, kind):
    name, make, expected = MARKED_FILES[kind]
    data = make()
    by_mail = gateway.mail(_mail(name, data))
    assert by_mail.held and _found(by_mail, expected), by_mail.excerpts()
    path = tmp_path / name
    path.write_bytes(data)
    by_proxy = gateway.upload("-F", f"file=@{path};type=application/octet-stream")
    assert by_proxy.held and _found(by_proxy, expected), by_proxy.excerpts()
    by_icap = gateway.icap(*reversed(_multipart(name, data)))
    assert by_icap.held and _found(by_icap, expected), by_icap.excerpts()


@pytest.mark.parametrize("kind", CLEAN_FILES)
def test_ordinary_file_in_the_same_formats_passes(gateway, tmp_path, kind):
    name, make = CLEAN_FILES[kind]
    data = make()
    by_mail = gateway.mail(_mail(name, data))
    assert not by_mail.held, by_mail.excerpts()
    path = tmp_path / name
    path.write_bytes(data)
    assert not gateway.upload("-F", f"file=@{path};type=application/octet-stream").held
    assert not gateway.icap(*reversed(_multipart(name, data))).held


def test_held_unknown_part_is_counted_on_the_metrics_endpoint(gateway, tmp_path):
    before = gateway.metric("redline_parts_coverage_total", disposition="held")
    data = formats.unknown_compressed(b"quarterly numbers")
    outcome = gateway.mail(_mail("numbers.rar", data))
    assert outcome.held and "extract.uninspectable" in outcome.rules(), outcome.excerpts()
    assert gateway.metric("redline_parts_coverage_total", disposition="held") == before + 1


def test_a_type_the_organisation_accepts_passes_but_is_still_searched(tmp_path):
    server = Listeners(tmp_path, config='[coverage]\naccepted_types = ["application/x-rar"]\n')
    try:
        clean = server.mail(_mail("numbers.rar", formats.unknown_compressed(b"quarterly numbers")))
        assert not clean.held, clean.excerpts()
        marked = b"Rar!\x1a\x07\x01\x00" + MARKED + formats.unknown_compressed(b"x")
        outcome = server.mail(_mail("notes.rar", marked))
        assert outcome.held and _found(outcome, "classification"), outcome.excerpts()
        assert server.metric("redline_parts_coverage_total", disposition="accepted") >= 2
    finally:
        server.close()


def test_a_bad_coverage_setting_stops_the_start_naming_the_key(tmp_path):
    import subprocess

    from integration.serve_harness import REDLINE

    config = tmp_path / "bad.toml"
    config.write_text('[coverage]\ninert_types = ["pictures"]\n', encoding="utf-8")
    result = subprocess.run([str(REDLINE), "serve", "--config", str(config), "--data-dir",
                             str(tmp_path / "data")], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "coverage.inert_types[0]" in result.stderr, result.stderr
