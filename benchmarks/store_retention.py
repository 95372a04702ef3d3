"""A simulated 90 days on the embedded store: its file levels off once the retention period has passed.

    python benchmarks/store_retention.py [--days 90] [--retention-days 30] [--redis]

Each simulated day: FEEDS feeds polled every POLL_EVERY_S (a host lease, the poll lock and the feed's state each
time), ITEMS_PER_FEED new articles per feed marked seen, ALERTS alerts through the outbox (add, claim, a token from
the channel's rate limit, sent; every RATE_LIMITED_EVERY-th waits for a slot first and every DEAD_EVERY-th ends in
the dead letters). Time is simulated (the store methods take it), so 90 days take minutes; the store prunes itself
as it is written to, with no call from here. The retention is shortened (30 days by default, the dead letters'
twice that) so the plateau shows within 90 days; the production periods are the defaults of ``Retention``.

Printed every 10 days: the file's size (database and write-ahead log) and the rows of each table. The baseline,
measured in the same run, is the size when the retention period has just passed: the ratio of the last day's size
to it is the growth after the plateau (1.00 is flat; without pruning it would be days / retention days). Then the
retention is cut to a week, to show that a prune that frees most of the file gives the space back.

With ``--redis``, the same days against Redis (``KHABARDAR_BENCH_REDIS_URL``, under a prefix of its own): Redis
expires keys by its own clock, so the simulated days end now and what expired before now is never kept; printed
are the keys and their memory after the run, against what the same days would hold without expiry.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REDIS_URL, redis_prefix
from worker.alerts.sample import sample_alert
from worker.store import RedisStore, Retention, SqliteStore, Store
from worker.store.sqlite_store import STATE_FILE

DAY_S = 24 * 3600.0
FEEDS = 50
ITEMS_PER_FEED = 200  # new articles per feed per day
ALERTS = 300  # per day
POLL_EVERY_S = 3600.0
HOSTS = 20  # the feeds share hosts; one lease group per host
PER_HOST_MAX = 4
POLL_LEASE_S = 120.0
CLAIM_LEASE_S = 60.0
RATE_LIMITED_EVERY = 10  # this alert waits for its turn (a slot) before it is sent
DEAD_EVERY = 50  # this alert fails for good
CHANNELS = 5
REPORT_EVERY_DAYS = 10
SHRUNK_RETENTION_DAYS = 7
ORIGIN = 1_800_000_000.0
TABLES = ("seen", "outbox", "leases", "locks", "buckets", "feed_state")


@dataclass
class Day:
    """One simulated day's worth of work, at times from ``start``."""

    number: int
    start: float


def main() -> None:
    args = _arguments()
    retention = Retention(
        seen_s=args.retention_days * DAY_S,
        done_alert_s=args.retention_days * DAY_S,
        dead_alert_s=2 * args.retention_days * DAY_S,
    )
    alert = sample_alert("desk", now=datetime.fromtimestamp(ORIGIN, UTC)).to_dict()
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        _run_sqlite(Path(tmp), args.days, retention, alert)
    if args.redis:
        _run_redis(args.days, retention, alert)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--retention-days", type=int, default=30)
    parser.add_argument("--redis", action="store_true", help="also run the days against Redis")
    return parser.parse_args()


def _run_sqlite(data_dir: Path, days: int, retention: Retention, alert: dict[str, Any]) -> None:
    store = SqliteStore(data_dir, retention=retention)
    retention_days = round(max(retention.seen_s, retention.done_alert_s) / DAY_S)
    print(f"embedded store, {days} simulated days, retention {retention_days} days (dead letters twice that)")
    print(f"{'day':>4} {'MB':>7} {'wal MB':>7} {'seen':>8} {'outbox':>7} {'dead':>5} {'leases':>6} {'buckets':>7}")
    sizes: dict[int, int] = {}
    started = time.perf_counter()
    for number in range(1, days + 1):
        _simulate(store, Day(number, ORIGIN + (number - 1) * DAY_S), alert)
        if number % REPORT_EVERY_DAYS == 0 or number in (1, retention_days, days):
            sizes[number] = _report(store, data_dir, number)
    elapsed_s = time.perf_counter() - started
    baseline = sizes.get(retention_days) or sizes[min(sizes)]
    print(
        f"size on day {days} / size on day {retention_days} (retention just passed): "
        f"{sizes[days] / baseline:.2f} (without pruning about {days / retention_days:.1f}); "
        f"{elapsed_s:.0f} s to simulate"
    )
    _shrink(data_dir, ORIGIN + days * DAY_S, sizes[days])
    store.close()


def _simulate(store: Store, day: Day, alert: dict[str, Any]) -> None:
    polls = round(DAY_S / POLL_EVERY_S)
    for poll in range(polls):
        now = day.start + poll * POLL_EVERY_S
        for feed in range(FEEDS):
            _poll(store, day, poll, polls, feed, now)
        first, last = _share(ALERTS, poll, polls)
        for number in range(first, last):
            _deliver(store, f"d{day.number}-a{number}", alert, number, now + 1)


def _share(total: int, part: int, parts: int) -> tuple[int, int]:
    """The numbers of ``total`` things that fall to ``part`` of ``parts`` (spread evenly over the day)."""
    return part * total // parts, (part + 1) * total // parts


def _poll(store: Store, day: Day, poll: int, polls: int, feed: int, now: float) -> None:
    group, member = f"host:h{feed % HOSTS}.example", f"feed-{feed}"
    if not store.acquire_lease(group, member, PER_HOST_MAX, POLL_LEASE_S, now):
        return
    store.try_lock(f"poll:{member}", POLL_EVERY_S / 2, now=now)
    first, last = _share(ITEMS_PER_FEED, poll, polls)
    for item in range(first, last):
        url = f"https://www.khabar{feed}.example/news/rashtriya/day-{day.number}-samachar-{item}.html"
        store.mark_seen(url, now=now)
    store.put_feed_state(member, {"etag": f'"{day.number}-{poll}"', "last_success": now, "consecutive_errors": 0})
    store.release_lease(group, member)


def _deliver(store: Store, alert_id: str, alert: dict[str, Any], number: int, now: float) -> None:
    channel = f"channel-{number % CHANNELS}"
    store.outbox_add(alert_id, {**alert, "id": alert_id, "channel": channel}, now)
    if store.outbox_claim(alert_id, now, CLAIM_LEASE_S) is None:
        return
    if number % RATE_LIMITED_EVERY == 0:
        turn_at = store.reserve_slot(f"queue:{channel}", 1.0, now + 2, now)
        store.outbox_release(alert_id, now, turn_at, "discord answered 429")
        now = turn_at
        store.outbox_claim(alert_id, now, CLAIM_LEASE_S)
    store.take_token(f"discord:{channel}", 5, 2.0, now)
    if number % DEAD_EVERY == 0:
        store.outbox_dead(alert_id, now, "slack answered 404: channel_not_found")
    else:
        store.outbox_sent(alert_id, now)


def _report(store: SqliteStore, data_dir: Path, number: int) -> int:
    db, wal = (_bytes(data_dir / name) for name in (STATE_FILE, f"{STATE_FILE}-wal"))
    rows = {table: store._query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES}
    dead = store.outbox_counts()["dead"]
    print(
        f"{number:>4} {db / 1e6:>7.1f} {wal / 1e6:>7.1f} {rows['seen']:>8} {rows['outbox']:>7} {dead:>5} "
        f"{rows['leases'] + rows['locks']:>6} {rows['buckets']:>7}"
    )
    return db + wal


def _shrink(data_dir: Path, now: float, size: int) -> None:
    """Cut the retention to a week: the prune frees most of the file, and the file gives the space back."""
    week = SHRUNK_RETENTION_DAYS * DAY_S
    store = SqliteStore(data_dir, retention=Retention(seen_s=week, done_alert_s=week, dead_alert_s=week))
    started = time.perf_counter()
    store.prune(now)
    elapsed_s = time.perf_counter() - started
    after = _bytes(data_dir / STATE_FILE) + _bytes(data_dir / f"{STATE_FILE}-wal")
    print(
        f"retention cut to {SHRUNK_RETENTION_DAYS} days: {size / 1e6:.1f} MB -> {after / 1e6:.1f} MB "
        f"({after / size:.2f}) in one prune of {elapsed_s:.1f} s"
    )
    store.close()


def _bytes(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _run_redis(days: int, retention: Retention, alert: dict[str, Any]) -> None:
    with redis_prefix() as prefix:
        store = RedisStore(REDIS_URL, prefix=prefix, retention=retention)
        origin = time.time() - days * DAY_S  # the last simulated day ends now: Redis expires keys by its clock
        started = time.perf_counter()
        for number in range(1, days + 1):
            _simulate(store, Day(number, origin + (number - 1) * DAY_S), alert)
        elapsed_s = time.perf_counter() - started
        store.prune(time.time())
        client = redis.Redis.from_url(REDIS_URL)
        kinds = _keys_by_kind(client, prefix)
        client.close()
        store.close()
    retention_days = round(retention.seen_s / DAY_S)
    print(f"Redis, {days} simulated days ending now, retention {retention_days} days ({elapsed_s:.0f} s):")
    for kind, (count, memory) in sorted(kinds.items()):
        print(f"  {kind:<14} {count:>8} keys {memory / 1e6:>7.1f} MB")
    seen = kinds.get("seen", (0, 0))[0]
    print(f"  seen keys / articles of {days} days: {seen / (days * FEEDS * ITEMS_PER_FEED):.2f}")


def _keys_by_kind(client: redis.Redis, prefix: str) -> dict[str, tuple[int, int]]:
    """Keys under ``prefix`` by their kind (the part after the prefix), with their memory in bytes."""
    keys = list(client.scan_iter(match=f"{prefix}:*", count=10_000))
    pipeline = client.pipeline(transaction=False)
    for key in keys:
        pipeline.memory_usage(key)
    kinds: dict[str, tuple[int, int]] = {}
    for key, memory in zip(keys, pipeline.execute(), strict=True):
        kind = key.decode().split(":")[1]
        count, total = kinds.get(kind, (0, 0))
        kinds[kind] = (count + 1, total + int(memory or 0))
    return kinds


if __name__ == "__main__":
    main()
