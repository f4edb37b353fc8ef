"""`redline scan` as a user runs it: the real console script over a folder of real documents."""

from __future__ import annotations

import email.message
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.fixtures.archives import nested_zip, zipcrypto_zip

REDLINE = str(Path(sys.executable).parent / "redline")
DISCLAIMER = (
    "This e-mail and any attachments are confidential and may be privileged. If you are "
    "not the intended recipient, please notify the sender and delete it."
)


def docx_bytes(body: str, *, footer: str = "", status: str = "") -> bytes:
    document = docx.Document()
    document.add_paragraph(body)
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    if status:
        document.core_properties.content_status = status
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def mail_bytes(body: str, attachments: list[tuple[str, bytes]] = ()) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"] = "analyst@example.org"
    msg["To"] = "partner@example.com"
    msg["Subject"] = "Quarterly figures"
    msg.set_content(body)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def pdf_bytes(header: str, body: str) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawString(240, A4[1] - 30, header)
    pdf.drawString(60, A4[1] / 2, body)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mixed")
    annex = docx_bytes("Annex with the figures.", footer="机 密★5年")
    files = {
        "clean.eml": mail_bytes(f"Hello,\n\nfigures attached.\n\n{DISCLAIMER}\n"),
        "held.eml": mail_bytes(
            f"Hello,\n\nfigures attached.\n\n{DISCLAIMER}\n",
            [("notes.txt", b"See annex."), ("plans.zip", zip_bytes({"annex.docx": annex}))],
        ),
        "status.docx": docx_bytes("Budget proposal for next year.", status="Draft"),
        "report.pdf": pdf_bytes("TOP SECRET//NOFORN", "Movement was observed."),
        "sub/deep.zip": nested_zip(12, b"bottom"),
        "sub/locked.zip": zipcrypto_zip(b"plain member", b"hidden member"),
        "sub/holiday.jpg": docx_bytes("Quarterly numbers."),
        "sub/notes.txt": b"The secret to good bread is patience.\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([REDLINE, "scan", *args], capture_output=True, text=True, timeout=120)


def records(stdout: str) -> dict[str, dict]:
    out = {}
    for line in stdout.splitlines():
        record = json.loads(line)
        out[Path(record["path"]).name] = record
    return out


def test_json_over_a_folder_gives_verdicts_origins_and_excerpts(folder):
    result = run("--json", str(folder))
    assert result.returncode == 1, result.stderr
    found = records(result.stdout)
    assert set(found) == {"clean.eml", "held.eml", "status.docx", "report.pdf", "deep.zip",
                          "locked.zip", "holiday.jpg", "notes.txt"}
    for record in found.values():
        assert set(record) >= {"path", "verdict", "hits", "stats"}
        for hit in record["hits"]:
            assert set(hit) >= {"rule", "category", "severity", "where", "excerpt"}
    assert found["clean.eml"]["verdict"] == "pass"
    assert found["notes.txt"]["verdict"] == "pass"

    held = found["held.eml"]
    assert held["verdict"] == "quarantine"
    [hit] = [h for h in held["hits"] if h["category"] == "classification"]
    assert hit["where"] == "held.eml/attachment[3]:plans.zip/annex.docx/word/footer1.xml"
    assert "机 密★5年" in hit["excerpt"]  # the original text, spaces and all
    start, end = hit["span"]
    assert hit["excerpt"][start:end] == "机 密★5年"

    status = found["status.docx"]
    assert status["verdict"] == "quarantine"
    assert any(h["rule"] == "draft.property" and h["where"].endswith("docProps/core.xml#contentStatus")
               for h in status["hits"])

    report = found["report.pdf"]
    assert report["verdict"] == "quarantine"
    assert any(h["category"] == "classification" and h["where"].startswith("report.pdf/page[1]")
               and "TOP SECRET//NOFORN" in h["excerpt"] for h in report["hits"])

    deep = found["deep.zip"]
    assert deep["verdict"] == "quarantine"
    assert "limit.max_depth" in {h["rule"] for h in deep["hits"]}

    locked = found["locked.zip"]
    assert locked["verdict"] == "quarantine"
    assert "extract.encrypted" in {h["rule"] for h in locked["hits"]}

    disguised = found["holiday.jpg"]
    assert disguised["verdict"] == "quarantine"
    assert "filetype.disguised" in {h["rule"] for h in disguised["hits"]}


def test_parallel_jobs_give_the_same_results(folder):
    one = records(run("--json", "--jobs", "1", str(folder)).stdout)
    two = records(run("--json", "--jobs", "2", str(folder)).stdout)
    assert {k: (v["verdict"], v["hits"]) for k, v in one.items()} == \
        {k: (v["verdict"], v["hits"]) for k, v in two.items()}


def test_exit_status_follows_clamscan(folder, tmp_path):
    clean = tmp_path / "clean.eml"
    clean.write_bytes((folder / "clean.eml").read_bytes())
    assert run(str(clean)).returncode == 0
    assert run(str(folder / "status.docx")).returncode == 1
    missing = run(str(tmp_path / "absent.eml"))
    assert missing.returncode == 2
    assert "absent.eml: no such file or folder" in missing.stderr


def test_human_output_shows_verdict_rule_where_and_excerpt(folder):
    result = run(str(folder / "held.eml"))
    assert result.returncode == 1
    assert "held.eml: QUARANTINE" in result.stdout
    assert "classification.zh.level" in result.stdout
    assert "at held.eml/attachment[3]:plans.zip/annex.docx/word/footer1.xml" in result.stdout
    assert "«机 密★5年»" in result.stdout


def test_bad_config_is_an_error_naming_the_key(folder, tmp_path):
    config = tmp_path / "redline.toml"
    config.write_text("[limits]\nmax_depth = 'deep'\n")
    result = run("--config", str(config), str(folder / "clean.eml"))
    assert result.returncode == 2
    assert "config key limits.max_depth" in result.stderr
