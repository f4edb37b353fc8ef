"""The [quarantine] config section and opening the configured store from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filters.config import option
from filters.errors import ConfigError
from filters.types import SEVERITIES
from quarantine.notice import check_template, load_template

if TYPE_CHECKING:
    from quarantine.sealing import KeySource

SQLITE_FILE = "quarantine.sqlite"
KEY_FILE = "keys/content.key"


@dataclass(frozen=True, slots=True)
class QuarantineConfig:
    """Where held items live and the rules officers' decisions follow."""

    backend: str = option(
        "sqlite", "Store: sqlite (one file under data_dir) or postgres (several gateway nodes).",
        choices=("sqlite", "postgres"),
    )
    postgres_dsn: str = option(
        "", "PostgreSQL connection string when backend = \"postgres\", e.g. "
        "\"host=db dbname=redline user=redline\".",
    )
    postgres_schema: str = option(
        "", "PostgreSQL schema for Redline's tables (empty: the connection's search_path).",
    )
    content_key_file: str = option(
        "", "File with the keys that seal held content at rest (\"KEY_ID BASE64_KEY\" lines; "
        "the last seals new content). Empty: data_dir/keys/content.key, created 0600 at the "
        "first start. Keep it out of database backups and back it up separately; every node "
        "sharing a PostgreSQL store needs the same keys.",
    )
    content_key_command: str = option(
        "", "Instead of a key file: a command (run without a shell, 30 s at most) whose "
        "output is the key lines, e.g. a KMS or vault client. Run at start and when content "
        "sealed with a key not yet seen is read.",
    )
    content_key_env: str = option(
        "", "Instead of a key file: the name of an environment variable holding the key "
        "lines (for container secrets).",
    )
    four_eyes_severity: str = option(
        "critical", "Items with a hit at or above this severity need two different officers "
        "to release; \"off\" disables four-eyes.",
        choices=(*SEVERITIES, "off"),
    )
    account_change_delay_hours: float = option(
        24.0, "Under four-eyes, an officer account that someone else created, gave a password "
        "or issued a token counts as one of the two officers only this long after that change "
        "(or once a second admin, whose own account counts by the same rule, confirms it on "
        "the UI's account changes page or with 'redline user confirm'): one admin cannot set "
        "up two officers and release alone. 0 turns the delay off.", minimum=0,
    )
    pending_expiry_hours: float = option(
        168.0, "Pending items older than this are expired (see expiry_action).", minimum=1,
    )
    expiry_action: str = option(
        "reject", "What expiry does to a pending item: reject (status expired, never sent) "
        "or release (delivered as if an officer released it; never for items under four-eyes "
        "or with a classification marking, which nobody confirmed).",
        choices=("reject", "release"),
    )
    purge_after_days: float = option(
        90.0, "Decided items (and their content) are deleted this long after the decision.",
        minimum=1,
    )
    monitored_purge_after_days: float = option(
        30.0, "Monitored items (policy mode or action monitor: delivered, recorded for "
        "review) are deleted this long after they arrived or were last marked.", minimum=1,
    )
    upload_release_minutes: float = option(
        30.0, "After an upload is released, the same user may send the same content "
        "(same SHA-256) to the same site for this long.", minimum=1,
    )
    notify_sender_on_reject: bool = option(
        True, "Mail the envelope sender of a rejected or expired mail a notice that it was not "
        "sent (item id, subject, recipients, times, categories, comment; never content or "
        "excerpts). Mail only: an upload has no address to write to. Never to the null sender, "
        "mailer-daemon/postmaster or automatic mail (RFC 3834), nor, with org.domains set, "
        "to a sender outside them (the subject quoted could carry what was held).",
    )
    notify_sender_on_hold: bool = option(
        False, "Also mail the envelope sender of a held mail, right after the hold, that it "
        "waits for review (item id, subject, recipients, categories; never content). For "
        "senders behind an MTA, who never see Redline's SMTP reply; same loop rules as "
        "reject notices. Sent through the upstream once; an upstream down at that moment "
        "means no notice (logged), never a lost mail.",
    )
    hold_notice_subject: str = option(
        "Held for review: $subject", "Subject of hold notices; the placeholders of "
        "notice_subject expand.",
    )
    notice_from: str = option(
        "", "From address of reject and hold notices (empty: postmaster@ this host's FQDN). Use an "
        "address of a domain with a DKIM key so the notice is signed like released mail.",
    )
    notice_subject: str = option(
        "Not delivered: $subject", "Subject of reject notices; $item_id, $subject, "
        "$recipients, $sender, $received, $decided, $categories, $comment and $reason expand.",
    )
    notice_template: str = option(
        "", "Path of a UTF-8 text file with the notice body, same $placeholders as "
        "notice_subject ($$ for a dollar sign); empty: the built-in text.",
    )
    delivery_lease_seconds: float = option(
        300.0, "How long a node owns a released mail it is delivering; must exceed the "
        "upstream SMTP timeout, or a slow delivery may be repeated by another node.", minimum=1,
    )
    delivery_retry_seconds: float = option(
        60.0, "First wait after the upstream defers a released mail; doubles up to an hour.",
        minimum=0.01,
    )
    delivery_give_up_hours: float = option(
        96.0, "A released mail still deferred after this long is marked failed "
        "(RFC 5321 4.5.4.1 suggests 4-5 days).", minimum=0.001,
    )

    def __post_init__(self) -> None:
        if self.backend == "postgres" and not self.postgres_dsn:
            raise ConfigError(
                "config key quarantine.postgres_dsn: required when quarantine.backend is "
                "\"postgres\"; give a connection string such as \"host=db dbname=redline\""
            )
        if self.notice_from and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", self.notice_from):
            raise ConfigError(
                f"config key quarantine.notice_from: expected an address such as "
                f"postmaster@gateway.example.org, got {self.notice_from!r}"
            )
        chosen = [name for name in ("content_key_file", "content_key_command", "content_key_env")
                  if getattr(self, name)]
        if len(chosen) > 1:
            raise ConfigError(
                f"config keys quarantine.{' and quarantine.'.join(chosen)}: the content keys "
                "come from one source; keep one of them")
        if self.content_key_env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*",
                                                     self.content_key_env):
            raise ConfigError(f"config key quarantine.content_key_env: expected the name of an "
                              f"environment variable, got {self.content_key_env!r}")
        check_template(self.notice_subject, "quarantine.notice_subject")
        check_template(self.hold_notice_subject, "quarantine.hold_notice_subject")
        load_template(self.notice_template)  # a broken template stops the start, not a reject


def key_source(config: QuarantineConfig, data_dir: str | Path) -> KeySource:
    """Where the content keys come from: the configured file, command or variable, else
    ``DATA_DIR/keys/content.key``."""
    from quarantine.sealing import KeySource  # nacl: only commands that open the store

    return KeySource(
        file=Path(config.content_key_file or Path(data_dir) / KEY_FILE),
        command=config.content_key_command, env=config.content_key_env)


def open_store(config: QuarantineConfig, data_dir: str | Path):
    """Open the configured store backend (migrating its schema, checking its content keys);
    the caller closes it."""
    keys = key_source(config, data_dir)
    if config.backend == "postgres":
        from quarantine.postgres_store import PostgresStore

        return PostgresStore(config.postgres_dsn, keys=keys,
                             schema=config.postgres_schema or None)
    from quarantine.sqlite_store import SqliteStore

    return SqliteStore(Path(data_dir) / SQLITE_FILE, keys=keys)
