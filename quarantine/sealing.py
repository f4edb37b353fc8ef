"""Sealing held content at rest: the content keys, kept outside the database, and the format.

What is sealed: each held item's content (the original bytes), its subject (an upload's
URL), and the parts of its hits that show what matched (excerpt, span, where, the rule's
description, which often quotes the marking). What stays readable in the database, so
that officers can search and sort without the key: sender, recipients, sizes, times,
status, rule ids, categories and severities, decisions and the audit log. The subject is
found by whole words through a blind index (``Keyring.index_tokens``: keyed digests of
its words, never the words), and sorted after opening.

The format is libsodium's secretstream (XChaCha20-Poly1305) through PyNaCl: ``MAGIC``,
a 24-byte header, then the plaintext in ``CHUNK``-sized pieces, each with its own
authentication tag and the last one marked final, so content is sealed and opened in
bounded memory and a truncated, reordered or edited blob fails to open. The item id and
what the blob is (content, hits) are authenticated with every chunk, so a blob moved to
another row does not open either.

Keys come from one source (``[quarantine] content_key_file``, ``content_key_command`` or
``content_key_env``): lines ``KEY_ID BASE64_KEY``; the last line seals new content, the
others still open what they sealed. Each row records the id of its key. The database
registers every key id with a check value (an HMAC, which tells nothing about the key),
so a node started with a missing or different key fails at start with a message that
says which key and where it should be, instead of sealing content other nodes cannot
open.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import shlex
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nacl.bindings as sodium
import nacl.exceptions

from quarantine.store import IntegrityError, StoreError

log = logging.getLogger("redline.quarantine.keys")

MAGIC = b"RLS1"
CHUNK = 64 * 1024
HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
TAG_BYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES
_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE

KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
KEY_FILE_HEADER = (
    "# Redline content keys: one \"KEY_ID BASE64_KEY\" a line. The last line seals new\n"
    "# content; the others still open what they sealed. Keep this file 0600, outside the\n"
    "# database and its backups, and back it up separately: without it, held content is lost.\n"
)
COMMAND_SECONDS = 30.0


class SealingError(StoreError):
    """A content key is missing, wrong or unreadable (the message says which and what to do)."""


def sealed_size(size: int) -> int:
    """How many bytes ``size`` bytes of plaintext take sealed."""
    chunks = max(1, -(-size // CHUNK))
    return len(MAGIC) + HEADER_BYTES + chunks * TAG_BYTES + size


def new_key_line(now: datetime | None = None) -> tuple[str, str]:
    """(key id, ``KEY_ID BASE64_KEY`` line) of a fresh random key."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d")
    key_id = f"ck-{stamp}-{os.urandom(3).hex()}"
    key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
    return key_id, f"{key_id} {base64.b64encode(key).decode()}"


def _ad(item_id: str, purpose: str) -> bytes:
    return f"redline:{purpose}:{item_id}".encode()


# A word: a run of letters or digits; each Chinese, Japanese or Korean character stands
# alone, since those scripts do not put spaces between words.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff"
_INDEX_WORD = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")


def index_words(text: str) -> list[str]:
    """The words a subject is found by (case and compatibility forms folded)."""
    return _INDEX_WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Keyring:
    """Content keys by id (in file order) and the one that seals new content."""

    keys: Mapping[str, bytes]
    current: str
    source: str  # where the keys came from, for messages: "key file /x/keys/content.key"

    def check_value(self, key_id: str) -> str:
        """A value that identifies key ``key_id`` without revealing it (for the database)."""
        return hmac.new(self.keys[key_id], b"redline content key check v1",
                        hashlib.sha256).hexdigest()[:32]

    def _key(self, key_id: str, item_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise SealingError(
                f"quarantine item {item_id} is sealed with content key {key_id}, which the "
                f"{self.source} does not have: restore that key (from your key backup, or copy "
                "the key source of the node that wrote it) and restart") from None

    def seal_chunks(self, item_id: str, purpose: str,
                    chunks: Iterable[bytes]) -> Iterator[bytes]:
        """Seal ``chunks`` (each at most CHUNK bytes, any split) with the current key, piece by
        piece: the output joined is one sealed blob of ``sealed_size`` bytes."""
        state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = sodium.crypto_secretstream_xchacha20poly1305_init_push(
            state, self.keys[self.current])
        yield MAGIC + header
        ad = _ad(item_id, purpose)
        pending = b""
        for chunk in chunks:
            pending += chunk
            # Keep at least one byte back: the last piece must carry the final tag.
            while len(pending) > CHUNK:
                yield sodium.crypto_secretstream_xchacha20poly1305_push(
                    state, pending[:CHUNK], ad, _MESSAGE)
                pending = pending[CHUNK:]
        yield sodium.crypto_secretstream_xchacha20poly1305_push(state, pending, ad, _FINAL)

    def index_tokens(self, key_id: str, text: str) -> list[str]:
        """Keyed digests of the words of ``text`` under key ``key_id``: a blind index that
        finds an item by a whole word of its subject without storing the word. Equal
        words give equal digests (under one key), which is all a copy of the database
        learns: which items share a word, not what it is."""
        key = hmac.new(self._key(key_id, "the subject index"), b"redline subject index v1",
                       hashlib.sha256).digest()
        return sorted({hmac.new(key, word.encode("utf-8", "surrogatepass"),
                                hashlib.sha256).hexdigest()[:20]
                       for word in index_words(text)})

    def seal(self, item_id: str, purpose: str, data: bytes) -> bytes:
        """``data`` sealed whole with the current key (small values: hits)."""
        return b"".join(self.seal_chunks(item_id, purpose, _pieces(data)))

    def open_chunks(self, key_id: str, item_id: str, purpose: str,
                    blob: bytes) -> Iterator[bytes]:
        """The plaintext of ``blob`` piece by piece; IntegrityError when it does not open."""
        key = self._key(key_id, item_id)
        view = memoryview(blob)
        start = len(MAGIC) + HEADER_BYTES
        if len(view) < start + TAG_BYTES or bytes(view[:len(MAGIC)]) != MAGIC:
            raise _broken(item_id, purpose)
        state = sodium.crypto_secretstream_xchacha20poly1305_state()
        try:
            sodium.crypto_secretstream_xchacha20poly1305_init_pull(
                state, bytes(view[len(MAGIC):start]), key)
        except nacl.exceptions.CryptoError:
            raise _broken(item_id, purpose) from None
        ad = _ad(item_id, purpose)
        tag = None
        while start < len(view):
            if tag == _FINAL:  # bytes after the final piece: appended to
                raise _broken(item_id, purpose)
            piece = bytes(view[start:start + CHUNK + TAG_BYTES])
            start += len(piece)
            try:
                plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, piece, ad)
            except nacl.exceptions.CryptoError:
                raise _broken(item_id, purpose) from None
            yield plain
        if tag != _FINAL:  # cut short
            raise _broken(item_id, purpose)

    def open(self, key_id: str, item_id: str, purpose: str, blob: bytes) -> bytes:
        """The plaintext of ``blob``; IntegrityError when it does not open."""
        return b"".join(self.open_chunks(key_id, item_id, purpose, blob))


def _pieces(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        yield bytes(view[start:start + CHUNK])


def file_pieces(path: Path) -> Iterator[bytes]:
    """A file read in CHUNK-sized pieces (for ``Keyring.seal_chunks``)."""
    with path.open("rb") as f:
        yield from iter(lambda: f.read(CHUNK), b"")


def _broken(item_id: str, purpose: str) -> IntegrityError:
    # The keys were checked against the database at start, so a blob that does not open
    # with the right key was altered, cut or moved.
    return IntegrityError(
        f"sealed {purpose} of quarantine item {item_id} does not open with its key: it was "
        "altered, cut or moved in the database; restore it from backup")


def parse_keys(text: str, source: str) -> Keyring:
    """A Keyring from ``KEY_ID BASE64_KEY`` lines (``#`` comments and blank lines skipped)."""
    keys: dict[str, bytes] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        # Never echo a line: it may hold key material.
        if len(fields) != 2 or not KEY_ID.fullmatch(fields[0]):
            raise SealingError(f"{source}, line {number}: expected \"KEY_ID BASE64_KEY\" "
                               "(id: letters, digits, . _ -); `redline keys generate` prints one")
        try:
            key = base64.b64decode(fields[1], validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != KEY_BYTES:
            raise SealingError(f"{source}, line {number}: key {fields[0]} is not {KEY_BYTES} "
                               "bytes in base64; `redline keys generate` prints a valid line")
        if fields[0] in keys:
            raise SealingError(f"{source}, line {number}: key id {fields[0]} appears twice")
        keys[fields[0]] = key
    if not keys:
        raise SealingError(f"{source} holds no key; `redline keys generate` prints one")
    return Keyring(keys=keys, current=next(reversed(keys)), source=source)


@dataclass(frozen=True)
class KeySource:
    """Where the content keys come from: exactly one of a file, a command or a variable."""

    file: Path | None = None
    command: str = ""
    env: str = ""

    def describe(self) -> str:
        """How messages name this source."""
        if self.command:
            return f"content key command ({self.command.split()[0]})"
        if self.env:
            return f"content key environment variable {self.env}"
        return f"content key file {self.file}"

    def read(self, known: Iterable[str] = ()) -> Keyring:
        """The keys. A missing key file is made with one new key when the database knows
        no key yet (``known``: every key id it registered); otherwise it is an error."""
        known = sorted(known)
        if self.command:
            return parse_keys(self._run(), self.describe())
        if self.env:
            value = os.environ.get(self.env)
            if not value:
                raise SealingError(f"{self.describe()} is not set or empty: set it to the key "
                                   "lines (`redline keys generate` prints one) before starting")
            return parse_keys(value, self.describe())
        assert self.file is not None
        path = self.file
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if known:
                raise SealingError(
                    f"{self.describe()} is missing, but the quarantine database uses content "
                    f"key {', '.join(known)}: restore the file from your key backup (or copy it "
                    "from another gateway node sharing the database); without it held content "
                    "cannot be read") from None
            text = self._create()
        except (OSError, UnicodeDecodeError) as exc:
            raise SealingError(f"{self.describe()}: cannot read it "
                               f"({getattr(exc, 'strerror', None) or exc}); check the file "
                               "and that Redline's user may read it") from None
        _private_file(path)
        return parse_keys(text, self.describe())

    def _create(self) -> str:
        assert self.file is not None
        key_id, line = new_key_line()
        text = KEY_FILE_HEADER + line + "\n"
        try:
            _private_dir(self.file.parent)
            write_private(self.file, text, exclusive=True)
        except FileExistsError:  # another process made it first: use theirs
            return self.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise SealingError(f"{self.describe()}: cannot create it ({exc.strerror}); make its "
                               "directory writable by Redline's user") from None
        log.warning("created content key %s in %s: back this file up separately from the "
                    "database; without it held content cannot be read", key_id, self.file)
        return text

    def _run(self) -> str:
        try:
            done = subprocess.run(shlex.split(self.command), capture_output=True,
                                  timeout=COMMAND_SECONDS, check=False)
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            raise SealingError(f"{self.describe()}: cannot run it ({exc}); check "
                               "quarantine.content_key_command") from None
        if done.returncode != 0:
            reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
            raise SealingError(f"{self.describe()} failed with exit status {done.returncode} "
                               f"{reason[0]!r}; check quarantine.content_key_command")
        return done.stdout.decode("utf-8", errors="strict")


def write_private(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` as a 0600 file, durably (whole or not at all)."""
    if exclusive:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        target = path
    else:
        target = path.with_name(path.name + ".new")
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(os.dup(fd), "wb") as out:
            out.write(text.encode())
            out.flush()
        os.fsync(fd)
    finally:
        os.close(fd)
    if target != path:
        os.replace(target, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(path, 0o700)


def _private_file(path: Path) -> None:
    _tighten(path, 0o600)


def _tighten(path: Path, mode: int) -> None:
    """Take group and other permissions off ``path`` (logged), when Redline owns it."""
    try:
        current = path.stat().st_mode & 0o777
        if current & 0o077 and path.stat().st_uid == os.geteuid():
            os.chmod(path, mode)
            log.warning("%s was readable by other users (mode %o); set it to %o",
                        path, current, mode)
    except OSError as exc:
        log.warning("cannot check the permissions of %s: %s", path, exc.strerror)


def check_registered(keyring: Keyring, registered: Mapping[str, str]) -> list[str]:
    """Compare ``keyring`` with the keys the database knows (id → check value, retired ones
    left out); the ids to register. SealingError when a key is missing or different."""
    for key_id, check in registered.items():
        if key_id not in keyring.keys:
            raise SealingError(
                f"the quarantine database uses content key {key_id}, which the "
                f"{keyring.source} does not have: restore the key source this database was "
                "used with (from your key backup, or copy it from another gateway node "
                "sharing the database), or after `redline keys reencrypt` retire the key "
                f"with `redline keys retire {key_id}`")
        if not hmac.compare_digest(keyring.check_value(key_id), check):
            raise SealingError(
                f"content key {key_id} in the {keyring.source} is not the key this quarantine "
                "database registered under that id: the source was replaced or belongs to "
                "another installation; restore the right one")
    return [key_id for key_id in keyring.keys if key_id not in registered]
