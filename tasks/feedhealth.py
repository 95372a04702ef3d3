"""``khabardar feeds``: one row of health per configured feed, from the state its polls recorded."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table

from worker.config import LoadedConfig
from worker.feeds import HEALTH_COLUMNS, due_at, health_row, sickness
from worker.feeds.state import FeedState
from worker.feeds.summary import age
from worker.store import Store

ERROR_SHOWN_MAX_CHARS = 80


def feeds_table(loaded: LoadedConfig, store: Store, now: datetime) -> Table:
    """The health columns of :func:`worker.feeds.health_row`, when the feed is checked next, and what is wrong."""
    feeds = loaded.config.feeds
    table = Table("feed", *HEALTH_COLUMNS, "next check", "what is wrong", title=f"{len(feeds)} feeds")
    states = store.get_feed_states([feed.name for feed in feeds])
    for feed in feeds:
        state = states[feed.name]
        row = health_row(state, now)
        row["last error"] = row["last error"][:ERROR_SHOWN_MAX_CHARS]
        wrong = sickness(state, now) or ""
        table.add_row(feed.name, *(row[column] for column in HEALTH_COLUMNS), _next_check(state, now), wrong)
    return table


def _next_check(state: FeedState, now: datetime) -> str:
    """'due' (now or overdue, and for a feed never polled), else how long until the next poll."""
    due = due_at(state, now)
    return "due" if due <= now else "in " + age(now.isoformat(), due).removesuffix(" ago")
