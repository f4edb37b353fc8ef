"""The metric API: real Verdicts from the pipeline move the right series, labels stay bounded."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import zipfile
import zlib

import pytest

from filters.build import FiltersConfig, build_pipeline
from gateway.ops import metrics
from gateway.ops.config import LoggingConfig
from gateway.ops.logs import JsonFormatter, TextFormatter, log_decision, setup_logging
from tests.fixtures.root_logging import root_logging_restored

SECRET_MAIL = (
    b"From: alice@example.org\r\nTo: bob@outside.test\r\nSubject: launch plans\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n"
    b"SECRET//NOFORN\r\nThe launch window is Tuesday at dawn.\r\n"
)
PLAIN_MAIL = (
    b"From: alice@example.org\r\nTo: bob@outside.test\r\nSubject: lunch\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nThe secret to good bread is time.\r\n"
)


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def value(name: str, **labels: str) -> float:
    return metrics.sample(name, labels) or 0.0


def test_held_mail_moves_verdict_rule_duration_bytes_and_type_series(pipeline):
    verdict = pipeline.scan_bytes(SECRET_MAIL, origin="mail", declared_type="message/rfc822")
    assert verdict.action == "quarantine"
    rules = {h.rule for h in verdict.hits}
    before = {
        "items": value("redline_items_total", kind="mail", direction="outbound", verdict="quarantine"),
        "passed": value("redline_items_total", kind="mail", direction="outbound", verdict="pass"),
        "rules": {r: value("redline_rule_hits_total", rule=r, category="classification") for r in rules},
        "count": value("redline_scan_duration_seconds_count", kind="mail"),
        "bytes": value("redline_scan_bytes_sum", kind="mail"),
        "mail_parts": value("redline_parts_total", type="mail"),
        "text_parts": value("redline_parts_total", type="text"),
        "small": value("redline_scan_bytes_bucket", kind="mail", le="1000.0"),
    }
    metrics.observe_scan("mail", "outbound", verdict)
    assert value("redline_items_total", kind="mail", direction="outbound",
                 verdict="quarantine") == before["items"] + 1
    assert value("redline_items_total", kind="mail", direction="outbound",
                 verdict="pass") == before["passed"]
    for rule in rules:  # once per item and rule, even when a rule hits twice
        assert value("redline_rule_hits_total", rule=rule,
                     category="classification") == before["rules"][rule] + 1
    assert value("redline_scan_duration_seconds_count", kind="mail") == before["count"] + 1
    assert value("redline_scan_bytes_sum", kind="mail") == before["bytes"] + len(SECRET_MAIL)
    assert value("redline_scan_bytes_bucket", kind="mail", le="1000.0") == before["small"] + 1
    assert value("redline_parts_total", type="mail") == before["mail_parts"] + 1
    assert value("redline_parts_total", type="text") == before["text_parts"] + 1


def test_passing_mail_counts_as_pass_and_adds_no_rule_hits(pipeline):
    verdict = pipeline.scan_bytes(PLAIN_MAIL, origin="mail", declared_type="message/rfc822")
    assert verdict.action == "pass", verdict.hits
    passed = value("redline_items_total", kind="mail", direction="internal", verdict="pass")
    metrics.observe_scan("mail", "internal", verdict)
    assert value("redline_items_total", kind="mail", direction="internal", verdict="pass") == passed + 1


def test_broken_zip_counts_an_extraction_error_by_format(pipeline):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("minutes.txt", "hello")
    verdict = pipeline.scan_bytes(buffer.getvalue()[:-10], origin="upload/report.zip",
                                  name="report.zip")
    assert "extract.unparseable" in {h.rule for h in verdict.hits}
    before = value("redline_extraction_errors_total", format="zip", error="unparseable")
    policy = value("redline_rule_hits_total", rule="extract.unparseable", category="policy")
    metrics.observe_scan("upload", "outbound", verdict)
    assert value("redline_extraction_errors_total", format="zip", error="unparseable") == before + 1
    assert value("redline_rule_hits_total", rule="extract.unparseable", category="policy") == policy + 1


def test_limit_reached_is_counted_by_limit():
    tight = build_pipeline(FiltersConfig.from_mapping({"limits": {"max_parts": 2}}))
    verdict = tight.scan_bytes(SECRET_MAIL, origin="mail", declared_type="message/rfc822")
    assert "max_parts" in verdict.stats.limits_reached
    before = value("redline_limits_reached_total", limit="max_parts")
    metrics.observe_scan("mail", "outbound", verdict)
    assert value("redline_limits_reached_total", limit="max_parts") == before + 1


def test_unknown_label_values_are_clamped_to_other(pipeline):
    verdict = pipeline.scan_bytes(PLAIN_MAIL, origin="mail", declared_type="message/rfc822")
    before = value("redline_items_total", kind="other", direction="other", verdict="pass")
    # A listener bug passing an address or a subject must never create a series for it.
    metrics.observe_scan("bob@outside.test", "Subject: launch plans", verdict)
    assert value("redline_items_total", kind="other", direction="other", verdict="pass") == before + 1
    metrics.smtp_session_refused("client 203.0.113.9 said hi")
    metrics.tls_used("alice@example.org")
    metrics.decision("release everything")
    text = _exposition()
    for leaked in ("outside.test", "launch plans", "203.0.113.9", "alice@", "everything"):
        assert leaked not in text


def test_rule_labels_must_look_like_ids_and_are_capped():
    m = metrics._m()
    assert m.rule_label("classification.en.banner") == "classification.en.banner"
    assert m.rule_label("SECRET plans for bob@outside.test") == "other"
    assert len(m.rule_labels) <= metrics.MAX_RULE_LABELS


def test_relay_results_by_reply_class_and_latency():
    results = ("2xx", "4xx", "connection", "other")
    before = {c: value("redline_relay_attempts_total", result=c) for c in results}
    count = value("redline_upstream_latency_seconds_count")
    metrics.observe_relay(250, 0.02)
    metrics.observe_relay(451, 0.5)
    metrics.observe_relay("connection", 3.0)
    metrics.observe_relay(999, 0.1)
    for result in results:
        assert value("redline_relay_attempts_total", result=result) == before[result] + 1
    assert value("redline_upstream_latency_seconds_count") == count + 4


def test_sessions_gauge_goes_up_and_down():
    opened = value("redline_smtp_sessions_total")
    now = value("redline_smtp_sessions_open")
    metrics.smtp_session_opened()
    metrics.smtp_session_opened()
    metrics.smtp_session_closed()
    assert value("redline_smtp_sessions_open") == now + 1
    assert value("redline_smtp_sessions_total") == opened + 2
    metrics.smtp_session_closed()


def test_quarantine_outbox_and_rules_gauges():
    metrics.quarantine_state(7, 3600.5)
    metrics.outbox_state(3)
    retries = value("redline_outbox_retries_total")
    metrics.outbox_retry()
    assert value("redline_quarantine_pending") == 7
    assert value("redline_quarantine_oldest_pending_age_seconds") == 3600.5
    assert value("redline_outbox_depth") == 3
    assert value("redline_outbox_retries_total") == retries + 1
    metrics.rules_loaded(42, ok=True)
    assert value("redline_rules_loaded") == 42
    assert value("redline_rules_last_reload_failed") == 0
    assert value("redline_rules_last_reload_success_timestamp_seconds") > 1e9
    failed = value("redline_rules_reloads_total", result="failed")
    metrics.rules_loaded(0, ok=False)  # a failed reload keeps the old rules and their count
    assert value("redline_rules_loaded") == 42
    assert value("redline_rules_last_reload_failed") == 1
    assert value("redline_rules_reloads_total", result="failed") == failed + 1


def test_type_families_and_formats_are_bounded():
    assert metrics.type_family("application/pdf") == "pdf"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert metrics.type_family(docx) == "ooxml"
    assert metrics.type_family("image/png") == "image"
    assert metrics.type_family("application/x-made-up") == "other"
    assert metrics.format_of("mail/attachment[2]:plans.zip/annex.docx", "extract.failed") == "ooxml"
    assert metrics.format_of("mail/attachment[1]:secret_names.weird", "extract.failed") == "other"
    assert metrics.format_of("mail/body[1]", "mail.truncated") == "mail"


def test_every_metric_has_the_redline_prefix():
    names = metrics.metric_names()
    assert names and all(n.startswith("redline_") for n in names)
    assert {"redline_items_total", "redline_scan_duration_seconds_bucket",
            "redline_quarantine_oldest_pending_age_seconds", "redline_build_info"} <= names


def _exposition() -> str:
    from prometheus_client import REGISTRY, generate_latest

    return generate_latest(REGISTRY).decode()


# -- decision log lines ---------------------------------------------------------------------


def _capture(fmt: str) -> tuple[io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    logger = logging.getLogger("redline.decision")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return stream, handler


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_decision_is_one_line_with_id_verdict_rules_timings_and_no_excerpt(pipeline, fmt):
    verdict = pipeline.scan_bytes(SECRET_MAIL, origin="mail", declared_type="message/rfc822")
    excerpts = {h.excerpt.strip() for h in verdict.hits}
    assert "SECRET//NOFORN" in excerpts
    stream, handler = _capture(fmt)
    try:
        log_decision("mail", "Q-7K3Q-9XW2", verdict, {"scan": 0.0123, "hold": 0.004})
    finally:
        logging.getLogger("redline.decision").removeHandler(handler)
    out = stream.getvalue()
    assert out.count("\n") == 1
    for secret in ("SECRET//NOFORN", "launch", "alice@example.org", "bob@outside.test"):
        assert secret not in out
    if fmt == "json":
        line = json.loads(out)
        assert line["id"] == "Q-7K3Q-9XW2" and line["verdict"] == "quarantine"
        assert set(line["rules"]) == {h.rule for h in verdict.hits}
        assert line["timings"] == {"scan": 0.0123, "hold": 0.004}
        assert "excerpt" not in out
    else:
        assert "id=Q-7K3Q-9XW2" in out and "verdict=quarantine" in out
        assert "classification.en.banner" in out


def test_setup_logging_json_writes_one_object_per_line():
    stream = io.StringIO()
    with root_logging_restored():
        setup_logging(LoggingConfig(format="json", level="INFO"), stream=stream)
        logging.getLogger("redline.test").info("listening on %s", "127.0.0.1:2525")
        logging.getLogger("redline.test").debug("not shown at INFO")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["message"] == "listening on 127.0.0.1:2525" and record["level"] == "INFO"



@pytest.mark.parametrize("fmt", ["json", "text"])
def test_decision_line_written_directly_is_the_line_logging_writes(pipeline, fmt, monkeypatch):
    # log_decision writes to the handler setup_logging installed without a LogRecord
    # while nothing else could see the line; with a filter on that handler it goes
    # through logging. Both lines must be the same but for the time stamp.
    verdict = pipeline.scan_bytes(SECRET_MAIL, origin="mail", declared_type="message/rfc822")
    stream = io.StringIO()
    with root_logging_restored() as root:
        setup_logging(LoggingConfig(format=fmt, level="INFO"), stream=stream)
        with monkeypatch.context() as patch:
            patch.setattr(logging.Logger, "_log", lambda *a, **k: pytest.fail("logging's path"))
            log_decision("mail", "Q-7K3Q-9XW2", verdict, {"scan": 0.0123, "hold": 0.004})
        root.handlers[0].addFilter(lambda record: True)
        log_decision("mail", "Q-7K3Q-9XW2", verdict, {"scan": 0.0123, "hold": 0.004})
    direct, logged = stream.getvalue().splitlines()
    if fmt == "json":
        direct_line, logged_line = json.loads(direct), json.loads(logged)
        assert direct_line.pop("time")[:4] == logged_line.pop("time")[:4]
        assert direct_line == logged_line and direct_line["pid"] == os.getpid()
        assert direct_line["verdict"] == "quarantine"
    else:
        assert direct.split(" ", 2)[2] == logged.split(" ", 2)[2]
        assert f"redline.decision[{os.getpid()}] decision event=decision" in direct

def test_unopened_parts_are_counted_by_coverage(pipeline):
    rar = b"Rar!\x1a\x07\x01\x00" + zlib.compress(os.urandom(4096))
    verdict = pipeline.scan_bytes(rar, origin="upload:form[file]:notes.rar", name="notes.rar")
    assert verdict.stats.coverage == {"held": 1}
    held = value("redline_parts_coverage_total", disposition="held") or 0
    errors = value("redline_extraction_errors_total", format="other", error="uninspectable") or 0
    metrics.observe_scan("upload", "outbound", verdict)
    assert value("redline_parts_coverage_total", disposition="held") == held + 1
    assert value("redline_extraction_errors_total", format="other",
                 error="uninspectable") == errors + 1


def test_pictures_read_by_ocr_are_counted_with_their_seconds(pipeline):
    from tests.fixtures import images as pictures

    shot = pictures.encode(pictures.text_screenshot("Lunch menu: soup and bread"), "PNG")
    verdict = pipeline.scan_bytes(shot, origin="upload:form[file]:menu.png", name="menu.png")
    assert verdict.stats.ocr_pages == 1 and verdict.stats.ocr_seconds > 0
    pages = value("redline_ocr_pages_total", kind="upload") or 0
    seconds = value("redline_ocr_seconds_total", kind="upload") or 0
    metrics.observe_scan("upload", "outbound", verdict)
    assert value("redline_ocr_pages_total", kind="upload") == pages + 1
    assert value("redline_ocr_seconds_total", kind="upload") > seconds
    # The OCR limits are counted under their own names, not folded into "other".
    before = value("redline_limits_reached_total", limit="ocr_pages") or 0
    metrics.observe_scan("upload", "outbound", dataclasses.replace(
        verdict, stats=dataclasses.replace(verdict.stats, limits_reached=("ocr_pages",))))
    assert value("redline_limits_reached_total", limit="ocr_pages") == before + 1


def test_shared_metrics_written_after_a_fork_go_to_the_childs_own_files(tmp_path):
    # The process id is kept rather than asked for at every update: a forked worker
    # must still write its own files, as prometheus_client's os.getpid check made it.
    import subprocess
    import sys

    script = (
        "import os\n"
        "from gateway.ops import metrics\n"
        "metrics.smtp_session_opened()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    metrics.smtp_session_opened(); metrics.smtp_session_opened()\n"
        "    print(os.getpid(), flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "print(os.getpid())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    child, parent = out.stdout.split()
    from prometheus_client.mmap_dict import MmapedDict

    def total(pid: str) -> float:
        values = MmapedDict(str(tmp_path / f"counter_{pid}.db")).read_all_values()
        return sum(v for key, v, _ in values if '"redline_smtp_sessions_total"' in key
                   or "redline_smtp_sessions_total" in key)

    assert total(parent) == 1.0
    assert total(child) == 2.0  # its own file, counted from nothing, as os.getpid made it
