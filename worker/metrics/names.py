"""Every metric khabardar exports: its name, help text and, for histograms, bucket bounds (seconds).

Labels come from bounded sets only: a channel's or watch-list's name (from the config), a channel type, an
outcome, a state, a reason. Never a URL, a feed item or an alert id.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "khabardar_"


@dataclass(frozen=True)
class Metric:
    name: str  # without PREFIX
    help: str
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] = ()  # a histogram when given


POLLS = Metric("polls", "Feed polls by outcome: ok, not_modified, unchanged, locked, or the error kind.", ("outcome",))
POLL_DURATION = Metric(
    "poll_duration_seconds", "Time to fetch and parse one feed.", (), (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
)
ARTICLES = Metric("articles_processed", "New articles fetched, cleaned and matched.")
MATCHES = Metric("matches", "Articles that matched a watch-list.", ("watchlist",))
ALERTS_CREATED = Metric("alerts_created", "Alerts recorded in the outbox.", ("watchlist", "channel"))
DELIVERIES = Metric(
    "alert_deliveries",
    "Delivery attempts by channel, channel type and outcome: sent, retry, rate_limited, dead.",
    ("channel", "type", "outcome"),
)
DELIVERY_LATENCY = Metric(
    "delivery_latency_seconds",
    "From the match (alert created) to the platform's 2xx.",
    ("type",),
    (0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600),
)
STORY_FOLDS = Metric("story_folds", "Later articles folded into the first alert of their story.", ("watchlist",))
HELD = Metric("alerts_held", "Alerts held back for a digest, by reason.", ("reason",))

COUNTERS = (POLLS, ARTICLES, MATCHES, ALERTS_CREATED, DELIVERIES, STORY_FOLDS, HELD)
HISTOGRAMS = (POLL_DURATION, DELIVERY_LATENCY)

# times (epoch seconds) recorded in the store, exported as *_timestamp_seconds gauges
LAST_POLL_SUCCESS = "last_successful_poll"
LAST_TICK = "last_beat_tick"
WORKER_SEEN = "last_worker_task"
TIMES = {
    LAST_POLL_SUCCESS: "When a feed was last polled successfully.",
    LAST_TICK: "When beat's tick last ran on a worker.",
    WORKER_SEEN: "When a worker last finished a task.",
}
