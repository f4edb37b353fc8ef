"""Reject notices: template checks at config load, who is never notified, safe headers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import SMTP

import pytest

from filters.errors import ConfigError
from quarantine.config import QuarantineConfig
from quarantine.notice import render, skip_reason

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def notice(**overrides):
    values = dict(item_id="Q-AAAA-BBBB", sender="alice@example.org",
                  recipients=("bob@example.com",), subject="Plan", received=AT, decided=AT,
                  categories=("classification", "draft"), comment="", reason="an officer rejected it",
                  from_address="postmaster@gw.example.org", subject_template="Not delivered: $subject",
                  body_template="$item_id $categories $comment")
    values.update(overrides)
    return render(**values)


def test_a_custom_template_file_is_used(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("Item $item_id costs $$0 and was $reason.\n", encoding="utf-8")
    config = QuarantineConfig(notice_template=str(path))
    from quarantine.service import QuarantineService

    service = QuarantineService(object(), config)
    assert service._notice_body == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("options", "key"), [
    ({"notice_subject": "Held: $excerpt"}, "quarantine.notice_subject: unknown placeholder $excerpt"),
    ({"notice_subject": "costs $5"}, "quarantine.notice_subject: not a valid template"),
    ({"notice_template": "/nonexistent/notice.txt"}, "quarantine.notice_template: cannot read"),
    ({"notice_from": "postmaster"}, "quarantine.notice_from: expected an address"),
])
def test_a_bad_notice_setting_stops_the_start_naming_the_key(options, key):
    with pytest.raises(ConfigError, match=re.escape(key)):
        QuarantineConfig(**options)


def test_an_unknown_placeholder_in_the_template_file_is_refused(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("Found: $hits\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("quarantine.notice_template: unknown placeholder")):
        QuarantineConfig(notice_template=str(path))


@pytest.mark.parametrize(("sender", "headers", "expected"), [
    ("alice@example.org", b"Subject: x\r\n\r\n", None),
    ("alice@example.org", b"Auto-Submitted: no\r\n\r\n", None),
    ("<>", None, "null sender"),
    ("list-request@example.org", None, "sender is a mail system address"),
    ("owner-staff@example.org", None, "sender is a mail system address"),
    ("postmaster@gw.example.org", None, "sender is a mail system address"),
    ("alice@example.org", b"Auto-Submitted: auto-generated\r\n\r\n",
     "held mail was automatic (Auto-Submitted)"),
    ("alice@example.org", b"Precedence: bulk\r\n\r\n", "held mail was bulk or list mail (Precedence)"),
    ("alice", None, "sender is not an address"),
])
def test_who_gets_no_notice(sender, headers, expected):
    assert skip_reason("mail", sender, headers, "postmaster@gw.example.org") == expected


@pytest.mark.parametrize(("sender", "expected"), [
    ("alice@example.org", None), ("alice@hq.example.org", None),
    ("drop@evil.example", "sender is outside the organisation's domains"),
    ("drop%evil.example@example.org", "sender is outside the organisation's domains"),
    ("drop@notexample.org", "sender is outside the organisation's domains"),
])
def test_with_org_domains_only_senders_inside_get_a_notice(sender, expected):
    assert skip_reason("mail", sender, None, "postmaster@gw.example.org",
                       ("example.org",)) == expected


def test_a_subject_with_line_breaks_cannot_add_headers():
    data = notice(subject="Plan\r\nBcc: mallory@evil.example").message
    parsed = message_from_bytes(data, policy=SMTP)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Not delivered: Plan Bcc: mallory@evil.example"


def test_empty_fields_read_as_none_and_non_ascii_survives():
    parsed = message_from_bytes(notice(subject="机密 预算", comment="  ").message, policy=SMTP)
    assert parsed["Subject"] == "Not delivered: 机密 预算"
    assert parsed.get_content().strip() == "Q-AAAA-BBBB classification, draft (none)"
