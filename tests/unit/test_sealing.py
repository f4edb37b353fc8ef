"""Sealing held content: the format opens only whole, in place and with its key; key
sources are read strictly and never echo key material."""

from __future__ import annotations

import base64
import os
import sys

import pytest

from quarantine.sealing import (
    CHUNK,
    KeySource,
    SealingError,
    check_registered,
    new_key_line,
    parse_keys,
    sealed_size,
)
from quarantine.store import IntegrityError


def keyring(lines: int = 1):
    return parse_keys("\n".join(new_key_line()[1] for _ in range(lines)), "test keys")


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])
def test_content_of_any_size_opens_to_the_same_bytes(size):
    keys = keyring()
    data = os.urandom(size)
    # Fed in uneven pieces, as a spool file or a socket would.
    pieces = [data[i:i + 1000] for i in range(0, size, 1000)] or [b""]
    blob = b"".join(keys.seal_chunks("Q-AAAA-BBBB", "content", pieces))
    assert len(blob) == sealed_size(size)
    assert keys.open(keys.current, "Q-AAAA-BBBB", "content", blob) == data
    if size >= 16:
        assert data not in blob


def test_a_cut_extended_edited_or_moved_blob_does_not_open():
    keys = keyring()
    data = b"TOP SECRET//NOFORN " * 10000  # several pieces
    blob = keys.seal("Q-AAAA-BBBB", "content", data)
    cut_at_piece = blob[:len(blob) - (len(data) % CHUNK) - 17]
    edited = bytearray(blob)
    edited[len(blob) // 2] ^= 1
    for bad, item, purpose in [
        (cut_at_piece, "Q-AAAA-BBBB", "content"),  # a whole last piece dropped
        (blob + blob[-100:], "Q-AAAA-BBBB", "content"),  # something appended
        (bytes(edited), "Q-AAAA-BBBB", "content"),
        (blob, "Q-CCCC-DDDD", "content"),  # moved to another item's row
        (blob, "Q-AAAA-BBBB", "hits"),  # moved to the hits column
        (blob[:10], "Q-AAAA-BBBB", "content"),
    ]:
        with pytest.raises(IntegrityError, match="does not open with its key"):
            keys.open(keys.current, item, purpose, bad)


def test_an_unknown_key_id_names_the_key_and_the_source():
    keys = keyring()
    blob = keys.seal("Q-AAAA-BBBB", "content", b"x")
    with pytest.raises(SealingError, match=r"sealed with content key ck-old.*test keys"):
        keys.open("ck-old", "Q-AAAA-BBBB", "content", blob)


def test_the_last_line_seals_and_older_lines_still_open():
    first, second = new_key_line()[1], new_key_line()[1]
    old = parse_keys(first, "file")
    blob = old.seal("Q-AAAA-BBBB", "content", b"held")
    both = parse_keys(f"# comment\n{first}\n\n{second}\n", "file")
    assert both.current == second.split()[0]
    assert both.open(old.current, "Q-AAAA-BBBB", "content", blob) == b"held"


@pytest.mark.parametrize("text, message", [
    ("", "holds no key"),
    ("only-an-id", "line 1: expected"),
    ("bad/id " + base64.b64encode(bytes(32)).decode(), "line 1: expected"),
    ("k1 " + base64.b64encode(bytes(16)).decode(), "line 1: key k1 is not 32 bytes"),
    ("k1 not-base64!!", "line 1: key k1 is not 32 bytes"),
    ("k1 {0}\nk1 {0}".format(base64.b64encode(bytes(32)).decode()), "line 2: key id k1 appears twice"),
])
def test_bad_key_lines_are_refused_without_echoing_them(text, message):
    with pytest.raises(SealingError, match=message) as info:
        parse_keys(text, "key file /x")
    secret = text.split()[-1] if text.split() else "unused-marker"
    assert "key file /x" in str(info.value)
    if len(secret) > 12:
        assert secret not in str(info.value)


def test_a_missing_key_file_is_created_private_only_for_a_database_without_keys(tmp_path):
    source = KeySource(file=tmp_path / "keys" / "content.key")
    with pytest.raises(SealingError, match="is missing, but the quarantine database uses "
                       r"content key ck-1.*restore the file"):
        source.read(["ck-1"])
    assert not source.file.exists()
    made = source.read([])
    assert (source.file.stat().st_mode & 0o777, source.file.parent.stat().st_mode & 0o777) == (
        0o600, 0o700)
    assert source.read([made.current]).keys == made.keys  # read back, not made again


def test_a_key_file_others_could_read_is_made_private(tmp_path):
    path = tmp_path / "content.key"
    path.write_text(new_key_line()[1] + "\n")
    path.chmod(0o644)
    KeySource(file=path).read(["anything"])
    assert path.stat().st_mode & 0o777 == 0o600


def test_keys_from_a_command_and_from_the_environment(tmp_path, monkeypatch):
    line = new_key_line()[1]
    script = tmp_path / "kms.py"
    script.write_text(f"print({line!r})\n")
    from_command = KeySource(command=f"{sys.executable} {script}").read()
    assert from_command.current == line.split()[0]
    monkeypatch.setenv("REDLINE_KEYS_TEST", line)
    assert KeySource(env="REDLINE_KEYS_TEST").read().keys == from_command.keys
    failing = KeySource(command=f"{sys.executable} -c 'import sys; sys.exit(\"vault sealed\")'")
    with pytest.raises(SealingError, match="exit status 1 'vault sealed'"):
        failing.read()
    with pytest.raises(SealingError, match="cannot run it"):
        KeySource(command="/nonexistent/kms-client get").read()
    monkeypatch.delenv("REDLINE_KEYS_TEST")
    with pytest.raises(SealingError, match="REDLINE_KEYS_TEST is not set"):
        KeySource(env="REDLINE_KEYS_TEST").read()


def test_the_database_registry_catches_a_missing_or_a_different_key():
    keys = keyring(2)
    old, current = list(keys.keys)
    registered = {old: keys.check_value(old)}
    assert check_registered(keys, registered) == [current]
    other = parse_keys(f"{old} {base64.b64encode(os.urandom(32)).decode()}", "key file /y")
    with pytest.raises(SealingError, match=f"content key {old} in the key file /y is not the key"):
        check_registered(other, registered)
    with pytest.raises(SealingError, match=f"uses content key {old}, which the key file /z"):
        check_registered(parse_keys(new_key_line()[1], "key file /z"), registered)
