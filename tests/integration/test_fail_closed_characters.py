"""Markings a reader still sees as the marking, written with characters that used to slip
past the rules: Braille and other blanks between letters, overlay strokes, text reversed
behind a right-to-left override, small capitals, Cherokee look-alikes, regional
indicators and other letter-like symbols, NUL bytes inside a word. Sent by mail and
uploaded through the proxy; Braille, Arabic, Hebrew and Cherokee text pass."""

from __future__ import annotations

import unicodedata
import urllib.parse
from email.message import EmailMessage

import pytest
from integration.listeners_harness import Listeners


def _cherokee(word: str) -> str:
    """``word`` in Cherokee letters that Unicode's confusables.txt lists as its look-alikes."""
    looks = {"T": "Ꭲ", "P": "Ꮲ", "S": "Ꮪ", "E": "Ꭼ", "C": "Ꮯ", "R": "Ꭱ"}  # no O among them
    assert all(unicodedata.name(c).startswith("CHEROKEE") for c in looks.values())
    return "".join(looks.get(c, c) for c in word)


def _small_capitals(word: str) -> str:
    return "".join(unicodedata.lookup(f"LATIN LETTER SMALL CAPITAL {c}") if c != "S"
                   else "\ua731" for c in word)


def _regional(word: str) -> str:
    return "".join(unicodedata.lookup(f"REGIONAL INDICATOR SYMBOL LETTER {c}") if c.isalpha()
                   else c for c in word)


def _strike(word: str, mark: str = "\u0336") -> str:
    return "".join(c + mark if c.isalpha() else c for c in word)


EVASIONS = {
    "Braille blank between letters": "⠀".join("SECRET") + "//NOFORN",
    "Braille blank between words": "TOP\u2800SECRET//NOFORN",
    "Ogham space mark between words": "TOP\u1680SECRET//NOFORN",
    "long stroke overlay": _strike("TOP SECRET") + "//NOFORN",
    "long solidus overlay": _strike("TOP SECRET", "\u0338") + "//NOFORN",
    "right-to-left override": "\u202eNROFON//TERCES POT\u202c",
    "small capitals": _small_capitals("TOP") + " " + _small_capitals("SECRET") + "//NOFORN",
    "Cherokee look-alikes": "TOP " + _cherokee("SECRET") + "//NOFORN",
    "regional indicators": _regional("TOP SECRET") + "//NOFORN",
    "negative squared letters": "".join(
        unicodedata.lookup(f"NEGATIVE SQUARED LATIN CAPITAL LETTER {c}") for c in "SECRET") + "//NOFORN",
    "NUL inside the word": "TOP SEC\0RET//NOFORN",
}

CLEAN = {
    "Braille document": "⠠⠞⠓⠑ ⠍⠑⠑⠞⠊⠝⠛ ⠊⠎ ⠁⠞ ⠞⠑⠝ ⠊⠝ ⠗⠕⠕⠍ ⠋⠕⠥⠗⠲\n⠠⠃⠗⠊⠝⠛ ⠽⠕⠥⠗ ⠝⠕⠞⠑⠎⠲",
    "Hebrew text": "שלום לכולם, הפגישה תתקיים ביום שלישי בשעה עשר בחדר הישיבות.\nנא להביא את הדוח.",
    "Arabic text": "مرحبا بالجميع، سيعقد الاجتماع يوم الثلاثاء الساعة العاشرة في قاعة الاجتماعات.",
    "Hebrew with a right-to-left mark": "\u200fהדוח מצורף\u200f (report attached) \u202bבבקשה\u202c",
    "Cherokee text": "ᎣᏏᏲ. ᏙᎯᏧ? ᏍᏆᏂᎪᏗ ᎦᏙ ᏣᎵᏍᏓᏁᏗ.",
    "emoji flags": "Team trip: 🇫🇷 Paris, 🇪🇸 Madrid, 🇩🇪 Berlin",
}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("characters"))
    yield server
    server.close()


def _mail(body: str, subject: str = "notes") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = subject
    message.set_content(body + "\n\nPlease review the attached schedule.\n")
    return message


@pytest.mark.parametrize("kind", EVASIONS)
def test_disguised_marking_is_held_by_mail_and_proxy(gateway, tmp_path, kind):
    banner = EVASIONS[kind]
    outcome = gateway.mail(_mail(banner))
    assert outcome.held and "classification" in {h["category"] for h in outcome.hits}, \
        (kind, outcome.excerpts())
    body = tmp_path / "form"
    body.write_text("note=" + urllib.parse.quote(f"{banner}\nthe plan follows"))
    uploaded = gateway.upload("-H", "Content-Type: application/x-www-form-urlencoded",
                              "--data-binary", f"@{body}")
    assert uploaded.held and "classification" in {h["category"] for h in uploaded.hits}, \
        (kind, uploaded.excerpts())


def test_disguised_marking_in_the_subject_is_held(gateway):
    outcome = gateway.mail(_mail("see below", subject=_small_capitals("SECRET") + ": plans"))
    assert outcome.held, outcome.excerpts()


@pytest.mark.parametrize("kind", CLEAN)
def test_text_in_other_scripts_passes(gateway, kind):
    outcome = gateway.mail(_mail(CLEAN[kind], subject="meeting"))
    assert not outcome.held, (kind, outcome.excerpts())
    assert not gateway.upload("--data-urlencode", f"note={CLEAN[kind]}").held
