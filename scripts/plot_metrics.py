#!/usr/bin/env python3
"""Plot Redline's key series from the Prometheus HTTP API into one PNG (docs/metrics-overview.png).

Needs matplotlib: `bash scripts/setup.sh --plot` installs it (the `plot` extra).

Four panels over a time range: items per second by verdict, scan time p50/p99 by kind, the
quarantine backlog (pending items, oldest age) and upstream relay attempts by result.

    # from any Prometheus that scrapes Redline (the last 30 minutes):
    .venv/bin/python scripts/plot_metrics.py --prometheus http://127.0.0.1:9090 --minutes 30
    # or start a live stack (aiosmtpd upstream, redline serve --workers 2, Debian's
    # Prometheus), drive 90 s of traffic with an upstream outage through it, and plot that:
    .venv/bin/python scripts/plot_metrics.py --live 90
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "docs" / "metrics-overview.png"
VERDICT_COLOURS = {"pass": "#2e7d32", "quarantine": "#ef6c00", "reject": "#c62828", "error": "#6a1b9a"}
RELAY_COLOURS = {"2xx": "#2e7d32", "4xx": "#ef6c00", "5xx": "#c62828", "connection": "#6a1b9a",
                 "timeout": "#455a64", "tls": "#00838f"}


def query_range(prometheus: str, expr: str, start: float, end: float, step: float) -> list[dict]:
    """The matrix ``expr`` evaluates to over [start, end]; raises with Prometheus's error text."""
    params = urllib.parse.urlencode({"query": expr, "start": f"{start:.3f}", "end": f"{end:.3f}",
                                     "step": f"{step:g}"})
    with urllib.request.urlopen(f"{prometheus.rstrip('/')}/api/v1/query_range?{params}",
                                timeout=30) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"Prometheus rejected {expr!r}: {body.get('error')}")
    return body["data"]["result"]


def series(result: list[dict], label: str) -> dict[str, tuple[list[datetime], list[float]]]:
    """label value -> (times, values) of a query_range result.

    NaN (a quantile over no new observations) is kept: matplotlib leaves a gap there
    instead of drawing a line across the quiet period.
    """
    out = {}
    for item in result:
        times = [datetime.fromtimestamp(float(t)) for t, _ in item["values"]]
        values = [float(v) for _, v in item["values"]]
        if not all(math.isnan(v) for v in values):
            out[item["metric"].get(label, "")] = (times, values)
    return out


def plot(prometheus: str, start: float, end: float, out: Path, *, window: str = "",
         title: str = "", shade: tuple[float, float, str] | None = None) -> Path:
    """Query the four panels' series from ``prometheus`` over [start, end] and write ``out``.

    ``shade`` (start, end, label) marks a period on every panel, e.g. an upstream outage.
    """
    import matplotlib

    matplotlib.use("Agg")  # no display on a gateway or in CI
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    span = end - start
    step = max(1.0, span / 300)
    # A rate window of several scrapes smooths the lines without hiding a short outage.
    window = window or f"{max(5, int(step * 4))}s"

    def q(expr: str) -> list[dict]:
        return query_range(prometheus, expr, start, end, step)

    fig, axes = plt.subplots(2, 2, figsize=(13, 8), sharex=True, constrained_layout=True)
    (traffic, latency), (backlog, relay) = axes

    for verdict, (t, v) in sorted(series(q(f"sum by (verdict) (rate(redline_items_total[{window}]))"),
                                         "verdict").items()):
        traffic.plot(t, v, label=verdict, color=VERDICT_COLOURS.get(verdict), linewidth=1.8)
    traffic.set_title("Mails and uploads decided, by verdict")
    traffic.set_ylabel("items per second")

    for quantile, style in (("0.5", "-"), ("0.99", "--")):
        expr = (f"histogram_quantile({quantile}, sum by (le, kind) "
                f"(rate(redline_scan_duration_seconds_bucket[{window}])))")
        for kind, (t, v) in sorted(series(q(expr), "kind").items()):
            latency.plot(t, [x * 1000 for x in v], style, linewidth=1.8,
                         color="#1565c0" if kind == "mail" else "#8e24aa",
                         label=f"{kind} p{float(quantile) * 100:g}")
    latency.set_title("Scan time p50 / p99, by kind")
    latency.set_ylabel("milliseconds")
    latency.set_yscale("log")  # a ratio bomb's scan is 10-100x a short mail's
    latency.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    latency.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    latency.yaxis.set_minor_formatter(ticker.NullFormatter())

    pending = series(q("max(redline_quarantine_pending)"), "")
    for t, v in pending.values():
        backlog.step(t, v, where="post", color="#ef6c00", linewidth=1.8, label="pending items")
    backlog.set_title("Quarantine backlog")
    backlog.set_ylabel("items waiting for an officer")
    age_axis = backlog.twinx()
    for t, v in series(q("max(redline_quarantine_oldest_pending_age_seconds)"), "").values():
        age_axis.plot(t, v, color="#5d4037", linestyle=":", linewidth=1.5, label="oldest pending age")
    age_axis.set_ylabel("oldest pending (seconds)")
    age_axis.set_ylim(bottom=0)
    lines = backlog.get_legend_handles_labels()
    more = age_axis.get_legend_handles_labels()
    backlog.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left")

    for result, (t, v) in sorted(series(
            q(f"sum by (result) (rate(redline_relay_attempts_total[{window}]))"), "result").items()):
        relay.plot(t, v, label=result, color=RELAY_COLOURS.get(result), linewidth=1.8)
    for t, v in series(q(f"sum(rate(redline_outbox_retries_total[{window}]))"), "").values():
        relay.plot(t, v, label="outbox retry", color="#455a64", linestyle="--", linewidth=1.5)
    relay.set_title("Upstream relay attempts, by result")
    relay.set_ylabel("attempts per second")

    for axis in (traffic, latency, relay):
        if axis.get_legend_handles_labels()[0]:
            axis.legend(loc="upper left")
    for axis in axes.flat:
        axis.grid(True, alpha=0.3)
        axis.set_ylim(bottom=0 if axis is not latency else 1)
        axis.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=7))
        axis.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S"))
        if shade:
            axis.axvspan(datetime.fromtimestamp(shade[0]), datetime.fromtimestamp(shade[1]),
                         color="#9e9e9e", alpha=0.18, label=None)
    if shade:
        relay.text(datetime.fromtimestamp((shade[0] + shade[1]) / 2), relay.get_ylim()[1] * 0.97,
                   shade[2], ha="center", va="top", fontsize=9, color="#424242")
    fig.suptitle(title or f"Redline — rates over {window}, from Prometheus at {prometheus}")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def live(seconds: float, out: Path) -> Path:
    """Run the test suite's live stack, drive traffic with an outage in the middle, plot it."""
    sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "integration")]
    import test_prometheus_live as stack_module

    rng = random.Random(7)  # the same run shape every time
    with tempfile.TemporaryDirectory(prefix="redline-plot-") as tmp, \
            stack_module.LiveStack(Path(tmp), scrape="500ms") as stack:
        smtp = stack.gateway.ports["smtp"]
        started = time.time()
        outage = (seconds * 0.55, seconds * 0.75)  # fractions of the run the upstream is down
        outage_at = [0.0, 0.0]
        down = False
        n = 0
        next_review = 10.0
        while (elapsed := time.time() - started) < seconds:
            if not down and outage[0] <= elapsed < outage[1]:
                stack.outage()
                outage_at[0] = time.time()
                down = True
            elif down and elapsed >= outage[1]:
                stack.recover()
                outage_at[1] = time.time()
                down = False
            # Busier in the second quarter; mostly clean mail, as at a real site.
            busy = seconds * 0.25 <= elapsed < seconds * 0.5
            n += 1
            kind = rng.choices(["clean", "marked", "codeword", "upload", "bomb"],
                               weights=[14, 3, 1, 2, 1])[0]
            if kind == "clean":
                stack_module.send(smtp, stack_module.mail(f"lunch {n}", "see you at noon"),
                                  starttls=n % 3 == 0)
            elif kind == "marked":
                reply = stack_module.send(smtp, stack_module.mail(f"notes {n}", "SECRET//NOFORN\nplan"))
                stack.note_held(reply[1])
            elif kind == "codeword":
                stack_module.send(smtp, stack_module.mail(f"status {n}", "project BLUEFIN is late"))
            elif kind == "bomb":
                reply = stack_module.send(smtp, stack_module.mail(
                    f"zeros {n}", "attached", ("zeros.zip", stack_module.ratio_bomb())))
                stack.note_held(reply[1])
            else:
                stack.upload_round()
            # An officer looks at the queue every ~10 s and decides the oldest half of it.
            if elapsed >= next_review:
                next_review += 10
                stack.officer_pass(0.5)
            time.sleep(rng.uniform(0.02, 0.1) if busy else rng.uniform(0.15, 0.5))
        if down:
            stack.recover()
            outage_at[1] = time.time()
        time.sleep(3)  # let the last scrapes land
        return plot(stack.prometheus.url, started - 5, time.time(), out,
                    title=f"Redline under {seconds:g} s of test traffic: redline serve --workers 2, "
                          "aiosmtpd upstream, scraped every 0.5 s by Debian's Prometheus",
                    shade=(outage_at[0], outage_at[1], "upstream down"))


def main(argv: list[str] | None = None) -> int:
    """Command line: plot from an existing Prometheus, or from a live run (--live SECONDS)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--prometheus", metavar="URL", help="Prometheus base URL")
    source.add_argument("--live", metavar="SECONDS", type=float,
                        help="start a live stack (needs Debian's prometheus) and drive traffic")
    parser.add_argument("--minutes", type=float, default=30, help="with --prometheus: how far back")
    parser.add_argument("--window", default="", help="rate() window, e.g. 1m (default: from the span)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"PNG to write ({DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        import matplotlib  # noqa: F401  (checked first: a live run takes minutes)
    except ImportError:
        print("plot_metrics: needs matplotlib, which the gateway itself does not install: "
              "run `bash scripts/setup.sh --plot` (or `.venv/bin/pip install -e '.[plot]'`)",
              file=sys.stderr)
        return 2
    if args.live:
        path = live(args.live, args.out)
    else:
        end = time.time()
        path = plot(args.prometheus, end - args.minutes * 60, end, args.out, window=args.window)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
