"""State: Redis when ``KHABARDAR_REDIS_URL`` is set, else the embedded SQLite file under the data directory."""

from __future__ import annotations

from worker.settings import Settings
from worker.store.base import (
    OUTBOX_STATES,
    ChannelState,
    HeldAlert,
    OutboxRecord,
    OutboxState,
    Retention,
    Store,
    channel_disabled,
    moved_address,
)
from worker.store.redis_store import RedisStore
from worker.store.sqlite_store import SqliteStore


def open_store(settings: Settings) -> Store:
    if settings.redis_url:
        return RedisStore(settings.redis_url, prefix=settings.redis_prefix)
    return SqliteStore(settings.data_dir)


__all__ = [
    "OUTBOX_STATES",
    "ChannelState",
    "HeldAlert",
    "OutboxRecord",
    "OutboxState",
    "RedisStore",
    "Retention",
    "SqliteStore",
    "Store",
    "channel_disabled",
    "moved_address",
    "open_store",
]
