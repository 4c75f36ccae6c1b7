"""Prometheus metrics (prometheus_client): what the request layer and the features count,
and probes read from the database when `/metrics` is scraped.

Counters and histograms live in the process; under gunicorn with `PROMETHEUS_MULTIPROC_DIR`
set (server/app/gunicorn_conf.py) every worker writes them to that folder and a scrape adds
up all workers. Probes (queue lengths, scheduler jobs) are facts of the shared database,
so any worker answers them alike; features register them with `add_probe`.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

REQUEST_SECONDS = Histogram(
    "gbfield_request_seconds", "Request latency by route (the URL rule, not the path)",
    ("method", "route", "status"),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
PUSH_ITEMS = Counter("gbfield_push_items_total", "Pushed items by entity and result", ("entity", "result"))
PULL_PAGES = Counter("gbfield_pull_pages_total", "Pull pages served")
PULL_CHANGES = Counter("gbfield_pull_changes_total", "Changes served in pull pages")
UPLOAD_BYTES = Counter("gbfield_upload_bytes_total", "Photo bytes received by tus PATCH requests")
BODY_BYTES = Counter("gbfield_body_bytes_total", "Request and answer bytes as sent on the wire",
                     ("direction", "encoding"))

#: a probe returns {label values tuple: value}
Probe = Callable[[], Mapping[tuple, float]]
PROBES_KEY = "gbfield_metric_probes"


def add_probe(app: Flask, name: str, documentation: str, labels: Iterable[str], probe: Probe) -> None:
    """Publish the gauge `name` on `app`'s /metrics, read by calling `probe()` (inside the
    scrape's app context) at every scrape."""
    app.extensions.setdefault(PROBES_KEY, {})[name] = (documentation, tuple(labels), probe)


class _ProbeCollector:
    def __init__(self, probes: Mapping[str, tuple[str, tuple[str, ...], Probe]]):
        self.probes = probes

    def collect(self):
        for name, (doc, labels, probe) in self.probes.items():
            family = GaugeMetricFamily(name, doc, labels=list(labels))
            for values, value in probe().items():
                family.add_metric([str(v) for v in values], float(value))
            yield family


def exposition(app: Flask) -> bytes:
    """Return the text exposition of every metric (all workers' in multiprocess mode) and
    the app's probes. Raises what a probe raises (the database may be down)."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUEST_SECONDS, PUSH_ITEMS, PULL_PAGES, PULL_CHANGES, UPLOAD_BYTES, BODY_BYTES):
            registry.register(collector)
    registry.register(_ProbeCollector(app.extensions.get(PROBES_KEY, {})))
    return generate_latest(registry)


def _start() -> None:
    g.gbfield_started = time.perf_counter()


def _observe(response):
    started = g.pop("gbfield_started", None)
    if started is not None:
        route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
        REQUEST_SECONDS.labels(request.method, route, str(response.status_code)).observe(
            time.perf_counter() - started)
        encoded_in = request.environ.get("gbfield.encoded_body")
        received = request.environ.get("gbfield.body_bytes_as_sent", request.content_length or 0)
        if received:
            BODY_BYTES.labels("in", encoded_in or "identity").inc(received)
        if not response.direct_passthrough and not response.is_streamed:
            BODY_BYTES.labels("out", response.headers.get("Content-Encoding", "identity")).inc(
                response.calculate_content_length() or 0)
    return response


def init_app(app: Flask) -> None:
    """Time every request by route; count bytes in and out (after compression)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _observe)
