"""Pictures through the real gateway: ``redline serve`` with its SMTP listener and forward
proxy, mail sent with smtplib to an aiosmtpd upstream, files uploaded with curl.

A scanned page, a phone photo, a red stamp, a picture in a Word document or inline in an
HTML mail is held with the hit naming the ``#ocr`` part; the same mails without the
marking are relayed; the start-up log and /readyz say that OCR is active.
"""

from __future__ import annotations

import base64
import json
import shutil
import smtplib
import subprocess
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import require_peer
from integration.serve_harness import Origin, ServeProcess
from integration.smtp_harness import free_port, running_upstream

from tests.fixtures import images as pictures


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture(scope="module")
def upstream():
    yield from running_upstream()


@pytest.fixture(scope="module")
def origin():
    server = Origin()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, upstream):
    tmp = tmp_path_factory.mktemp("ocr-gateway")
    ports = {name: free_port() for name in ("smtp", "http", "metrics")}
    config = tmp / "redline.toml"
    # The origin listens on loopback, which the proxy reaches only when told to.
    # Generous time limits: these tests check what OCR finds, not how fast it reads.
    config.write_text('[quarantine]\nfour_eyes_severity = "off"\n'
                      '[limits]\npart_seconds = 120.0\nitem_seconds = 300.0\n'
                      'ocr_page_seconds = 120.0\nocr_item_seconds = 240.0\n'
                      '[http]\ninternal_destinations = ["127.0.0.0/8"]\n'
                      '[[sites.places]]\nname = "HQ secure wing"\nlatitude = 51.5007\n'
                      'longitude = -0.1246\nradius_m = 150\n', encoding="utf-8")
    process = ServeProcess(tmp / "data", [
        "--config", str(config), "--upstream", f"127.0.0.1:{upstream.port}", "--workers", "2",
        "--icap", "off", "--ui", "off",
        *(arg for name, port in ports.items() for arg in (f"--{name}", f"127.0.0.1:{port}"))],
        ready_seconds=60)
    process.ports = ports
    yield process
    assert process.stop() == 0, process.log


def send(gateway, message: EmailMessage) -> tuple[int, str]:
    data = message.as_bytes().replace(b"\n", b"\r\n")
    with smtplib.SMTP("127.0.0.1", gateway.ports["smtp"], timeout=60) as client:
        client.ehlo()
        client.mail("alice@example.org")
        client.rcpt("bob@partner.test")
        code, text = client.data(data)
        return code, text.decode()


def mail(subject: str, body: str = "Please see the attachment.") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = subject
    message.set_content(body)
    return message


def held_item(gateway, reply: str) -> dict:
    """The quarantine item a 250 "held for review as Q-…" reply names."""
    assert "held for review as Q-" in reply, reply
    item_id = reply.split("held for review as ")[1].split()[0].rstrip(".;,)")
    items = json.loads(gateway.redline("quarantine", "list", "--json"))
    return next(item for item in items if item["id"] == item_id)


def relayed(upstream, subject: str) -> bool:
    return any(f"Subject: {subject}".encode() in m.content for m in upstream.messages)


def test_the_start_up_log_and_readyz_say_ocr_is_active(gateway):
    gateway.wait_for(r"OCR active: tesseract [\d.]+, languages eng\+spa\+chi_sim\+chi_tra")
    with urllib.request.urlopen(f"http://127.0.0.1:{gateway.ports['metrics']}/readyz",
                                timeout=10) as response:
        body = json.loads(response.read())
    assert body["ocr"]["active"] is True
    assert body["ocr"]["languages"] == ["eng", "spa", "chi_sim", "chi_tra"]


def test_scanned_pdf_with_the_marking_on_page_4_is_held_naming_the_page(gateway, upstream):
    message = mail("Annexes for Monday")
    message.add_attachment(pictures.scanned_report(marked_page=4), maintype="application",
                           subtype="pdf", filename="annexes.pdf")
    code, reply = send(gateway, message)
    assert code == 250
    item = held_item(gateway, reply)
    # The origin starts with the spooled message's name: "….eml/attachment[2]:annexes.pdf/…".
    assert [h["where"].split("/", 1)[1] for h in item["hits"]
            if h["category"] == "classification"] == ["attachment[2]:annexes.pdf/page[4]#ocr"]
    assert not relayed(upstream, "Annexes for Monday")


def test_phone_photo_of_a_marked_page_is_held_and_of_a_clean_page_relayed(gateway, upstream):
    marked = mail("Photo of the notice")
    marked.add_attachment(pictures.photographed(pictures.rasterise(
        pictures.REAL / "w-header-en.pdf", dpi=150)), maintype="image", subtype="jpeg",
        filename="IMG_2041.jpg")
    code, reply = send(gateway, marked)
    assert code == 250
    assert any(h["where"].endswith("IMG_2041.jpg/#ocr") for h in held_item(gateway, reply)["hits"])

    clean = mail("Photo of the newsletter")
    clean.add_attachment(pictures.photographed(pictures.rasterise(
        pictures.REAL / "w-clean-en.pdf", dpi=150)), maintype="image", subtype="jpeg",
        filename="IMG_2042.jpg")
    code, reply = send(gateway, clean)
    assert code == 250 and "held" not in reply, reply
    assert relayed(upstream, "Photo of the newsletter")


def test_white_words_on_a_street_photo_are_held_and_a_street_name_relayed(gateway, upstream):
    # A street's windows in rows are laid out as text, so the photo is read in full and
    # the white words on it were lost to the one threshold: they are looked for as lines.
    marked = mail("Site visit, north block")
    marked.add_attachment(pictures.camera(pictures.words_on_photo(
        pictures.city_photo(seed=700, size=(1500, 1000)), "CONFIDENTIAL",
        fill=(255, 255, 255), size=95, at=(0.5, 0.65)), seed=800),
        maintype="image", subtype="jpeg", filename="IMG_3101.jpg")
    code, reply = send(gateway, marked)
    assert code == 250
    assert any(h["where"].endswith("IMG_3101.jpg/#ocr") for h in held_item(gateway, reply)["hits"])
    assert not relayed(upstream, "Site visit, north block")

    clean = mail("Site visit, south block")
    clean.add_attachment(pictures.camera(pictures.words_on_photo(
        pictures.city_photo(seed=720, size=(1500, 1000)), "MAIN STREET",
        fill=(255, 255, 255), size=95, at=(0.5, 0.65)), seed=820),
        maintype="image", subtype="jpeg", filename="IMG_3102.jpg")
    code, reply = send(gateway, clean)
    assert code == 250 and "held" not in reply, reply
    assert relayed(upstream, "Site visit, south block")


def test_picture_in_a_word_document_is_held(gateway, upstream):
    page = pictures.scanned(pictures.text_page([pictures.BODY_EN], banner="SECRET"))
    message = mail("Site visit report")
    message.add_attachment(pictures.docx_with_picture(pictures.encode(page, "PNG")),
                           maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename="visit.docx")
    code, reply = send(gateway, message)
    assert code == 250
    hits = held_item(gateway, reply)["hits"]
    assert any("visit.docx/word/media/" in h["where"] and h["where"].endswith("#ocr")
               for h in hits if h["category"] == "classification"), hits


def test_inline_pictures_of_an_html_mail_are_read(gateway, upstream):
    """A screenshot pasted into an HTML mail (a cid: part) and one inlined as a data: URI."""
    shot = pictures.encode(pictures.phone_screenshot("SECRET - convoy schedule"), "PNG")
    stamp = pictures.encode(pictures.stamped_page(), "PNG")
    message = mail("Screens", "See below.")
    message.add_alternative(
        '<p>See below.</p><img src="cid:shot1@example.org">'
        f'<img src="data:image/png;base64,{base64.b64encode(stamp).decode()}">', subtype="html")
    message.get_payload()[1].add_related(shot, maintype="image", subtype="png",
                                         cid="<shot1@example.org>")
    code, reply = send(gateway, message)
    assert code == 250
    hits = [h for h in held_item(gateway, reply)["hits"] if h["category"] == "classification"]
    rules = {h["rule"] for h in hits}
    assert "classification.en.banner" in rules and "classification.zh.level" in rules, hits
    assert all(h["where"].endswith("#ocr") for h in hits), hits


def test_clean_pictures_by_mail_are_relayed(gateway, upstream):
    message = mail("Weekend")
    message.add_attachment(pictures.encode(pictures.landscape_photo(), "JPEG", quality=85),
                           maintype="image", subtype="jpeg", filename="hills.jpg")
    bread = pictures.text_screenshot("The secret to good bread is time: let the dough rest "
                                     "overnight.")
    message.add_attachment(pictures.encode(bread, "PNG"), maintype="image", subtype="png",
                           filename="recipe.png")
    message.add_attachment(pictures.scanned_report(marked_page=None, pages=2),
                           maintype="application", subtype="pdf", filename="minutes.pdf")
    code, reply = send(gateway, message)
    assert code == 250 and "held" not in reply, reply
    assert relayed(upstream, "Weekend")


def test_photo_taken_inside_a_site_is_held_and_one_taken_elsewhere_relayed(gateway, upstream):
    inside = mail("Our new meeting room")
    inside.add_attachment(pictures.gps_jpeg(51.5010, -0.1250), maintype="image", subtype="jpeg",
                          filename="IMG_3301.jpg")
    code, reply = send(gateway, inside)
    assert code == 250
    hits = [h for h in held_item(gateway, reply)["hits"] if h["category"] == "location"]
    assert hits and hits[0]["excerpt"].endswith("inside the site HQ secure wing"), hits

    elsewhere = mail("Holiday snaps")
    elsewhere.add_attachment(pictures.gps_heic(43.7, 7.26), maintype="image", subtype="heic",
                             filename="IMG_3302.HEIC")
    code, reply = send(gateway, elsewhere)
    assert code == 250 and "held" not in reply, reply
    assert relayed(upstream, "Holiday snaps")


def curl_upload(gateway, origin, path: Path) -> int:
    result = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "60",
         "--proxy", f"http://127.0.0.1:{gateway.ports['http']}",
         "-F", f"file=@{path}", f"http://127.0.0.1:{origin.port}/upload"],
        capture_output=True, text=True, timeout=90)
    return int(result.stdout or 0)


def test_uploaded_stamped_scan_is_blocked_and_the_clean_one_arrives(gateway, origin, tmp_path):
    require_peer(None if shutil.which("curl") else "curl is missing: apt-get install -y curl")
    stamped = tmp_path / "纪要.png"
    stamped.write_bytes(pictures.encode(pictures.stamped_page(), "PNG"))
    clean = tmp_path / "minutes.png"
    clean.write_bytes(pictures.encode(pictures.stamped_page(text=""), "PNG"))
    before = len(origin.bodies)
    assert curl_upload(gateway, origin, stamped) == 403
    assert len(origin.bodies) == before
    held = [i for i in json.loads(gateway.redline("quarantine", "list", "--json"))
            if i["kind"] == "upload"]
    assert len(held) == 1, held  # held for its content, not refused for its destination
    status = curl_upload(gateway, origin, clean)
    uploads = [i for i in json.loads(gateway.redline("quarantine", "list", "--json"))
               if i["kind"] == "upload"]
    assert status == 200, [item["hits"] for item in uploads]
    assert len(origin.bodies) == before + 1
    assert any(h["rule"] == "classification.zh.level" and h["where"].endswith("#ocr")
               for item in uploads for h in item["hits"])
