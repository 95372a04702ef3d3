"""What the pipeline counts, one call per event: ``metrics.count_poll(...)``, ``metrics.count_delivery(...)``.

Each call adds to counters kept in the store (:mod:`worker.metrics.tally`), so every worker process counts into
the same numbers and ``khabardar web`` reads them; and writes the event's log line, with the feed, watch-list,
channel and alert ids as ``extra`` fields for JSON logs. Counting never raises: a store that does not answer
within a second costs the count, not the alert (the failure is logged at DEBUG).
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ParamSpec, Protocol, TypeVar

from worker.alerts.digest import Digest, is_digest
from worker.alerts.model import Alert, ArticleSummary
from worker.alerts.update import UPDATE_TYPE, Edit, Update, is_update
from worker.metrics import names
from worker.metrics.names import Metric
from worker.metrics.tally import SECONDS_PER_HOUR, Tally, field, open_tally
from worker.settings import Settings

log = logging.getLogger("khabardar.events")

P = ParamSpec("P")
R = TypeVar("R")


class HasSettings(Protocol):
    @property
    def settings(self) -> Settings: ...


_tallies: dict[tuple[int, Settings], Tally] = {}


def tally_for(settings: Settings) -> Tally:
    """This process's tally for ``settings``: opened on first use, and again after a fork."""
    key = (os.getpid(), settings)
    if key not in _tallies:
        _tallies[key] = open_tally(settings)
    return _tallies[key]


def _quietly(action: Callable[[Tally], None], settings: Settings) -> None:
    try:
        action(tally_for(settings))
    except Exception as exc:  # counting must never fail the work it counts
        logging.getLogger(__name__).debug("metrics not recorded: %s", exc)


def increments(metric: Metric, labels: Mapping[str, str] | None = None, amount: float = 1) -> dict[str, float]:
    return {field(metric.name, labels): amount}


def observations(metric: Metric, value: float, labels: Mapping[str, str] | None = None) -> dict[str, float]:
    """A histogram sample: one more in the first bucket that holds it (the reader makes them cumulative)."""
    bound = next((str(float(b)) for b in metric.buckets if value <= b), "+Inf")
    return {
        field(metric.name + "_bucket", {**(labels or {}), "le": bound}): 1,
        field(metric.name + "_count", labels): 1,
        field(metric.name + "_sum", labels): value,
    }


# --- polls -------------------------------------------------------------------------------------------------------


def count_poll(settings: Settings, feed: str, outcome: str, duration_s: float, *, now_s: float) -> None:
    counts = increments(names.POLLS, {"outcome": outcome})
    if outcome not in ("locked", "unknown_feed"):
        counts |= observations(names.POLL_DURATION, duration_s)

    succeeded = {names.LAST_POLL_SUCCESS: now_s} if outcome in ("ok", "not_modified", "unchanged") else None
    _quietly(lambda tally: tally.add(counts, succeeded), settings)
    log.debug("feed %s polled: %s in %.2fs", feed, outcome, duration_s, extra={"feed": feed, "outcome": outcome})


POLL_OUTCOMES = {"new": "ok", "not-modified": "not_modified", "unchanged": "unchanged", "locked": "locked"}


def timed_poll(poll: Callable[P, R]) -> Callable[P, R]:
    """Count each poll of ``poll_feed(engine, feed_name, now, ..., record=True)`` by outcome, and time it.
    A dry run (``record=False``) is not counted."""

    @functools.wraps(poll)
    def counted(*args: P.args, **kwargs: P.kwargs) -> R:
        engine, feed = args[0], str(getattr(args[1], "name", args[1]))  # a feed's name, or its config
        started = time.monotonic()
        try:
            result = poll(*args, **kwargs)
        except Exception as exc:
            if kwargs.get("record", True):
                count_poll(_settings(engine), feed, _error_kind(exc), time.monotonic() - started, now_s=time.time())
            raise
        if kwargs.get("record", True):
            outcome = POLL_OUTCOMES.get(str(getattr(result, "status", "")), "unknown_feed")
            count_poll(_settings(engine), feed, outcome, time.monotonic() - started, now_s=time.time())
        return result

    return counted


def _error_kind(exc: Exception) -> str:
    from worker.feeds.health import error_kind

    return error_kind(exc).replace("-", "_")


def _settings(engine: object) -> Settings:
    settings = getattr(engine, "settings", None)
    return settings if isinstance(settings, Settings) else Settings.from_env()


# --- articles and alerts -----------------------------------------------------------------------------------------


def count_article(engine: HasSettings, matches: Iterable[Any], created: Iterable[Any], *, record: bool = True) -> None:
    """One processed article: its matched watch-lists (``EntityMatch``) and the alerts it added (``Alert``)."""
    if not record:
        return
    alerts = list(created)
    counts = increments(names.ARTICLES)
    for watchlist in sorted({match.watchlist for match in matches}):
        counts |= increments(names.MATCHES, {"watchlist": watchlist})
    per_list = Counter(alert.watchlist for alert in alerts)
    for alert in alerts:
        key = field(names.ALERTS_CREATED.name, {"watchlist": alert.watchlist, "channel": alert.channel})
        counts[key] = counts.get(key, 0) + 1
    hour = int(time.time() // SECONDS_PER_HOUR)

    def record_all(tally: Tally) -> None:
        tally.add(counts)
        if per_list:
            tally.add_hourly(hour, dict(per_list))

    _quietly(record_all, engine.settings)


def count_delivery(engine: HasSettings, alert: Any, outcome: str, now_s: float, detail: str = "") -> None:
    """One delivery attempt of ``alert`` (an ``Alert``, a ``Digest``, an update's ``Edit``, or their
    ``OutboxRecord``): sent, retry, rate_limited, dead.

    A sent alert gets its INFO line here (with its latency); the other outcomes are logged where they are
    decided, so this adds only the counts. A digest has no single match time: it is counted without a latency."""
    if isinstance(getattr(alert, "alert", None), dict):
        data = alert.alert
        alert = Digest.from_dict(data) if is_digest(data) else _update_or_alert(data)
    channel = alert.channel
    # an update (a sent alert's message edited, or an alert.updated) is counted as its own type: a platform's
    # sends are then alerts and digests only
    kind = UPDATE_TYPE if isinstance(alert, Edit | Update) else _channel_type(engine, channel)
    counts = increments(names.DELIVERIES, {"channel": channel, "type": kind, "outcome": outcome})
    created_at = getattr(alert, "created_at", None)
    latency_s = max(now_s - created_at.timestamp(), 0.0) if created_at is not None else 0.0
    if outcome == "sent" and created_at is not None:
        counts |= observations(names.DELIVERY_LATENCY, latency_s, {"type": kind})
    _quietly(lambda tally: tally.add(counts), engine.settings)
    article = getattr(alert, "article", None)
    extra = {"alert_id": alert.id, "channel": channel, "watchlist": alert.watchlist}
    if isinstance(article, ArticleSummary):
        extra["feed"] = article.source
    if outcome == "sent" and kind == UPDATE_TYPE:
        log.info("update %s sent to %s", alert.id, channel, extra=extra)
    elif outcome == "sent":
        log.info("alert %s sent to %s, %.1fs after the match", alert.id, channel, latency_s, extra=extra)
    else:
        log.debug("alert %s to %s: %s %s", alert.id, channel, outcome, detail, extra=extra | {"outcome": outcome})


def _update_or_alert(data: dict[str, Any]) -> Alert | Update:
    return Update.from_dict(data) if is_update(data) else Alert.from_dict(data)


def _channel_type(engine: object, channel: str) -> str:
    try:
        return str(engine.config.channels[channel].type)  # type: ignore[attr-defined]
    except (AttributeError, KeyError):
        return "unknown"


def count_story_fold(engine: HasSettings, watchlist: str) -> None:
    _quietly(lambda tally: tally.add(increments(names.STORY_FOLDS, {"watchlist": watchlist})), engine.settings)


def count_held(engine: HasSettings, reason: str, amount: int = 1) -> None:
    """Alerts held back (quiet hours, a burst, a digest schedule) to go out later in a digest."""
    _quietly(lambda tally: tally.add(increments(names.HELD, {"reason": reason}, amount)), engine.settings)


# --- liveness of beat and workers ----------------------------------------------------------------------------------


def mark_tick(engine: HasSettings) -> None:
    """Beat's tick ran: /readyz checks it came within a few tick intervals."""
    _quietly(lambda tally: tally.set_times({names.LAST_TICK: time.time()}), engine.settings)


WORKER_SEEN_EVERY_S = 5.0  # a worker busy with thousands of tasks writes its heartbeat this often, not per task
_worker_seen_at: dict[Settings, float] = {}


def mark_worker_seen(settings: Settings) -> None:
    now_s = time.time()
    if now_s - _worker_seen_at.get(settings, 0.0) >= WORKER_SEEN_EVERY_S:
        _worker_seen_at[settings] = now_s
        _quietly(lambda tally: tally.set_times({names.WORKER_SEEN: now_s}), settings)
