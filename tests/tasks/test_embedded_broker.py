"""The embedded broker keeps no row of a message it handed out, and a start-up compacts a file that kept them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from kombu import Connection
from kombu.simple import SimpleQueue
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Query

from tasks import embedded_broker
from tasks.app import EMBEDDED_BROKER_FILE, make_app
from worker.settings import Settings

# kombu's SQLAlchemy models use a loader strategy SQLAlchemy 2.1 deprecates; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy is deprecated")

STOCK_TRANSPORT = "kombu.transport.sqlalchemy:Transport"
QUEUE = "alerts"
PADDING = "ख़बर" * 250  # about the size of an alert's task message


@contextmanager
def _queue(file: Path, transport: str) -> Iterator[SimpleQueue]:
    with Connection(embedded_broker.url(file), transport=transport) as connection:
        queue = connection.SimpleQueue(QUEUE)
        try:
            yield queue
        finally:
            queue.close()


def _rows(file: Path) -> dict[bool, int]:
    with closing(sqlite3.connect(file)) as db:
        return {bool(visible): count for visible, count in db.execute(_COUNT_BY_VISIBLE)}


_COUNT_BY_VISIBLE = "SELECT visible, count(*) FROM kombu_message GROUP BY visible"


def _publish_and_consume(file: Path, transport: str, *, published: int, consumed: int) -> None:
    with _queue(file, transport) as queue:
        for number in range(published):
            queue.put({"n": number, "text": PADDING})
        for _ in range(consumed):
            queue.get(timeout=5).ack()


def test_a_message_handed_out_leaves_no_row_and_one_waiting_stays(tmp_path: Path) -> None:
    file = tmp_path / EMBEDDED_BROKER_FILE
    _publish_and_consume(file, embedded_broker.TRANSPORT, published=5, consumed=4)
    assert _rows(file) == {True: 1}
    with _queue(file, embedded_broker.TRANSPORT) as queue:
        assert queue.get(timeout=5).payload["n"] == 4  # the one left is the next one handed out


def test_the_stock_transport_keeps_a_row_for_every_message_it_handed_out(tmp_path: Path) -> None:
    file = tmp_path / EMBEDDED_BROKER_FILE  # why the embedded broker has a channel of its own
    _publish_and_consume(file, STOCK_TRANSPORT, published=5, consumed=4)
    assert _rows(file) == {False: 4, True: 1}


def test_compacting_deletes_what_was_handed_out_keeps_what_waits_and_gives_the_space_back(tmp_path: Path) -> None:
    file = tmp_path / EMBEDDED_BROKER_FILE
    _publish_and_consume(file, STOCK_TRANSPORT, published=300, consumed=299)
    size = file.stat().st_size
    assert embedded_broker.compact(file) == 299
    assert _rows(file) == {True: 1}
    assert file.stat().st_size < size / 4
    assert embedded_broker.compact(file) == 0


def test_compacting_leaves_a_missing_file_or_one_without_messages_alone(tmp_path: Path) -> None:
    assert embedded_broker.compact(tmp_path / "none.sqlite") == 0
    assert not (tmp_path / "none.sqlite").exists()
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE t (x)")
    assert embedded_broker.compact(other) == 0


@pytest.mark.parametrize(
    ("redis_url", "transport", "prefetch"),
    [("", embedded_broker.TRANSPORT, embedded_broker.PREFETCH_MULTIPLIER), ("redis://127.0.0.1:6379/13", None, 1)],
)
def test_only_the_embedded_broker_takes_its_transport_and_more_messages_at_a_time(
    tmp_path: Path, redis_url: str, transport: str | None, prefetch: int
) -> None:
    app = make_app(Settings.from_env({"KHABARDAR_REDIS_URL": redis_url, "KHABARDAR_DATA_DIR": str(tmp_path)}))
    assert (app.conf.broker_transport, app.conf.worker_prefetch_multiplier) == (transport, prefetch)


def test_a_busy_file_still_hands_the_message_out_and_its_row_goes_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / EMBEDDED_BROKER_FILE
    _publish_and_consume(file, embedded_broker.TRANSPORT, published=2, consumed=0)

    def locked(*_args: object, **_kwargs: object) -> int:
        raise OperationalError("DELETE FROM kombu_message", {}, sqlite3.OperationalError("database is locked"))

    with _queue(file, embedded_broker.TRANSPORT) as queue:
        with monkeypatch.context() as patch:
            patch.setattr(Query, "delete", locked)
            first = queue.get(timeout=5)
        assert first.payload["n"] == 0
        assert _rows(file) == {False: 1, True: 1}
        second = queue.get(timeout=5)
        assert second.payload["n"] == 1
        assert _rows(file) == {}
        first.ack()
        second.ack()
