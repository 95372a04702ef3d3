"""The embedded broker: Kombu's SQLAlchemy transport over a SQLite file, made fit to run for months.

Kombu's transport hides a message it hands out (``visible = 0``) and never touches the row again: acknowledging
is done in the consumer's memory, and a message given back at shutdown is published anew. The hidden rows are
dead, yet they stay: a beat tick every few seconds alone leaves some 20,000 rows (25 MB) a day. So the channel
deletes them as it hands the next message out, and a start-up compacts a file an older version left large.

A worker on this broker cannot wait on a socket; Celery polls it, and applies acknowledgements only between two
polls of up to two seconds each. With one message per worker process in hand, a run of alerts went out one every
two seconds, so the worker takes more at a time (``PREFETCH_MULTIPLIER``) and the poll is short.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from kombu.transport import sqlalchemy
from sqlalchemy import false
from sqlalchemy.exc import OperationalError

TRANSPORT = "tasks.embedded_broker:Transport"
URL_SCHEME = "sqlite:///"
POLL_INTERVAL_S = 0.25  # between looks at an empty queue: the wait of a new message on an idle worker
# Messages each worker process may hold before it acknowledges them: a burst of alerts no longer waits two seconds
# per process. A worker killed outright loses what it held, as it did one message per process before: this broker
# has no visibility timeout (Redis has; README "Architecture").
PREFETCH_MULTIPLIER = 8
COMPACT_FREE_FRACTION = 0.5  # VACUUM at start-up when this much of the file is free pages
SQLITE_TIMEOUT_S = 30.0


class Channel(sqlalchemy.Channel):
    def _get(self, queue: str) -> Any:
        payload = super()._get(queue)
        self._delete_handed_out()
        return payload

    def _delete_handed_out(self) -> None:
        hidden = self.message_cls.visible == false()
        try:
            self.session.query(self.message_cls).filter(hidden).delete(synchronize_session=False)
            self.session.commit()
        except OperationalError:  # the file is busy: the message is handed out all the same, its row goes next time
            self.session.rollback()


class Transport(sqlalchemy.Transport):
    Channel = Channel
    polling_interval = POLL_INTERVAL_S


def url(path: Path) -> str:
    return f"{URL_SCHEME}{path.resolve()}"


def path(broker_url: str) -> Path:
    return Path(broker_url.removeprefix(URL_SCHEME))


def compact(file: Path) -> int:
    """Delete the rows of messages already handed out (left by a version that kept them) and give back the space
    when most of the file is free; the number of rows deleted. A file Kombu has not made yet is left alone."""
    if not file.exists():
        return 0
    with closing(sqlite3.connect(file, timeout=SQLITE_TIMEOUT_S, isolation_level=None)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        deleted = db.execute("DELETE FROM kombu_message WHERE visible = 0").rowcount if "kombu_message" in tables else 0
        (pages,), (free,) = db.execute("PRAGMA page_count").fetchone(), db.execute("PRAGMA freelist_count").fetchone()
        if pages and free / pages >= COMPACT_FREE_FRACTION:
            db.execute("VACUUM")
    return deleted
