"""Structured logging for the gateway: text or JSON lines, and exactly one line per mail/upload decision.

``setup_logging(config)`` installs the handler ``redline serve`` uses (section [logging]).
Listeners call ``log_decision(kind, item_id, verdict, timings)`` once per decided item.
The line carries the id, the verdict, the rule ids, counts and timings. It never carries
content, excerpts, subjects or addresses: logs are shipped to places with weaker
protection than the quarantine, and an excerpt of a SECRET document is itself secret.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from typing import IO, Any

from filters.types import Verdict
from gateway.ops.config import LoggingConfig

DECISION_LOGGER = "redline.decision"
# Attribute a record carries its structured fields in (logging's `extra`).
FIELDS_ATTR = "redline_fields"

_decisions_enabled = True
# The handler setup_logging installed: log_decision writes to it directly while it is the
# only place a decision line can go (see _direct_handler).
_installed: logging.StreamHandler | None = None
_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, pid, message and any structured fields.

    ``pid`` tells apart the lines of ``redline serve``'s worker and background processes,
    which share one stderr (and one journal stream).
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single-line JSON object."""
        out: dict[str, Any] = {
            "time": f"{_utc_second(int(record.created))}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        fields = getattr(record, FIELDS_ATTR, None)
        if fields:
            out.update(fields)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"), default=str)


class TextFormatter(logging.Formatter):
    """Human-readable lines, the logger named with its process id (``redline.smtp[4242]``);
    structured fields follow the message as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s[%(process)d] %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """logging's default asctime (local time, milliseconds), formatted once a second."""
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        return f"{_local_second(int(record.created))},{int(record.msecs):03d}"

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line, with its structured fields appended."""
        line = super().format(record)
        fields = getattr(record, FIELDS_ATTR, None)
        if fields:
            line += " " + " ".join(f"{k}={_text_value(v)}" for k, v in fields.items())
        return line


# A decision line is written for every mail: its time stamp is formatted once a second,
# not once a line.
@functools.lru_cache(maxsize=2)
def _utc_second(second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))


@functools.lru_cache(maxsize=2)
def _local_second(second: int) -> str:
    return time.strftime(logging.Formatter.default_time_format, time.localtime(second))


def _text_value(value: Any) -> str:
    # Exact types first: the ABC check against Mapping costs more than the formatting.
    kind = type(value)
    if kind is str:
        return value
    if kind is int or kind is float:
        return str(value)
    if kind is list or kind is tuple or (kind is not dict and isinstance(value, (list, tuple))):
        return ",".join(map(str, value)) or "-"
    if kind is dict or isinstance(value, Mapping):
        return ",".join(f"{k}:{v}" for k, v in value.items()) or "-"
    return str(value)


def setup_logging(config: LoggingConfig | None = None, stream: IO[str] | None = None) -> None:
    """Install Redline's log handler on the root logger (replaces earlier handlers)."""
    global _decisions_enabled
    config = config or LoggingConfig()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if config.format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    global _installed
    _installed = handler
    root.setLevel(config.level)
    # What no Redline line shows is not gathered for every record (the logging HOWTO's
    # "Optimization" table): the caller's file and line, the thread and the process name.
    # A third of a decision line's cost, and one line is written per mail.
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logMultiprocessing = False
    # aiosmtpd logs every sender and recipient at INFO; the decision lines say what matters.
    mail_log = logging.getLogger("mail.log")
    mail_log.setLevel(logging.WARNING)
    if not any(isinstance(f, WithholdCommandLines) for f in mail_log.filters):
        mail_log.addFilter(WithholdCommandLines())
    _decisions_enabled = config.decisions


class WithholdCommandLines(logging.Filter):
    """Keeps the lines a client sent out of aiosmtpd's warnings.

    aiosmtpd logs an unrecognised command verbatim. A client that pipelines its message
    after a refused MAIL or RCPT (or after a 5xx to DATA) sends body lines that arrive as
    commands, so the message's own words would land in the log. The warning stays; the
    line is replaced by its length.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if "unrecognised" in str(record.msg) and isinstance(record.args, tuple) and record.args:
            *head, line = record.args
            record.args = (*head, f"<a line of {len(str(line))} characters, withheld>")
        return True


def decision_fields(kind: str, item_id: str, verdict: Verdict,
                    timings: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The structured fields of a decision line (ids, counts, rule ids; no content)."""
    stats = verdict.stats
    return {
        "event": "decision",
        "kind": kind,
        "id": item_id,
        "verdict": verdict.action,
        "rules": list(dict.fromkeys(h.rule for h in verdict.hits)),
        "categories": list(dict.fromkeys(h.category for h in verdict.hits)),
        "hits": len(verdict.hits),
        "bytes": stats.bytes,
        "parts": stats.parts,
        "limits_reached": list(stats.limits_reached),
        "timings": {name: round(float(seconds), 6) for name, seconds in (timings or {}).items()},
    }


def log_decision(kind: str, item_id: str, verdict: Verdict,
                 timings: Mapping[str, float] | None = None) -> None:
    """Write the one log line of a mail or upload decision. The SMTP listener, proxy and ICAP call it.

    ``item_id`` is the queue or quarantine id (never an address); ``timings`` maps a step
    ("scan", "relay", "hold", "total") to seconds.
    """
    if not _decisions_enabled:
        return
    fields = decision_fields(kind, item_id, verdict, timings)
    logger = logging.getLogger(DECISION_LOGGER)
    handler = _direct_handler(logger)
    if handler is None:
        logger.info("decision", extra={FIELDS_ATTR: fields})
        return
    # What logger.info and the handler would write, without the LogRecord, the filter
    # calls and the formatter's %-template: a line per mail, and half of its cost.
    created = time.time()
    msecs = int((created - int(created)) * 1000)
    if type(handler.formatter) is TextFormatter:
        text = " ".join(f"{k}={_text_value(v)}" for k, v in fields.items())
        line = (f"{_local_second(int(created))},{msecs:03d} INFO {DECISION_LOGGER}[{_pid}] "
                f"decision {text}")
    else:
        line = json.dumps({"time": f"{_utc_second(int(created))}.{msecs:03d}Z", "level": "INFO",
                           "logger": DECISION_LOGGER, "pid": _pid, "message": "decision",
                           **fields}, ensure_ascii=False, separators=(",", ":"), default=str)
    handler.acquire()
    try:
        handler.stream.write(line + handler.terminator)
        handler.flush()
    except Exception:  # as StreamHandler.emit: reported by the handler, never raised
        handler.handleError(logger.makeRecord(logger.name, logging.INFO, "(decision)", 0,
                                              "decision", (), None,
                                              extra={FIELDS_ATTR: fields}))
    finally:
        handler.release()


def _direct_handler(logger: logging.Logger) -> logging.StreamHandler | None:
    """The handler setup_logging installed when a decision line at INFO would reach it
    and nothing else: no other handler or filter on the way, no record factory of
    another kind, one of Redline's formatters. None otherwise (tests capturing records,
    a level that drops the line): logging's own path then."""
    handler = _installed
    if (handler is None or not logger.isEnabledFor(logging.INFO) or logger.filters
            or handler.filters or handler.level > logging.INFO
            or type(handler.formatter) not in (TextFormatter, JsonFormatter)
            or logging.getLogRecordFactory() is not logging.LogRecord):
        return None
    current: logging.Logger | None = logger
    while current is not None:
        if current.parent is None:  # the root: the installed handler, alone
            return handler if current.handlers == [handler] else None
        if current.handlers or not current.propagate:
            return None
        current = current.parent
    return None
