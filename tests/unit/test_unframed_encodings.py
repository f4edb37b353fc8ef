"""base58 and base85 without frames, and git's binary patches, read back when their
bytes say what they are; addresses, identifiers, tokens, URLs and code are left alone."""

from __future__ import annotations

import base64
import secrets
import subprocess
import zlib

import pytest

from filters import embedded, unframed_encodings

MEMO = b"TOP SECRET//NOFORN: the convoy leaves the northern depot at dawn on the third day."
BITCOIN = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
FLICKR = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
B85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


def b58encode(data: bytes, alphabet: str = BITCOIN) -> str:
    """Base58 as Bitcoin's reference code writes it: one big number, zero bytes as '1'."""
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        out = alphabet[digit] + out
    return alphabet[0] * (len(data) - len(data.lstrip(b"\0"))) + out


def z85encode(data: bytes) -> str:
    return base64.b85encode(data).decode().translate(str.maketrans(B85, Z85))


ENCODED = {
    "base58": ("#base58", b58encode(MEMO)),
    "base58 (Flickr)": ("#base58", b58encode(MEMO, FLICKR)),
    "ascii85 unframed": ("#ascii85", base64.a85encode(MEMO).decode()),
    "ascii85 wrapped": ("#ascii85", base64.a85encode(MEMO * 4, wrapcol=60).decode()),
    # ascii85 has brackets and commas too: a value in a call's brackets is tried without them.
    "ascii85 as a call's argument": ("#ascii85", "decode(" + base64.a85encode(MEMO).decode() + "),"),
    "btoa (y for four blanks)": ("#ascii85", base64.a85encode(b"    " + MEMO, foldspaces=True).decode()),
    "z85": ("#z85", z85encode(MEMO)),
    "rfc 1924": ("#base85", base64.b85encode(MEMO).decode()),
}


@pytest.mark.parametrize("kind", list(ENCODED))
def test_memo_in_an_unframed_encoding_is_decoded(kind):
    label, value = ENCODED[kind]
    found = [(lab, data) for lab, data, _ in embedded.payloads(f"here it is: {value} thanks")]
    assert len(found) == 1 and found[0][0].startswith(label + "["), found
    assert MEMO in found[0][1]


@pytest.mark.parametrize("lines", [1, 120])
def test_ascii85_after_lines_of_base64_characters_is_decoded(lines):
    # Lines of a digit and capitals (as smtp-source writes a test mail) are long runs of
    # characters base64 has; an ascii85 value after 9 KB of them is still read, and the
    # lines alone are no value.
    filler = "".join(f"{n % 10}" + "X" * 77 + "\r\n" for n in range(1, lines + 1))
    assert not list(embedded.payloads(filler))
    value = "\r\nhere it is " + base64.a85encode(MEMO).decode() + " thanks\r\n"
    found = [(lab, data) for lab, data, _ in embedded.payloads(filler + value)]
    assert len(found) == 1 and found[0][0].startswith("#ascii85[") and MEMO in found[0][1], found


def test_a_long_base58_value_is_decoded_whole():
    data = MEMO * 300  # 25 KB: a quadratic conversion would take seconds
    [(label, decoded, _)] = list(embedded.payloads(b58encode(data)))
    assert label == "#base58[1]" and decoded == data


NOT_ENCODED = {
    "bitcoin addresses": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    "extended public key": "xpub6CUGRUonZSQ4TWtTMmzXdrXDtypWKiKrhko4egpiMZbpiaQL2jkwSB1icqYh2cfDf"
                           "Vxdx4df189oLKnC5fSwqPfgyP3hooxujYzAu3fDVmz",
    "IPFS identifiers": "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG "
                        "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    "URL": "https://example.com/search?q=hello+world&lang=en&session=Ab3dE7gH9jK2mN4pQ6rS8&ref=m",
    "minified code": "function(a,b){return a.map(function(c){return c*b+1});}if(x<=10&&y>=20){z=x^y;}",
    "PDF ASCII85Decode stream": "GapQh0E=F,0U\\H3T\\pNYT^QKk?tc>IP,;W#U1^23ihPEM_?CW4KISi90MjG^2,0-",
}


@pytest.mark.parametrize("kind", list(NOT_ENCODED))
def test_ordinary_values_are_no_base58_or_base85(kind):
    labels = [label for label, _, _ in embedded.payloads(f"see {NOT_ENCODED[kind]} ok")]
    assert not any(label.startswith(("#base58", "#ascii85", "#z85", "#base85")) for label in labels)


def test_random_bytes_in_base58_or_base85_are_not_read_as_such():
    for _ in range(20):
        data = secrets.token_bytes(60)
        assert unframed_encodings.base58(b58encode(data)) is None
        for value in (base64.a85encode(data).decode(), z85encode(data), base64.b85encode(data).decode()):
            assert unframed_encodings.base85(value) is None


def test_a_git_binary_patch_gives_the_added_file(tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "memo.bin").write_bytes(b"\x00\x01" + MEMO * 50)
    git = ["git", "-C", str(repo), "-c", "user.email=a@example.org", "-c", "user.name=A"]
    subprocess.run([*git, "add", "memo.bin"], check=True)
    subprocess.run([*git, "commit", "-qm", "memo"], check=True)
    patch = subprocess.run([*git, "format-patch", "-1", "--binary", "--stdout"], check=True,
                           capture_output=True, text=True).stdout
    assert "GIT binary patch" in patch
    [(span, stream)] = list(unframed_encodings.git_binary_patches(patch))
    assert zlib.decompress(stream) == b"\x00\x01" + MEMO * 50
    assert patch[span[0]:].startswith("GIT binary patch")
