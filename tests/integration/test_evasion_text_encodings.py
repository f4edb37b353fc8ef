"""A memo written in an encoding a user picks to get it out, with no frame to say what it
is: as zero-width characters (the bit and digit schemes of public steganography tools),
in base58, in base85 without ``<~ ~>`` (ascii85, Z85, RFC 1924), and as a file added by a
git binary patch. Each is sent as a mail body over SMTP and uploaded as a text file through
the proxy: the marked memo is held for its marking, the clean twin passes, and ordinary
text that uses invisible characters one at a time (Persian, Hindi, emoji) passes."""

from __future__ import annotations

import base64
import subprocess

import pytest
from fixtures.office import make_two_paragraph_docx
from integration.listeners_harness import Listeners
from integration.test_evasion_text import CLEAN, MEMO, _held_for_marking, _send_both, _text_mail
from unit.test_unframed_encodings import b58encode, z85encode
from unit.test_zero_width import ORDINARY, _write


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("evasion-encodings"))
    yield server
    server.close()


ENCODINGS = {
    "zero-width bits, 8 a byte": lambda t: "Thanks for lunch!" + _write(list(t.encode()), "\u200b\u200c", 8),
    "zero-width bits between word joiners": lambda t: "Thanks!" + "\u2060".join(
        "".join("\u200b\u200c"[int(b)] for b in format(ord(c), "b")) for c in t),
    "zero-width base 4, 8 digits a code unit": lambda t: "Thanks!" + _write(
        [ord(c) for c in t], "\u200c\u200d\u202c\ufeff", 8),
    "base58": lambda t: b58encode(t.encode()),
    "ascii85 without <~ ~>": lambda t: base64.a85encode(t.encode()).decode(),
    "Z85": lambda t: z85encode(t.encode()),
    "base85 (RFC 1924)": lambda t: "payload: " + base64.b85encode(t.encode()).decode(),
}


@pytest.mark.parametrize("kind", list(ENCODINGS))
def test_marked_memo_in_an_unframed_encoding_is_held_for_its_marking(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, ENCODINGS[kind](MEMO), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(ENCODINGS))
def test_clean_memo_in_the_same_encoding_passes(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, ENCODINGS[kind](CLEAN), tmp_path):
        assert not outcome.held, outcome.excerpts()


def test_ordinary_text_with_joiners_and_marks_passes(gateway, tmp_path):
    text = "\n".join(ORDINARY.values()) * 50
    for outcome in _send_both(gateway, text, tmp_path):
        assert not outcome.held, outcome.excerpts()


def _binary_patch(tmp_path, line: str) -> str:
    """``git format-patch --binary`` of a commit that adds a Word file holding ``line``."""
    repo = tmp_path / "repo"
    git = ["git", "-C", str(repo), "-c", "user.email=alice@example.org", "-c", "user.name=Alice"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "minutes.docx").write_bytes(make_two_paragraph_docx(line))
    subprocess.run([*git, "add", "minutes.docx"], check=True)
    subprocess.run([*git, "commit", "-qm", "Add the minutes"], check=True)
    return subprocess.run([*git, "format-patch", "-1", "--binary", "--stdout"], check=True,
                          capture_output=True, text=True).stdout


def test_a_marked_document_in_a_git_binary_patch_is_held(gateway, tmp_path):
    outcome = gateway.mail(_text_mail(_binary_patch(tmp_path, "TOP SECRET//NOFORN")))
    assert _held_for_marking(outcome), outcome.excerpts()
    assert any("#git-binary" in hit["where"] for hit in outcome.hits)


def test_a_clean_document_in_a_git_binary_patch_passes(gateway, tmp_path):
    # Before git's base85 was read, such a patch was held as unreadable encoded text.
    outcome = gateway.mail(_text_mail(_binary_patch(tmp_path, "Minutes of the picnic committee")))
    assert not outcome.held, outcome.excerpts()
