"""Text transformations a user would put a marked memo through before sending it, tried
against the real listeners (SMTP with smtplib, an upload through the HTTP proxy with
curl): ROT13 and letters rotated by another amount, text written backwards (``rev``, or
the whole text reversed), and hex dumps whose shape ordinary text shares (spaced pairs
of ASCII text, which are mostly digits; ``xxd -p -c 32``, lines the length of a digest;
indented lines), and a file under a one-byte key (XOR, shift). Each marked one is held
for its marking; each clean counterpart passes. docs/coverage.md lists the outcomes."""

from __future__ import annotations

import hashlib
import random
import subprocess
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from integration.listeners_harness import Listeners, Outcome

from filters.engines.substitution import reverse_lines, rot13, rotate

MEMO = ("TOP SECRET//NOFORN\n\nOperation orders for the second quarter follow. The convoy "
        "leaves the northern depot at dawn on the third day; escorts join at the river "
        "crossing and stay with it to the coast.\n\nTOP SECRET//NOFORN\n")
CLEAN = MEMO.replace("TOP SECRET//NOFORN", "Picnic committee minutes").replace(
    "Operation orders", "Sandwich orders")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("evasion-text"))
    yield server
    server.close()


def _text_mail(body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = "notes"
    message.set_content(body)
    return message


def _send_both(gateway: Listeners, text: str, tmp_path) -> tuple[Outcome, Outcome]:
    """The text as a mail body over SMTP, and as a file uploaded through the proxy."""
    by_mail = gateway.mail(_text_mail(text))
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    by_proxy = gateway.upload("-F", f"file=@{path};type=text/plain")
    return by_mail, by_proxy


def _held_for_marking(outcome: Outcome) -> bool:
    return outcome.held and any(hit["category"] == "classification" for hit in outcome.hits)


# -- ROT13 and text written backwards --------------------------------------------------------

SUBSTITUTIONS: dict[str, Callable[[str], str]] = {
    "rot13": rot13,
    "rev (each line backwards)": reverse_lines,
    "whole text backwards": lambda text: text[::-1],
    "rot13 then backwards": lambda text: rot13(text)[::-1],
    # Another key of the same cipher: each letter moved on by 5 (Caesar's own used 3).
    "letters rotated by 5": lambda text: rotate(text, 5),
    "rotated by 1 then backwards": lambda text: rotate(text, 1)[::-1],
}


@pytest.mark.parametrize("kind", list(SUBSTITUTIONS))
def test_marked_memo_in_rot13_or_backwards_is_held_for_its_marking(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, SUBSTITUTIONS[kind](MEMO), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()
        assert any("/#rot" in hit["where"] or "/#reversed" in hit["where"] for hit in outcome.hits)


@pytest.mark.parametrize("kind", list(SUBSTITUTIONS))
def test_clean_memo_in_rot13_or_backwards_passes(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, SUBSTITUTIONS[kind](CLEAN), tmp_path):
        assert not outcome.held, outcome.excerpts()


def test_prose_that_mentions_secrets_in_rot13_passes(gateway, tmp_path):
    # The trigger words read back, but no marking rule matches ordinary prose.
    text = rot13("The secret to good bread is time. This e-mail is confidential; please "
                 "keep the recipe restricted to the team.")
    for outcome in _send_both(gateway, text, tmp_path):
        assert not outcome.held, outcome.excerpts()


# -- hex dumps that look like figures or digests ------------------------------------------


def _run(*command: str, data: bytes) -> str:
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def _pairs(data: bytes) -> str:
    digits = data.hex()
    pairs = [digits[i:i + 2] for i in range(0, len(digits), 2)]
    return "\n".join(" ".join(pairs[i:i + 16]) for i in range(0, len(pairs), 16))


HEX_DUMPS: dict[str, Callable[[bytes], str]] = {
    "spaced pairs": _pairs,
    "od -An -tx1": lambda data: _run("od", "-An", "-tx1", data=data),
    "xxd -p -c 32": lambda data: _run("xxd", "-p", "-c", "32", data=data),
    "xxd -p -c 20": lambda data: _run("xxd", "-p", "-c", "20", data=data),
    "xxd -p indented": lambda data: "".join(f"    {line}\n"
                                            for line in _run("xxd", "-p", data=data).splitlines()),
}


@pytest.mark.parametrize("kind", list(HEX_DUMPS))
def test_hex_dump_of_a_marked_memo_is_held_for_its_marking(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, HEX_DUMPS[kind](MEMO.encode()), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()
        assert "extract.uninspectable" not in outcome.rules()


@pytest.mark.parametrize("kind", list(HEX_DUMPS))
def test_hex_dump_of_a_clean_memo_passes(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, HEX_DUMPS[kind](CLEAN.encode()), tmp_path):
        assert not outcome.held, outcome.excerpts()


ORDINARY = {
    "indented digests": "\n".join(f"    {hashlib.sha256(str(i).encode()).hexdigest()}" for i in range(150)),
    "MD5 list": "\n".join(hashlib.md5(str(i).encode()).hexdigest() for i in range(150)),
    "figures in pairs": "\n".join(" ".join(f"{(i * 31 + j * 17) % 100:02d}" for j in range(16))
                                  for i in range(60)),
    "years in a table": "\n".join(" ".join(f"{2000 + (i + j) % 30}" for j in range(12)) for i in range(60)),
}


@pytest.mark.parametrize("kind", list(ORDINARY))
def test_digests_and_figures_pass(gateway, kind, tmp_path):
    for outcome in _send_both(gateway, ORDINARY[kind], tmp_path):
        assert not outcome.held, outcome.excerpts()


# -- a substitution over bytes ------------------------------------------------------------


def _byte_mapped(text: str, mapping: str) -> bytes:
    table = list(range(256))
    if mapping.startswith("xor"):
        table = [value ^ int(mapping[-4:], 16) for value in table]
    elif mapping == "shift 77":
        table = [(value + 77) % 256 for value in table]
    else:
        random.Random(5).shuffle(table)
    return bytes(table[value] for value in (text * 20).encode())


def _send_file(gateway: Listeners, data: bytes, tmp_path) -> tuple[Outcome, Outcome]:
    """``data`` as a mail attachment over SMTP, and as a file uploaded through the proxy."""
    message = _text_mail("notes attached")
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename="notes.bin")
    by_mail = gateway.mail(message)
    path = tmp_path / "notes.bin"
    path.write_bytes(data)
    return by_mail, gateway.upload("-F", f"file=@{path};type=application/octet-stream")


@pytest.mark.parametrize("mapping", ["xor 0x5a", "xor 0xa7", "shift 77"])
def test_marked_memo_under_a_one_byte_key_is_held_for_its_marking(gateway, mapping, tmp_path):
    for outcome in _send_file(gateway, _byte_mapped(MEMO, mapping), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("mapping", ["xor 0x5a", "xor 0xa7", "shift 77"])
def test_clean_memo_under_a_one_byte_key_passes(gateway, mapping, tmp_path):
    for outcome in _send_file(gateway, _byte_mapped(CLEAN, mapping), tmp_path):
        assert not outcome.held, outcome.excerpts()


@pytest.mark.xfail(strict=True, reason="a shuffled byte table keeps the text's shape, so its bytes "
                   "compress like text and are not held as unreadable, yet no text run comes out of "
                   "them and no one-byte key reads them back; see docs/coverage.md")
def test_marked_memo_under_a_shuffled_byte_table_is_held(gateway, tmp_path):
    by_mail, _ = _send_file(gateway, _byte_mapped(MEMO, "shuffled byte table"), tmp_path)
    assert by_mail.held


# -- control characters between letters -------------------------------------------------------

def _with_controls(text: str, how: str) -> bytes:
    """``text`` with control characters a viewer does not show put into its words."""
    if how == "one in each marking":
        text = text.replace("SECRET", "SEC\x05RET").replace("NOFORN", "NO\x01FORN")
    elif how == "between every letter":
        text = "\x01".join(text)
    else:  # "escape and backspace": ESC and BS, as terminal output and typewriter files have
        text = text.replace("TOP", "T\x1bO\x08P").replace("SECRET", "SE\x1bCRET")
    return text.encode()


CONTROLS = ["one in each marking", "between every letter", "escape and backspace"]


@pytest.mark.parametrize("how", CONTROLS)
def test_marked_memo_with_control_characters_in_its_words_is_held_for_its_marking(
        gateway, how, tmp_path):
    for outcome in _send_file(gateway, _with_controls(MEMO, how), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()
    # The same bytes named as a text file or a web page (they are no longer detected as one).
    for name, kind in (("memo.txt", "text/plain"), ("memo.html", "text/html")):
        path = tmp_path / name
        data = _with_controls(MEMO, how)
        path.write_bytes(b"<html><body><pre>" + data + b"</pre></body></html>"
                         if name.endswith(".html") else data)
        assert _held_for_marking(gateway.upload("-F", f"file=@{path};type={kind}"))


@pytest.mark.parametrize("how", CONTROLS)
def test_clean_memo_with_control_characters_passes(gateway, how, tmp_path):
    for outcome in _send_file(gateway, _with_controls(CLEAN, how), tmp_path):
        assert not outcome.held, outcome.excerpts()
