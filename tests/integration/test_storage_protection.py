"""Held content is protected at rest, through the real gateway.

``redline serve`` under the usual umask 022 keeps its data dir to itself; a mail held over
SMTP is in neither the SQLite file, its WAL, a pg_dump nor a raw SELECT, yet an officer
still reads and releases it and the upstream gets the original bytes; a copy of the
database without its key, or with another key, opens nothing and says why; rotation and
re-encryption move every item, also those stored before sealing existed, to a new key.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
import tracemalloc
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from conftest import require_peer
from fixtures.quarantine import BACKENDS, PG_DSN, backend_for, postgres_missing
from serve_harness import REDLINE, ServeProcess
from smtp_harness import Upstream, free_port

from filters.types import Hit, Verdict
from quarantine.config import QuarantineConfig
from quarantine.service import QuarantineService
from quarantine.store import HoldRequest, ItemQuery

MARKING = "TOP SECRET//NOFORN"
WORDS = "the convoy leaves Larkspur harbour at 0400"
PASSWORD = "correct horse battery"
OFF = [arg for flag in ("http", "icap", "ui", "metrics") for arg in (f"--{flag}", "off")]


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    yield from backend_for(request, tmp_path)


def marked_mail(token: str) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.example"
    message["Subject"] = f"weekly note {token}"
    message["Message-ID"] = f"<{token}@example.org>"
    message.set_content(f"{MARKING}\n\nHello Bob,\n\n{WORDS}.\n\n{MARKING}\n")
    return message.as_bytes()


def send(port: int, raw: bytes) -> None:
    import smtplib

    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("alice@example.org", ["bob@partner.example"], raw)


def wait_for(predicate, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def config_for(db, tmp_path: Path) -> Path:
    """A config putting ``redline serve`` and the CLI on this backend and its key file."""
    config = tmp_path / "redline.toml"
    text = f'data_dir = "{tmp_path / "data"}"\n[quarantine]\nfour_eyes_severity = "off"\n'
    if db.name == "postgres":
        text += (f'backend = "postgres"\npostgres_dsn = "{PG_DSN}"\npostgres_schema = '
                 f'"{db.schema}"\ncontent_key_file = "{db.key_file}"\n')
    else:
        db.path = tmp_path / "data" / "quarantine.sqlite"
    config.write_text(text)
    return config


def redline(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(REDLINE), *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def keys_as_admin(*args: str) -> subprocess.CompletedProcess:
    """``redline keys ARGS`` acting as the admin account kim (password on stdin)."""
    return redline("keys", *args, "--as", "kim", "--password-stdin", stdin=PASSWORD + "\n")


def database_bytes(db) -> bytes:
    """Everything an intruder with the database gets: the SQLite file and its WAL, or
    pg_dump of the schema and the raw columns."""
    if db.name == "sqlite":
        return b"".join(p.read_bytes() for p in db.path.parent.glob("quarantine.sqlite*"))
    dump = subprocess.run(["pg_dump", "--no-owner", "--schema", db.schema, PG_DSN],
                          capture_output=True, timeout=60, check=True).stdout
    rows = db.execute("SELECT c.data, row_to_json(i)::text FROM contents c "
                      "JOIN items i ON i.id = c.item_id")
    return dump + b"".join(bytes(v) if not isinstance(v, str) else v.encode()
                           for row in rows for v in row if v is not None)


def hold_over_smtp(serve_args: list[str], data: Path, token: str, raw: bytes) -> ServeProcess:
    smtp = free_port()
    serve = ServeProcess(data, ["--smtp", f"127.0.0.1:{smtp}", *serve_args, *OFF,
                                "--workers", "1"], umask=0o022, ready_seconds=60)
    send(smtp, raw)
    return serve


def test_held_mail_is_sealed_in_the_database_and_still_released_whole(db, tmp_path):
    upstream = Upstream().start()
    config = config_for(db, tmp_path)
    token = uuid.uuid4().hex[:10]
    raw = marked_mail(token)
    serve = hold_over_smtp(["--config", str(config), "--upstream", f"127.0.0.1:{upstream.port}"],
                           tmp_path / "data", token, raw)
    try:
        seen = database_bytes(db)
        # The grep reads the right bytes: the readable metadata of the item is there ...
        assert b"alice@example.org" in seen and b"bob@partner.example" in seen
        # ... the subject, the marking, the body's words and the excerpts are not.
        for secret in (f"weekly note {token}", token, MARKING, "NOFORN", WORDS, "Larkspur",
                       "Hello Bob"):
            assert secret.encode() not in seen, secret
        # The officer's view is whole: the CLI finds the item by a word of its subject,
        # lists the subject and the excerpt and gives the bytes, and an officer account
        # releases it from the command line.
        listing = json.loads(redline("quarantine", "list", "--config", str(config),
                                     "--search", token, "--json").stdout)
        (shown,) = listing
        assert shown["subject"] == f"weekly note {token}"
        assert any("TOP SECRET" in hit["excerpt"] for hit in shown["hits"])
        added = redline("user", "add", "olga", "--role", "officer", "--password-stdin",
                        "--config", str(config), stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        officer = ("--as", "olga", "--password-stdin", "--config", str(config))
        content = subprocess.run([str(REDLINE), "quarantine", "show", shown["id"], "--content",
                                  *officer], input=(PASSWORD + "\n").encode(),
                                 capture_output=True, timeout=60)
        assert content.stdout == raw, content.stderr
        released = redline("quarantine", "release", shown["id"], *officer, "--comment",
                           "cleared with the owner", "--confirm", shown["id"],
                           stdin=PASSWORD + "\n")
        assert released.returncode == 0, released.stdout + released.stderr
        store = db.open()
        try:
            assert wait_for(lambda: store.get(shown["id"]).status == "delivered"), serve.log
        finally:
            store.close()
        (got,) = upstream.messages
        assert got.content.endswith(raw)  # the original bytes, after Redline's own headers
    finally:
        assert serve.stop() == 0, serve.log
        upstream.stop()
    for secret in (MARKING, WORDS):
        assert secret not in serve.log


def test_a_copy_of_the_database_without_its_key_reveals_nothing_and_says_why(db, tmp_path):
    config = config_for(db, tmp_path)
    raw = marked_mail("copy")
    serve = hold_over_smtp(["--config", str(config)], tmp_path / "data", "copy", raw)
    serve.stop()
    if db.name == "sqlite":
        copy = tmp_path / "copy"
        copy.mkdir()
        for part in db.path.parent.glob("quarantine.sqlite*"):
            (copy / part.name).write_bytes(part.read_bytes())
        without = ["--data-dir", str(copy)]
        key_file = copy / "keys" / "content.key"
    else:
        key_file = tmp_path / "elsewhere" / "content.key"
        other = tmp_path / "other.toml"
        other.write_text(config.read_text().replace(str(db.key_file), str(key_file)))
        without = ["--config", str(other)]
    done = redline("quarantine", "list", *without)
    assert done.returncode == 2
    assert f"content key file {key_file} is missing" in done.stderr
    assert "restore the file from your key backup" in done.stderr
    assert "Traceback" not in done.stderr and not key_file.exists()
    # A key file of another installation under the same id is refused, never used to
    # seal new content beside the old.
    key_id = db.keys().read().current
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key_id + " " + redline("keys", "generate").stdout.split()[1] + "\n")
    done = redline("quarantine", "list", *without)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"content key {key_id} in the content key file {key_file} is not the key" in done.stderr


def test_rotation_and_reencryption_move_every_item_to_the_new_key(db, tmp_path):
    upstream = Upstream().start()
    config = config_for(db, tmp_path)
    raw = marked_mail("rotate")
    serve = hold_over_smtp(["--config", str(config), "--upstream", f"127.0.0.1:{upstream.port}"],
                           tmp_path / "data", "rotate", raw)
    try:
        added = redline("user", "add", "kim", "--role", "admin", "--password-stdin", "--config",
                        str(config), stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        first = db.keys().read().current
        rotated = keys_as_admin("rotate", "--config", str(config))
        assert rotated.returncode == 0, rotated.stderr
        status = json.loads(redline("keys", "status", "--config", str(config), "--json").stdout)
        second = status["current"]
        assert second != first
        assert {k["id"]: k["items"] for k in status["keys"]} == {first: 1, second: 0}
        # An old key still seals items: it cannot be retired yet.
        refused = keys_as_admin("retire", first, "--config", str(config))
        assert refused.returncode == 2 and "run `redline keys reencrypt` first" in refused.stderr
        done = keys_as_admin("reencrypt", "--config", str(config), "--json")
        assert json.loads(done.stdout)["resealed"] == 1, done.stderr
        status = json.loads(redline("keys", "status", "--config", str(config), "--json").stdout)
        assert {k["id"]: k["items"] for k in status["keys"]} == {first: 0, second: 1}
        # The running gateway started before the rotation: it reads the new key when it
        # meets it, and delivers the re-sealed item whole.
        store = db.open()
        try:
            (item,) = store.list(ItemQuery())[0]
            QuarantineService(store, QuarantineConfig(four_eyes_severity="off")).release(
                item.id, "olga", "ok", confirmation=item.id)
            assert wait_for(lambda: store.get(item.id).status == "delivered"), serve.log
        finally:
            store.close()
        assert upstream.messages[0].content.endswith(raw)
    finally:
        serve.stop()
        upstream.stop()
    assert keys_as_admin("retire", first, "--config", str(config)).returncode == 0
    # Retired, the old key may leave the key file; the gateway starts without it.
    key_file = db.keys().file
    key_file.write_text("".join(line for line in key_file.read_text().splitlines(True)
                                if not line.startswith(first)))
    assert redline("quarantine", "list", "--config", str(config)).returncode == 0


def sealing_migration(migrations: tuple[str, ...]) -> int:
    """How many migrations a database from before sealing has."""
    return next(n for n, statement in enumerate(migrations) if "content_keys" in statement)


def legacy_database(db) -> None:
    """The database as a Redline from before sealing left it, with one plaintext item."""
    hits = json.dumps([{"rule": "classification.en.banner", "category": "classification",
                        "severity": "high", "where": "mail/body[1]", "excerpt": MARKING,
                        "span": [0, 18], "description": "", "action": None}])
    raw = marked_mail("legacy")
    import hashlib

    row = ("Q-LEGA-CY01", "mail", "pending", "alice@example.org", '["bob@partner.example"]',
           "weekly note legacy", len(raw), hashlib.sha256(raw).hexdigest(), "quarantine", hits,
           ",classification,", 3, "127.0.0.1", "{}")
    insert = ("INSERT INTO items (id, kind, status, received, sender, recipients, subject, size, "
              "sha256, verdict, hits, categories, top_severity, client, meta) VALUES "
              "(?, ?, ?, '2026-11-30T09:00:00.000000+00:00', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    if db.name == "sqlite":
        from quarantine.sqlite_store import MIGRATIONS

        before = sealing_migration(MIGRATIONS)
        db.path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(db.path) as raw_db:
            raw_db.executescript(";".join(MIGRATIONS[:before]) +
                                 f";PRAGMA user_version = {before};")
            raw_db.execute(insert, row)
            raw_db.execute("INSERT INTO contents (item_id, data) VALUES (?, ?)", (row[0], raw))
        return
    import psycopg
    from psycopg import sql

    from quarantine.postgres_store import MIGRATIONS

    with psycopg.connect(PG_DSN, autocommit=True) as raw_db:
        raw_db.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(db.schema)))
        raw_db.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(db.schema)))
        raw_db.execute("CREATE TABLE schema_version (version integer PRIMARY KEY, "
                       "applied timestamptz NOT NULL DEFAULT now())")
        for version, statement in enumerate(MIGRATIONS[:sealing_migration(MIGRATIONS)], 1):
            raw_db.execute(statement)
            raw_db.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
        raw_db.execute(insert.replace("?", "%s"), row)
        raw_db.execute("INSERT INTO contents (item_id, data) VALUES (%s, %s)", (row[0], raw))


def test_items_stored_before_sealing_stay_readable_and_are_sealed_by_reencrypt(db, tmp_path):
    config = config_for(db, tmp_path)
    legacy_database(db)
    assert MARKING.encode() in database_bytes(db)  # plaintext, as an older Redline left it
    serve = ServeProcess(tmp_path / "data", ["--config", str(config), "--smtp", "off", *OFF],
                         ready_seconds=60)
    assert serve.stop() == 0, serve.log
    assert "1 held items were stored before sealing existed and are not sealed: run " \
        "`redline keys reencrypt`" in serve.log
    store = db.open()
    try:
        assert store.content("Q-LEGA-CY01") == marked_mail("legacy")
        assert store.get("Q-LEGA-CY01").hits[0].excerpt == MARKING
        assert store.key_use() == {None: 1}
    finally:
        store.close()
    added = redline("user", "add", "kim", "--role", "admin", "--password-stdin", "--config",
                    str(config), stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    done = keys_as_admin("reencrypt", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert "sealed 1 item(s)" in done.stdout
    # Sealed, subject too, and no freed page or WAL frame keeps the old plaintext.
    seen = database_bytes(db)
    assert b"alice@example.org" in seen
    for secret in (MARKING, WORDS, "weekly note legacy"):
        assert secret.encode() not in seen, secret
    store = db.open()
    try:
        assert store.content("Q-LEGA-CY01") == marked_mail("legacy")
        assert store.get("Q-LEGA-CY01").hits[0].excerpt == MARKING
        assert store.get("Q-LEGA-CY01").subject == "weekly note legacy"
        assert [i.id for i in store.list(ItemQuery(search="LEGACY"))[0]] == ["Q-LEGA-CY01"]
    finally:
        store.close()


def test_key_changes_act_as_a_proven_admin_and_are_audited_under_its_name(tmp_path):
    data = tmp_path / "data"
    for name, role in (("kim", "admin"), ("olga", "officer")):
        added = redline("user", "add", name, "--role", role, "--password-stdin",
                        "--data-dir", str(data), stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
    key_file = data / "keys" / "content.key"
    before = key_file.read_text()
    token = redline("user", "token", "olga", "--data-dir", str(data)).stdout.strip()
    env = {**os.environ, "REDLINE_TOKEN": token}
    for verb in (["rotate"], ["reencrypt"], ["retire", "ck-none"]):
        at = ["keys", *verb, "--data-dir", str(data)]
        for extra, stdin, words in (
                ([], "", "say who acts"),  # file access alone no longer does it
                (["--as", "olga", "--password-stdin"], PASSWORD, "needs the 'admin' permission"),
                (["--as", "kim", "--password-stdin"], "a wrong password", "wrong name or password"),
                (["--as", "nobody", "--password-stdin"], PASSWORD, "wrong name or password")):
            refused = redline(*at, *extra, stdin=stdin + "\n")
            assert refused.returncode == 1, (verb, extra, refused.stderr)
            assert words in refused.stderr and "Traceback" not in refused.stderr
        # An officer's API token is no admin either.
        refused = subprocess.run([str(REDLINE), *at], env=env, capture_output=True, text=True,
                                 timeout=60)
        assert refused.returncode == 1 and "needs the 'admin' permission" in refused.stderr
    assert key_file.read_text() == before
    assert redline("keys", "status", "--data-dir", str(data)).returncode == 0  # reads only
    rotated = redline("keys", "rotate", "--data-dir", str(data), "--as", " KIM ",
                      "--password-stdin", stdin=PASSWORD + "\n")
    assert rotated.returncode == 0, rotated.stderr
    assert len(key_file.read_text().split("\n")) > len(before.split("\n"))
    entries = json.loads(redline("audit", "list", "--data-dir", str(data), "--json").stdout)
    (entry,) = [e for e in entries if e["action"] == "keys-rotate"]
    assert entry["actor"] == "kim" and entry["detail"]["os_user"]


def test_a_large_item_is_sealed_in_bounded_memory(db, tmp_path):
    spool = tmp_path / "big.eml"
    block = (f"{MARKING} ".encode() + os.urandom(4000).hex().encode() + b"\r\n")
    with spool.open("wb") as f:
        for _ in range(3000):  # about 24 MB
            f.write(block)
    store = db.open()
    try:
        hit = Hit(rule="r", category="classification", severity="high", where="mail/body[1]",
                  excerpt=MARKING)
        tracemalloc.start()
        item = store.hold(HoldRequest(kind="mail", sender="a@example.org",
                                      recipients=("b@example.com",), subject="big",
                                      verdict=Verdict("quarantine", (hit,)), content=spool,
                                      received=datetime.now(UTC)))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 4 << 20, f"holding a {spool.stat().st_size} byte item peaked at {peak}"
        assert item.size == spool.stat().st_size
        assert store.content(item.id) == spool.read_bytes()
    finally:
        store.close()


def modes(root: Path) -> dict[str, int]:
    found = {".": root.stat().st_mode & 0o777}
    for top, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(top) / name
            if not path.is_symlink():
                found[str(path.relative_to(root))] = path.stat().st_mode & 0o777
    return found


def test_serve_under_umask_022_keeps_the_data_dir_to_itself(tmp_path):
    data = tmp_path / "data"
    smtp = free_port()
    # No upstream: passing mail goes to the Maildir outbox under the data dir.
    serve = ServeProcess(data, ["--smtp", f"127.0.0.1:{smtp}", *OFF, "--workers", "1"],
                         umask=0o022, ready_seconds=60)
    try:
        send(smtp, marked_mail("held"))
        send(smtp, b"From: a@example.org\r\nSubject: lunch\r\n\r\nnoon?\r\n")
        assert wait_for(lambda: any((data / "outbox" / "new").iterdir()))
        found = modes(data)
    finally:
        assert serve.stop() == 0, serve.log
    for name in ("quarantine.sqlite", "quarantine.sqlite-wal", "quarantine.sqlite-shm",
                 "keys/content.key"):
        assert found[name] == 0o600, (name, oct(found[name]))
    (mail,) = [name for name in found if name.startswith("outbox/new/")]
    assert found[mail] == 0o600
    assert {name: oct(mode) for name, mode in found.items() if mode & 0o077} == {}
    assert found["."] == found["outbox"] == found["keys"] == 0o700
    # Another local user reads nothing, not even the names.
    if os.geteuid() == 0:
        for path in (data / "quarantine.sqlite", data / "keys" / "content.key",
                     data / "outbox" / "new" / Path(mail).name):
            other = subprocess.run(["cat", str(path)], user="nobody", capture_output=True,
                                   timeout=10)
            assert other.returncode != 0 and b"Permission denied" in other.stderr
        listing = subprocess.run(["ls", str(data)], user="nobody", capture_output=True,
                                 timeout=10)
        assert listing.returncode != 0


def test_the_cli_creating_the_store_under_umask_022_keeps_it_private(tmp_path):
    data = tmp_path / "fresh"
    # `user add` is a set-up command: it creates the data dir, the store and the key.
    done = subprocess.run([str(REDLINE), "user", "add", "kim", "--role", "admin",
                           "--password-stdin", "--data-dir", str(data)], input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=60, umask=0o022)
    assert done.returncode == 0, done.stderr
    assert (data / "keys" / "content.key").exists()
    assert {name: oct(mode) for name, mode in modes(data).items() if mode & 0o077} == {}


def test_serve_closes_a_data_dir_an_older_redline_left_open(tmp_path):
    data = tmp_path / "data"
    (data / "outbox" / "new").mkdir(parents=True)
    old_mail = data / "outbox" / "new" / "1.P1Q1.host"
    old_mail.write_bytes(b"Subject: old\r\n\r\nleft 0644\r\n")
    sqlite3.connect(data / "quarantine.sqlite").close()
    for path in (data, data / "outbox", data / "outbox" / "new"):
        path.chmod(0o755)
    for path in (old_mail, data / "quarantine.sqlite"):
        path.chmod(0o644)
    serve = ServeProcess(data, ["--smtp", f"127.0.0.1:{free_port()}", *OFF, "--workers", "1"],
                         umask=0o022, ready_seconds=60)
    assert serve.stop() == 0, serve.log
    assert {name: oct(mode) for name, mode in modes(data).items() if mode & 0o077} == {}
    assert old_mail.stat().st_mode & 0o777 == 0o600
    assert "were open to other users; made them owner-only" in serve.log


def test_a_second_key_source_in_the_config_is_refused_at_start(tmp_path):
    config = tmp_path / "redline.toml"
    config.write_text('[quarantine]\ncontent_key_file = "/etc/redline/content.key"\n'
                      'content_key_env = "REDLINE_CONTENT_KEYS"\n')
    done = redline("serve", "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 2
    assert ("config keys quarantine.content_key_file and quarantine.content_key_env: the "
            "content keys come from one source") in done.stderr


def test_postgres_nodes_with_different_keys_cannot_both_seal(tmp_path):
    require_peer(postgres_missing())
    from fixtures.quarantine import backend

    with backend("postgres", tmp_path) as first:
        first.open().close()
        second = type(first)("postgres", schema=first.schema, key_file=tmp_path / "b" / "k")
        from quarantine.sealing import SealingError

        with pytest.raises(SealingError, match="is missing, but the quarantine database uses"):
            second.open()
        second.key_file.parent.mkdir()
        second.key_file.write_text(redline("keys", "generate").stdout)
        with pytest.raises(SealingError, match=r"which the content key file .* does not have"):
            second.open()


def test_a_process_started_before_a_rotation_reads_and_never_reseals_backwards(db, tmp_path):
    from fixtures.quarantine import held_mail

    from quarantine.sealing import new_key_line

    before = db.open()  # a gateway process started before the rotation
    try:
        old_item = held_mail(before)
        key_file = db.keys().file
        new_id, line = new_key_line()
        key_file.write_text(key_file.read_text() + line + "\n")
        after = db.open()  # a process started after it: seals with the new key
        try:
            new_item = held_mail(after, subject="after")
            assert after.reseal(old_item.id)
        finally:
            after.close()
        # The older process meets the new key: it reads it, and does not move the items
        # back to the key it started with.
        assert before.content(new_item.id).endswith(b"SECRET plans\r\n")
        assert before.get(old_item.id).hits[0].excerpt == "SECRET plans"
        assert not before.reseal(new_item.id) and not before.reseal(old_item.id)
        assert before.key_use() == {new_id: 2}
    finally:
        before.close()


def test_subjects_and_upload_urls_are_sealed_yet_found_by_word_and_sorted(db):
    hit = Hit("classification.en.banner", "classification", "high", "mail/body[1]", MARKING)
    store = db.open()
    try:
        def hold(subject: str, kind: str = "mail") -> str:
            return store.hold(HoldRequest(
                kind=kind, sender="alice@example.org", recipients=("files.example.com",),
                subject=subject, verdict=Verdict("quarantine", (hit,)), content=b"x",
                received=datetime.now(UTC))).id

        budget, launch = hold("Budget plan 2027"), hold("SECRET launch plan")
        chinese, zebra = hold("绝密文件 季度报告"), hold("Zebra notes")
        upload = hold("POST https://files.example.com/up?name=Q3-plan&token=s3cr3tvalue",
                      "upload")
        seen = database_bytes(db)
        assert b"alice@example.org" in seen  # the grep reads the right bytes
        for secret in ("Budget plan", "launch", "绝密", "Zebra", "s3cr3tvalue",
                       "/up?name"):
            assert secret.encode() not in seen, secret

        def found(**query) -> list[str]:
            return [item.id for item in store.list(ItemQuery(**query))[0]]

        # Whole words, any case, every word of the search (a Chinese character is a word).
        assert set(found(search="PLAN")) == {budget, launch, upload}
        assert found(search="plan 2027") == [budget]
        assert found(search="绝密") == [chinese]
        assert found(search="s3cr3tvalue") == [upload]
        assert found(search="pla") == []  # part of a word is not found in a sealed subject
        assert set(found(search="alice@example")) == {budget, launch, chinese, zebra, upload}
        assert store.list(ItemQuery(search="plan", limit=1))[1] == 3
        # Sorted by the opened subjects, paged after sorting.
        everything = [budget, upload, launch, zebra, chinese]
        assert found(sort="subject") == everything
        assert found(sort="-subject") == everything[::-1]
        assert found(sort="subject", limit=2, offset=1) == everything[1:3]
        assert store.get(upload).subject.endswith("token=s3cr3tvalue")
        # A row from before subjects were sealed reads and searches as it is, and
        # `keys reencrypt` (reseal) seals it.
        db.execute("UPDATE items SET subject = ?, sealed_subject = NULL, subject_index = NULL "
                   "WHERE id = ?", ("Old subject words", zebra))
        assert store.get(zebra).subject == "Old subject words"
        assert found(search="subject word") == [zebra]
        assert store.not_sealed_with_current() == [zebra]
        assert store.reseal(zebra) and not store.reseal(zebra)
        assert store.not_sealed_with_current() == []
        assert store.get(zebra).subject == "Old subject words"
        assert found(search="words") == [zebra]
        assert db.execute("SELECT subject FROM items WHERE id = ?", (zebra,)) == [("",)]
    finally:
        store.close()
