"""Redline's Prometheus metrics: every metric defined once, and the one-call-per-event API listeners use.

Listeners never touch prometheus_client directly; each calls ONE function per event:

=========================  ======================================================
SMTP (gateway/smtp/)       ``smtp_session_opened()`` / ``smtp_session_closed()``,
                           ``smtp_session_refused(reason)``, ``tls_used("smtp")``,
                           ``observe_scan("mail", direction, verdict)`` after each
                           scan (``scan_error("mail", direction)`` when it failed)
relay (smtp/relay.py)      ``observe_relay(reply_code_or_error, seconds)`` per
                           upstream transaction, ``tls_used("upstream")``
HTTP proxy / ICAP          ``observe_scan("upload", "outbound", verdict)``,
                           ``signup_blocked()``, ``tls_used("http"|"icap")``,
                           ``http_request(scheme, outcome)`` per proxied request,
                           ``http_connect(outcome)`` per CONNECT,
                           ``tls_leaf_signed()`` per minted interception certificate
quarantine service         ``decision(action)`` per recorded officer decision
quarantine outbox          ``outbox_retry()`` per deferred delivery
background process         ``outbox_state(depth)``,
                           ``quarantine_state(pending, oldest_age_seconds)``
rule (re)loading           ``rules_loaded(count, ok)``
process start              ``build_info()`` (``create_metrics_app`` calls it)
=========================  ======================================================

The quarantine does not import this module: it records through the small interface
in ``quarantine/metrics.py``, and ``redline serve`` and the ``redline`` command line pass
this module (which has those functions) in.

Labels come from fixed sets; a value outside its set is counted as ``"other"``, so no
sender, subject, address or file name can ever become a label (Prometheus keeps one
series per label value, and those are the content we protect).

Several worker processes: when ``PROMETHEUS_MULTIPROC_DIR`` is set (see
``gateway.ops.config.prepare_multiprocess_dir``) every process writes its own
memory-mapped files and ``/metrics`` (``gateway.ops.health``) sums them. The metrics are
created on first use, not at import, so importing this module never fixes the mode.
"""

from __future__ import annotations

import functools
import os
import platform
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from filters.coverage import DISPOSITIONS
from filters.types import Verdict

# -- the fixed label sets -------------------------------------------------------------------

OTHER = "other"
KINDS = ("mail", "upload")
DIRECTIONS = ("outbound", "internal", "mixed")
VERDICTS = ("pass", "monitor", "quarantine", "reject", "error")
CATEGORIES = ("classification", "draft", "signup", "policy")
# Extractor families (filters.extract.REGISTRY values) plus the common leaf families.
TYPE_FAMILIES = (
    "mail", "text", "html", "rtf", "pdf", "ooxml", "odf", "zip", "tar", "compressed",
    "sevenzip", "ole", "msg", "image", "audio", "video", "font", "binary", "empty",
    "zstd", "lz4", "brotli", "zlib", "cpio", "ar", "rpm",
    "flat_odf", "hwp", "iwork", "postscript", "xps", "cab",
)
LIMITS = (
    "max_depth", "max_parts", "max_expanded_bytes", "max_part_bytes", "max_ratio",
    "part_seconds", "item_seconds", "max_text_chars", "yara_timeout",
    "max_image_pixels", "ocr_pages", "ocr_page_seconds", "ocr_item_seconds",
)
# Extraction errors: the policy rule families that mean "could not inspect (all of) it".
EXTRACTION_ERRORS = (
    "unparseable", "encrypted", "failed", "crashed", "charset", "doc_structure",
    "malformed", "truncated", "encoding", "defect", "uninspectable", "ambiguous",
)
# File-name extensions of the formats the extractors read, for the "format" label.
_FORMAT_BY_EXTENSION = {
    "eml": "mail", "msg": "msg", "txt": "text", "csv": "text", "json": "text", "md": "text",
    "html": "html", "htm": "html", "xml": "html", "svg": "html", "rtf": "rtf", "pdf": "pdf",
    "docx": "ooxml", "xlsx": "ooxml", "pptx": "ooxml", "docm": "ooxml", "xlsm": "ooxml",
    "pptm": "ooxml", "dotx": "ooxml", "potx": "ooxml", "ppsx": "ooxml",
    "odt": "odf", "ods": "odf", "odp": "odf", "odg": "odf", "ott": "odf",
    "zip": "zip", "jar": "zip", "tar": "tar", "tgz": "compressed", "gz": "compressed",
    "bz2": "compressed", "xz": "compressed", "lzma": "compressed", "7z": "sevenzip",
    "doc": "ole", "xls": "ole", "ppt": "ole",
    "zst": "zstd", "lz4": "lz4", "br": "brotli", "zz": "zlib", "cpio": "cpio", "a": "ar",
    "deb": "ar", "rpm": "rpm", "cab": "cab", "onepkg": "cab",
}
RELAY_RESULTS = ("2xx", "4xx", "5xx", "connection", "timeout", "tls")
REFUSAL_REASONS = (
    "untrusted_network", "max_sessions", "tls_required", "smuggling", "message_size",
    "recipients", "line_length", "timeout", "protocol", "pipelining", "auth_required",
    "auth_failed",
)
AUTH_RESULTS = ("success", "failure", "throttled")
TLS_LISTENERS = ("smtp", "upstream", "http", "icap", "ui")
DECISION_ACTIONS = ("release", "reject", "approve", "expire", "would-release", "would-reject")
HTTP_SCHEMES = ("http", "https")
# pass/monitor/quarantine/reject/error: the upload decision; the others: refused before
# inspection.
HTTP_OUTCOMES = ("pass", "monitor", "quarantine", "reject", "error", "certificate", "internal",
                 "misdirected", "upstream_error", "websocket", "websocket_refused")
# A piece of an upload in pieces: passed on before the file was whole, held alone (it
# carried a finding itself), the piece that completed the file (decided on the whole),
# a last piece whose earlier bytes this node never saw, or refused (malformed, limits).
PIECE_OUTCOMES = ("forwarded", "kept", "held", "completed", "unseen", "refused")
CONNECT_OUTCOMES = ("intercepted", "bypassed", "tunnelled", "refused_policy", "refused_no_ca",
                    "refused_not_tls", "handshake_failed", "unreachable")

# Rule ids are chosen by whoever writes the rule files, not by senders; still, accept only
# id-shaped values and at most this many distinct ones per process.
_RULE_ID = re.compile(r"[A-Za-z0-9_.:\-]{1,80}")
MAX_RULE_LABELS = 500

# Histogram buckets: scans take milliseconds for a short mail and up to limits.item_seconds
# (60 s) for a large archive; sizes run from a one-line mail to smtp.max_message_bytes.
SCAN_SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
SCAN_BYTES_BUCKETS = (1e3, 1e4, 1e5, 1e6, 5e6, 1e7, 2.5e7, 5e7, 1e8)
RELAY_SECONDS_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


def clamp(value: str, allowed: Iterable[str]) -> str:
    """``value`` when it is one of ``allowed``, else ``"other"``."""
    return value if value in allowed else OTHER


@functools.lru_cache(maxsize=1024)  # every scanned part asks, and the answer never changes
def type_family(detected_type: str) -> str:
    """The bounded label for a detected MIME type: its extractor module or a leaf family."""
    from filters.extract import module_for

    module = module_for(detected_type)
    if module is not None:
        return clamp(module, TYPE_FAMILIES)
    major = detected_type.partition("/")[0]
    if major in ("image", "audio", "video", "font"):
        return major
    if detected_type in ("application/x-empty", "inode/x-empty"):
        return "empty"
    if detected_type == "application/octet-stream":
        return "binary"
    return OTHER


def format_of(where: str, rule: str) -> str:
    """The format label of an extraction error: from the failing part's file extension.

    ``where`` is an origin path such as ``mail/attachment[2]:plans.zip/annex.docx``; only
    its extension is used, mapped to a fixed set, never the name itself.
    """
    family = rule.partition(".")[0]
    if family in ("mail", "html", "xml"):
        return "mail" if family == "mail" else "html"
    last = where.rstrip("/").rpartition("/")[2]
    name = last.rpartition(":")[2]
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return _FORMAT_BY_EXTENSION.get(extension, OTHER)


def _extraction_error(rule: str) -> str | None:
    """The error label of a policy rule that means content went uninspected, else None."""
    family, _, name = rule.partition(":")[0].partition(".")
    if family not in ("extract", "mail", "xml", "html"):
        return None
    return clamp(name, EXTRACTION_ERRORS)


class _Metrics:
    """Every Redline metric, created once per process on first use."""

    def __init__(self) -> None:
        from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics, values

        # *_created series double the series count and no dashboard uses them.
        disable_created_metrics()
        if getattr(values.ValueClass, "_multiprocess", False):
            # Every update of a shared metric asks for the process id, to notice a fork;
            # os.getpid is a system call (glibc keeps no copy), sixteen a mail.
            values.ValueClass = values.MultiProcessValue(process_identifier=_process_id)
        self.items = Counter(
            "redline_items_total", "Mails and uploads decided, by kind, direction and verdict "
            "(verdict error: the scan failed and the client was told to retry).",
            ["kind", "direction", "verdict"])
        self.rule_hits = Counter(
            "redline_rule_hits_total", "Items in which a rule hit (once per item and rule).",
            ["rule", "category"])
        self.signups_blocked = Counter(
            "redline_signups_blocked_total", "Sign-ups with a work address to external services blocked.")
        self.scan_seconds = Histogram(
            "redline_scan_duration_seconds", "Time to inspect one item, by kind.", ["kind"],
            buckets=SCAN_SECONDS_BUCKETS)
        self.scan_bytes = Histogram(
            "redline_scan_bytes", "Size of each inspected item in bytes, by kind.", ["kind"],
            buckets=SCAN_BYTES_BUCKETS)
        self.expanded_bytes = Counter(
            "redline_scan_expanded_bytes_total",
            "Bytes produced by decoding, decompression and extraction, by kind.", ["kind"])
        self.parts = Counter(
            "redline_parts_total", "Parts inspected, by detected type family.", ["type"])
        self.limits = Counter(
            "redline_limits_reached_total", "Scans that reached a limit, by limit.", ["limit"])
        self.ocr_pages = Counter(
            "redline_ocr_pages_total", "Pictures, picture frames and scanned PDF pages read by "
            "OCR.", ["kind"])
        self.ocr_seconds = Counter(
            "redline_ocr_seconds_total", "CPU seconds spent reading pictures by OCR.", ["kind"])
        self.ocr_cached = Counter(
            "redline_ocr_cached_total", "Of the OCR pages, pictures whose text the scanner had "
            "read before (the same file in an earlier mail), not read again.", ["kind"])
        self.coverage = Counter(
            "redline_parts_coverage_total",
            "Parts by how they were covered: opened by an extractor, or, for types none opens, "
            "inert, accepted by configuration, read as text runs (strings) or held.",
            ["disposition"])
        self.extraction_errors = Counter(
            "redline_extraction_errors_total",
            "Parts that could not be (fully) inspected, by format and error.", ["format", "error"])
        self.relay_attempts = Counter(
            "redline_relay_attempts_total", "Upstream relay transactions, by result (reply class "
            "2xx/4xx/5xx, or connection/timeout/tls when there was no reply).", ["result"])
        self.relay_seconds = Histogram(
            "redline_upstream_latency_seconds", "Time of one upstream relay transaction.",
            buckets=RELAY_SECONDS_BUCKETS)
        self.sessions_open = Gauge(
            "redline_smtp_sessions_open", "SMTP sessions open now.", multiprocess_mode="livesum")
        self.sessions = Counter("redline_smtp_sessions_total", "SMTP sessions opened.")
        self.sessions_refused = Counter(
            "redline_smtp_sessions_refused_total", "SMTP sessions or transactions refused, by reason.",
            ["reason"])
        self.smtp_auth = Counter(
            "redline_smtp_auth_total", "SMTP AUTH attempts, by result (success, failure, "
            "throttled).", ["result"])
        self.tls = Counter(
            "redline_tls_sessions_total", "Connections that used TLS, by listener.", ["listener"])
        self.http_requests = Counter(
            "redline_http_requests_total", "Requests through the forward proxy, by scheme (https: "
            "inside an intercepted CONNECT) and outcome (the upload decision, or why the origin "
            "was not contacted: certificate, internal, misdirected, upstream_error).",
            ["scheme", "outcome"])
        self.upload_pieces = Counter(
            "redline_upload_pieces_total", "Pieces of uploads sent in pieces (Content-Range, "
            "tus) by outcome: forwarded (before the file was whole), held (a finding in the "
            "piece alone), completed (the last piece, decided on the assembled file), unseen "
            "(earlier pieces never seen by this node: held), refused (malformed or over limits).",
            ["outcome"])
        self.http_connects = Counter(
            "redline_http_connects_total", "CONNECT requests by outcome: intercepted, bypassed "
            "(http.tls_bypass, spliced uninspected), tunnelled (uninspected_connect = tunnel), "
            "refused_policy, refused_no_ca, refused_not_tls, handshake_failed, unreachable.",
            ["outcome"])
        self.tls_leaves = Counter(
            "redline_tls_leaf_certificates_signed_total", "Per-host certificates the interception "
            "CA signed (a host still in the leaf cache costs no signature).")
        # One process polls the shared store and sets these; "livemostrecent" shows its
        # latest value and drops it when that process is gone.
        self.quarantine_pending = Gauge(
            "redline_quarantine_pending", "Items waiting for an officer's decision.",
            multiprocess_mode="livemostrecent")
        self.quarantine_oldest = Gauge(
            "redline_quarantine_oldest_pending_age_seconds",
            "Age of the oldest item waiting for a decision (0 when none).",
            multiprocess_mode="livemostrecent")
        self.store_up = Gauge(
            "redline_quarantine_store_up",
            "1 while the quarantine store answers, 0 while it cannot be reached.",
            multiprocess_mode="livemostrecent")
        self.decisions = Counter(
            "redline_quarantine_decisions_total", "Officer decisions recorded, by action.", ["action"])
        self.outbox_depth = Gauge(
            "redline_outbox_depth", "Released mails waiting in the delivery outbox.",
            multiprocess_mode="livemostrecent")
        self.outbox_retries = Counter(
            "redline_outbox_retries_total", "Delivery attempts of released mail that were deferred.")
        # Every process starts these at 0, also processes that never load rules, so the
        # aggregation must ignore zeros: "livemax" (a failed reload is a 1, not a 0).
        self.rules = Gauge(
            "redline_rules_loaded", "Rules compiled and in use.", multiprocess_mode="livemax")
        self.rules_failed = Gauge(
            "redline_rules_last_reload_failed",
            "1 when the last rule reload failed and the previous rules are still in force.",
            multiprocess_mode="livemax")
        self.rules_ok_time = Gauge(
            "redline_rules_last_reload_success_timestamp_seconds",
            "Unix time of the last successful rule (re)load.", multiprocess_mode="livemax")
        self.rules_reloads = Counter(
            "redline_rules_reloads_total", "Rule (re)loads, by result.", ["result"])
        self.build = Gauge(
            "redline_build_info", "Always 1; labels carry the Redline and Python versions.",
            ["version", "python"], multiprocess_mode="max")
        self.rule_labels: set[str] = set()
        self.children: dict[tuple[Any, tuple[str, ...]], Any] = {}
        self.lock = threading.Lock()
        self._zero_series()

    def _zero_series(self) -> None:
        """Create every series of a bounded label set at 0, so that rates and alerts see
        "none yet" as 0 rather than as no data (Prometheus's advice on missing series)."""
        for kind in KINDS:
            for direction in (DIRECTIONS if kind == "mail" else ("outbound",)):
                for verdict in VERDICTS:
                    self.items.labels(kind, direction, verdict)
            self.scan_seconds.labels(kind)
            self.scan_bytes.labels(kind)
        for scheme in HTTP_SCHEMES:
            for outcome in HTTP_OUTCOMES:
                self.http_requests.labels(scheme, outcome)
        for counter, values in ((self.relay_attempts, RELAY_RESULTS),
                                (self.sessions_refused, REFUSAL_REASONS),
                                (self.smtp_auth, AUTH_RESULTS), (self.tls, TLS_LISTENERS),
                                (self.decisions, DECISION_ACTIONS), (self.limits, LIMITS),
                                (self.http_connects, CONNECT_OUTCOMES)):
            for value in values:
                counter.labels(value)

    def child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, kept: prometheus_client validates and locks on every
        call, and a mail counts a dozen series. Labels are bounded, and so is the cache."""
        key = (metric, labels)
        child = self.children.get(key)
        if child is None:
            child = self.children[key] = metric.labels(*labels)
        return child

    def rule_label(self, rule: str) -> str:
        rule = rule if _RULE_ID.fullmatch(rule) else OTHER
        with self.lock:
            if rule in self.rule_labels:
                return rule
            if len(self.rule_labels) >= MAX_RULE_LABELS:
                return OTHER
            self.rule_labels.add(rule)
            return rule


_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def _process_id() -> int:
    """This process's id, as os.getpid() gives it, kept up to date across forks."""
    return _pid


_metrics: _Metrics | None = None
_metrics_lock = threading.Lock()


def _m() -> _Metrics:
    global _metrics
    if _metrics is None:
        with _metrics_lock:
            if _metrics is None:
                _metrics = _Metrics()
    return _metrics


@dataclass(frozen=True, slots=True)
class MetricFamily:
    """A metric's name and type, for docs and for checking dashboards against the code."""

    name: str
    kind: str

    def sample_names(self) -> tuple[str, ...]:
        """The series names this metric exposes (``_bucket``/``_sum``/``_count`` for histograms)."""
        if self.kind == "histogram":
            return (f"{self.name}_bucket", f"{self.name}_sum", f"{self.name}_count")
        if self.kind == "counter":
            return (f"{self.name}_total",)
        return (self.name,)


def metric_families() -> list[MetricFamily]:
    """Every metric Redline defines (what a dashboard or alert may refer to)."""
    out = []
    for metric in vars(_m()).values():
        describe = getattr(metric, "describe", None)
        if describe is None:
            continue
        for family in describe():
            out.append(MetricFamily(family.name, family.type))
    return sorted(out, key=lambda f: f.name)


def metric_names() -> set[str]:
    """Every series name Redline exposes, e.g. ``redline_items_total``."""
    return {name for family in metric_families() for name in family.sample_names()}


# -- the API listeners call -------------------------------------------------------------------


def observe_scan(kind: str, direction: str, verdict: Verdict) -> None:
    """Record one decided item. Called by the SMTP listener and the HTTP proxy/ICAP after each scan.

    From the Verdict and its stats it counts the item by verdict, each rule that hit
    (once per item), the scan time and size, parts by detected type family and by
    coverage (filters.coverage), limits reached and extraction errors by format.
    """
    m = _m()
    kind = clamp(kind, KINDS)
    m.child(m.items, kind, clamp(direction, DIRECTIONS), clamp(verdict.action, VERDICTS)).inc()
    rules: dict[str, str] = {}
    errors: set[tuple[str, str]] = set()
    for hit in verdict.hits:
        rules.setdefault(hit.rule, hit.category)
        error = _extraction_error(hit.rule) if hit.category == "policy" else None
        if error is not None:
            errors.add((format_of(hit.where, hit.rule), error))
    for rule, category in rules.items():
        m.child(m.rule_hits, m.rule_label(rule), clamp(category, CATEGORIES)).inc()
    for fmt, error in errors:
        m.child(m.extraction_errors, fmt, error).inc()
    stats = verdict.stats
    m.child(m.scan_seconds, kind).observe(stats.seconds)
    m.child(m.scan_bytes, kind).observe(stats.bytes)
    m.child(m.expanded_bytes, kind).inc(stats.expanded_bytes)
    families: dict[str, int] = {}
    for detected, count in stats.types.items():
        family = type_family(detected)
        families[family] = families.get(family, 0) + count
    for family, count in families.items():
        m.child(m.parts, family).inc(count)
    for limit in set(stats.limits_reached):
        m.child(m.limits, clamp(limit, LIMITS)).inc()
    for disposition, count in stats.coverage.items():
        m.child(m.coverage, clamp(disposition, DISPOSITIONS)).inc(count)
    if stats.ocr_pages:
        m.ocr_pages.labels(kind).inc(stats.ocr_pages)
        m.ocr_seconds.labels(kind).inc(stats.ocr_seconds)
        if stats.ocr_cached:
            m.ocr_cached.labels(kind).inc(stats.ocr_cached)


def scan_error(kind: str, direction: str) -> None:
    """Record an item whose scan failed (the client got a temporary failure). Listeners call it."""
    _m().items.labels(clamp(kind, KINDS), clamp(direction, DIRECTIONS), "error").inc()


def signup_blocked() -> None:
    """Record a blocked sign-up with a work address. Called by the HTTP proxy/ICAP."""
    _m().signups_blocked.inc()


def relay_result(result: int | str) -> str:
    """The bounded label for an upstream result: a reply code's class or a no-reply reason."""
    if isinstance(result, int) and not isinstance(result, bool):
        label = f"{result // 100}xx"
        return label if label in RELAY_RESULTS else OTHER
    return clamp(str(result), RELAY_RESULTS)


def observe_relay(result: int | str, seconds: float) -> None:
    """Record one upstream transaction. Called by the relay (passing mail and released mail).

    ``result`` is the upstream's final reply code (250, 451, 550 …), or ``"connection"``,
    ``"timeout"`` or ``"tls"`` when no reply came.
    """
    m = _m()
    m.child(m.relay_attempts, relay_result(result)).inc()
    m.relay_seconds.observe(max(0.0, seconds))


def smtp_session_opened() -> None:
    """Record a new SMTP session (the listener's connection_made)."""
    m = _m()
    m.sessions.inc()
    m.sessions_open.inc()


def smtp_session_closed() -> None:
    """Record the end of an SMTP session (the listener's connection_lost); pairs with opened."""
    _m().sessions_open.dec()


def smtp_session_refused(reason: str) -> None:
    """Record a refused SMTP session or transaction; ``reason`` from REFUSAL_REASONS."""
    _m().sessions_refused.labels(clamp(reason, REFUSAL_REASONS)).inc()


def smtp_auth(result: str) -> None:
    """Record an SMTP AUTH attempt: "success", "failure" or "throttled"."""
    _m().smtp_auth.labels(clamp(result, AUTH_RESULTS)).inc()


def tls_used(listener: str) -> None:
    """Record a connection that used TLS: "smtp" (STARTTLS in), "upstream", "http", "icap", "ui"."""
    _m().tls.labels(clamp(listener, TLS_LISTENERS)).inc()


def http_request(scheme: str, outcome: str) -> None:
    """Record one proxied request: scheme http or https, outcome from HTTP_OUTCOMES."""
    _m().http_requests.labels(clamp(scheme, HTTP_SCHEMES), clamp(outcome, HTTP_OUTCOMES)).inc()


def upload_piece(outcome: str) -> None:
    """Record one piece of an upload in pieces (PIECE_OUTCOMES)."""
    _m().upload_pieces.labels(clamp(outcome, PIECE_OUTCOMES)).inc()


def http_connect(outcome: str) -> None:
    """Record one CONNECT request's outcome (CONNECT_OUTCOMES)."""
    _m().http_connects.labels(clamp(outcome, CONNECT_OUTCOMES)).inc()


def tls_leaf_signed() -> None:
    """Record one leaf certificate signed by the interception CA."""
    _m().tls_leaves.inc()


def quarantine_state(pending: int, oldest_age_seconds: float) -> None:
    """Set the quarantine backlog. Called periodically by the background task polling the store."""
    m = _m()
    m.quarantine_pending.set(max(0, pending))
    m.quarantine_oldest.set(max(0.0, oldest_age_seconds))


def store_state(up: bool) -> None:
    """Set whether the quarantine store answered the last poll of the background task."""
    _m().store_up.set(1 if up else 0)


def decision(action: str) -> None:
    """Record an officer decision: release, reject, approve (four-eyes first half) or expire."""
    _m().decisions.labels(clamp(action, DECISION_ACTIONS)).inc()


def outbox_state(depth: int) -> None:
    """Set the number of released mails waiting for delivery. Called by the outbox worker."""
    _m().outbox_depth.set(max(0, depth))


def outbox_retry() -> None:
    """Record a deferred delivery of a released mail. Called by the outbox worker."""
    _m().outbox_retries.inc()


def rules_loaded(count: int, ok: bool) -> None:
    """Record a rule load or reload (at start and on SIGHUP); ``ok`` False keeps the old rules."""
    m = _m()
    m.rules_reloads.labels("ok" if ok else "failed").inc()
    m.rules_failed.set(0 if ok else 1)
    if ok:
        m.rules.set(count)
        m.rules_ok_time.set(time.time())


def build_info(version: str | None = None) -> None:
    """Publish redline_build_info once per process (version from the installed package)."""
    if version is None:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as package_version

        try:
            version = package_version("redline-gateway")
        except PackageNotFoundError:  # running from a checkout that was never installed
            version = "unknown"
    _m().build.labels(version[:32], platform.python_version()).set(1)


def multiprocess_enabled() -> bool:
    """True when metrics are shared between worker processes through files."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def process_exited(pid: int) -> None:
    """Drop a dead worker's live gauges (sessions open, rules). Called by the worker supervisor."""
    if multiprocess_enabled():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def sample(name: str, labels: dict[str, str] | None = None) -> float | None:
    """One series' current value in this process (tests and debugging; None when absent)."""
    from prometheus_client import REGISTRY

    _m()
    return REGISTRY.get_sample_value(name, labels or {})
