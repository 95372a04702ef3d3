"""What the status page shows, read from the store section by section: a section whose read fails shows its
error and the others still show (the page stays up when Redis is down)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from markupsafe import Markup

from worker.alerts import channel_for
from worker.alerts.digest import is_digest
from worker.alerts.update import is_update
from worker.config import LoadedConfig
from worker.errors import KhabardarError
from worker.feeds import HEALTH_COLUMNS, health_row
from worker.feeds.health import sickness
from worker.match import Matcher
from worker.metrics.tally import SECONDS_PER_HOUR, Tally
from worker.pipeline.deliver import delivery_day
from worker.store import Store
from worker.store.base import channel_disabled
from worker.web.bounded import Bounded
from worker.web.chart import CHART_HOURS, alerts_chart
from worker.web.highlight import highlight

PAGE_READ_TIMEOUT_S = 2.0
ALERTS_SHOWN = 50
T = TypeVar("T")


@dataclass
class StatusPage:
    now: datetime
    feeds: list[dict[str, str]] = field(default_factory=list)
    health_columns: tuple[str, ...] = HEALTH_COLUMNS
    channels: list[dict[str, str]] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    chart: Markup = field(default_factory=Markup)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sources:
    loaded: Callable[[], LoadedConfig]
    store: Callable[[], Store]
    tally: Callable[[], Tally]
    matcher: Callable[[], Matcher]
    bounded: Bounded


def status_page(sources: Sources, now_s: float | None = None) -> StatusPage:
    now_s = time.time() if now_s is None else now_s
    page = StatusPage(now=datetime.fromtimestamp(now_s, UTC))
    try:
        loaded = sources.loaded()
    except KhabardarError as exc:
        page.errors.append(str(exc))
        return page
    store, bounded = sources.store, sources.bounded
    page.feeds = _read(page, bounded, lambda: feed_rows(loaded, store(), page.now), [])
    page.channels = _read(page, bounded, lambda: channel_rows(loaded, store(), now_s), [])
    page.outbox = _read(page, bounded, lambda: store().outbox_counts(), {})
    page.alerts = _read(page, bounded, lambda: alert_rows(store(), sources.matcher()), [])
    now_hour = int(now_s // SECONDS_PER_HOUR)
    since_hour = now_hour - CHART_HOURS + 1
    per_hour: dict[int, dict[str, int]] = _read(page, bounded, lambda: sources.tally().hourly(since_hour), {})
    page.chart = alerts_chart(per_hour, now_hour)
    return page


def _read(page: StatusPage, bounded: Bounded, read: Callable[[], T], empty: T) -> T:
    try:
        return bounded.call(read, PAGE_READ_TIMEOUT_S)
    except KhabardarError as exc:
        if str(exc) not in page.errors:
            page.errors.append(str(exc))
        return empty


def feed_rows(loaded: LoadedConfig, store: Store, now: datetime) -> list[dict[str, str]]:
    states = store.get_feed_states([feed.name for feed in loaded.config.feeds])
    return [
        {"feed": feed.name, **health_row(states[feed.name], now), "wrong": sickness(states[feed.name], now) or ""}
        for feed in loaded.config.feeds
    ]


def channel_rows(loaded: LoadedConfig, store: Store, now_s: float) -> list[dict[str, str]]:
    rows, today = [], delivery_day(now_s)
    for name, config in loaded.config.channels.items():
        state = store.get_channel_state(name)
        disabled = channel_disabled(state, loaded.version)
        rows.append(
            {
                "name": name,
                "type": config.type,
                "where": channel_for(name, config).where(),  # the host only: paths and queries hold secrets
                "state": "disabled" if disabled else "active",
                "reason": str(state.get("disabled_reason") or "") if disabled else "",
                "sent_today": str(state.get("sent_today", 0) if state.get("sent_day") == today else 0),
            }
        )
    return rows


def alert_rows(store: Store, matcher: Matcher) -> list[dict[str, Any]]:
    records = sorted(store.outbox_list(None, ALERTS_SHOWN), key=lambda r: r.created_at, reverse=True)
    rows = []
    for record in records:
        alert, article = record.alert, record.alert.get("article", {})
        title, snippet = highlight(matcher, alert["watchlist"], article.get("title", ""), article.get("snippet", ""))
        if is_update(alert):  # the sent alert's message shown again with its story's later copies, not a new alert
            snippet = Markup('अपडेट · <span class="en">update of {}</span>').format(alert["alert_id"])
        elif is_digest(alert):
            title = Markup('डाइजेस्ट · <span class="en">digest ({}): {} alerts</span>').format(
                alert.get("reason", ""), len(alert.get("alerts") or ())
            )
        rows.append(
            {
                "id": record.id,
                "state": record.state,
                "watchlist": alert["watchlist"],
                "channel": alert["channel"],
                "feed": article.get("source", ""),
                "outlet": article.get("outlet", ""),
                "url": linkable(str(article.get("url", ""))),
                "title": title,
                "snippet": snippet,
                "created": datetime.fromtimestamp(record.created_at, UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "error": record.last_error,
            }
        )
    return rows


def linkable(url: str) -> str:
    """Only an http(s) URL becomes a link: a feed could hand us ``javascript:`` too."""
    return url if url.lower().startswith(("http://", "https://")) else ""
