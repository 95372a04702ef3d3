"""``/metrics``: a prometheus-client Collector over the counters in the store and gauges read at scrape time.

Counters (:mod:`worker.metrics.tally`) are written by every worker process; this reads them back. Gauges (the
outbox, feeds by health, disabled channels) are computed from the store when Prometheus scrapes. Each read is
bounded (SCRAPE_TIMEOUT_S); when the store does not answer, ``khabardar_store_up`` is 0 and only what could be
read is exported.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from worker.config import LoadedConfig
from worker.errors import KhabardarError
from worker.feeds.summary import health_row
from worker.metrics import names
from worker.metrics.tally import Tally, parse_field
from worker.store import Store
from worker.store.base import channel_disabled
from worker.web.bounded import Bounded

SCRAPE_TIMEOUT_S = 1.0
OLDEST_SCAN_MAX = 1000  # pending alerts read to find the oldest; a larger backlog shows the oldest of these


@dataclass
class Snapshot:
    counters: dict[str, float] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    outbox: dict[str, int] = field(default_factory=dict)
    oldest_pending_s: float | None = None
    feeds: dict[str, int] = field(default_factory=dict)
    channels_disabled: list[str] = field(default_factory=list)
    gauges_read: bool = False
    errors: list[str] = field(default_factory=list)


def read_gauges(loaded: LoadedConfig, store: Store, now_s: float) -> Snapshot:
    snap = Snapshot(outbox=store.outbox_counts(), gauges_read=True)
    pending = store.outbox_list("pending", OLDEST_SCAN_MAX)
    snap.oldest_pending_s = max((now_s - r.created_at for r in pending), default=0.0)
    states = store.get_feed_states([feed.name for feed in loaded.config.feeds])
    now = datetime.fromtimestamp(now_s, UTC)
    snap.feeds = dict(Counter(health_row(state, now)["status"] for state in states.values()))
    snap.channels_disabled = [name for name in loaded.config.channels if is_disabled(loaded, store, name)]
    return snap


def is_disabled(loaded: LoadedConfig, store: Store, channel: str) -> bool:
    """A permanent error disabled it, under the config in force (an edited config enables it again)."""
    return channel_disabled(store.get_channel_state(channel), loaded.version)


class KhabardarCollector(Collector):
    def __init__(
        self, loaded: Callable[[], LoadedConfig], store: Callable[[], Store], tally: Callable[[], Tally]
    ) -> None:
        self._loaded, self._store, self._tally = loaded, store, tally
        self._bounded = Bounded()

    def snapshot(self) -> Snapshot:
        snap = Snapshot()
        try:
            loaded = self._loaded()
            snap = self._bounded.call(lambda: read_gauges(loaded, self._store(), time.time()), SCRAPE_TIMEOUT_S)
        except KhabardarError as exc:
            snap.errors.append(str(exc))
        try:
            snap.counters, snap.times = self._bounded.call(self._read_tally, SCRAPE_TIMEOUT_S)
        except KhabardarError as exc:
            snap.errors.append(str(exc))
        return snap

    def _read_tally(self) -> tuple[dict[str, float], dict[str, float]]:
        tally = self._tally()
        return tally.counters(), tally.times()

    def collect(self) -> Iterator[Metric]:
        snap = self.snapshot()
        up = GaugeMetricFamily(names.PREFIX + "store_up", "1 when the store answered this scrape in time, else 0.")
        up.add_metric([], 0 if snap.errors else 1)
        yield up
        yield from counter_families(snap.counters)
        yield from gauge_families(snap)


def counter_families(stored: dict[str, float]) -> Iterator[Metric]:
    series = [(*parse_field(key), value) for key, value in stored.items()]
    for metric in names.COUNTERS:
        family = CounterMetricFamily(names.PREFIX + metric.name, metric.help, labels=metric.labels)
        for name, labels, value in series:
            if name == metric.name:
                family.add_metric([labels.get(label, "") for label in metric.labels], value)
        yield family
    for metric in names.HISTOGRAMS:
        yield _histogram(metric, series)


def _histogram(metric: names.Metric, series: list[tuple[str, dict[str, str], float]]) -> Metric:
    family = HistogramMetricFamily(names.PREFIX + metric.name, metric.help, labels=metric.labels)
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for name, labels, value in series:
        if not name.startswith(metric.name + "_"):
            continue
        key = tuple(labels.get(label, "") for label in metric.labels)
        group = groups.setdefault(key, {"buckets": Counter(), "sum": 0.0})
        part = name.removeprefix(metric.name + "_")
        if part == "bucket":
            group["buckets"][labels["le"]] += value
        elif part == "sum":
            group["sum"] = value
    bounds = [str(float(b)) for b in metric.buckets] + ["+Inf"]
    for key, group in groups.items():
        cumulative, buckets = 0.0, []
        for bound in bounds:
            cumulative += group["buckets"].get(bound, 0)
            buckets.append((bound, cumulative))
        family.add_metric(list(key), buckets, group["sum"])
    return family


def gauge_families(snap: Snapshot) -> Iterator[Metric]:
    for key, help_text in names.TIMES.items():
        if key in snap.times:
            yield GaugeMetricFamily(names.PREFIX + key + "_timestamp_seconds", help_text, value=snap.times[key])
    if not snap.gauges_read:
        return
    outbox = GaugeMetricFamily(names.PREFIX + "outbox_alerts", "Alerts in the outbox by state.", labels=["state"])
    for state, count in sorted(snap.outbox.items()):
        outbox.add_metric([state], count)
    yield outbox
    yield GaugeMetricFamily(
        names.PREFIX + "outbox_oldest_pending_age_seconds",
        "Age of the oldest alert still waiting to be sent (0 when none waits).",
        value=snap.oldest_pending_s or 0.0,
    )
    feeds = GaugeMetricFamily(names.PREFIX + "feeds", "Configured feeds by health state.", labels=["health"])
    for health, count in sorted(snap.feeds.items()):
        feeds.add_metric([health], count)
    yield feeds
    yield GaugeMetricFamily(
        names.PREFIX + "channels_disabled", "Channels disabled by a permanent error.", len(snap.channels_disabled)
    )


def registry_for(collector: KhabardarCollector) -> CollectorRegistry:
    """A registry with khabardar's metrics alone: every exported name starts with ``khabardar_``."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return registry
