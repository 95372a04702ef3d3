"""The Celery app's broker set-up on the embedded (SQLite) broker."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tasks.app import EMBEDDED_BROKER_FILE, QUEUES, declare_queues, make_app
from worker.settings import Settings


# kombu's SQLAlchemy models use a loader strategy SQLAlchemy 2.1 deprecates; not ours to fix
@pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy is deprecated")
def test_declare_queues_creates_every_queue_of_the_embedded_broker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KHABARDAR_REDIS_URL", raising=False)
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path))
    app = make_app(Settings.from_env())

    declare_queues(app)
    declare_queues(app)  # a second start finds them and creates nothing

    with sqlite3.connect(tmp_path / EMBEDDED_BROKER_FILE) as db:
        names = [row[0] for row in db.execute("SELECT name FROM kombu_queue ORDER BY name")]
    assert names == sorted(QUEUES)


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("ingest.tick", "poll"),
        ("ingest.poll_feeds", "poll"),
        ("ingest.process_article", "articles"),
        ("alerts.deliver", "alerts"),
        ("alerts.sweep", "alerts"),
    ],
)
def test_each_task_goes_to_its_queue(task: str, queue: str) -> None:
    from tasks.app import app

    routed = app.amqp.router.route({}, task)
    assert routed["queue"].name == queue


def test_feeds_are_polled_only_by_the_batch_task_the_tick_sends() -> None:
    import tasks.ingest  # noqa: F401  (registers the ingest tasks)
    from tasks.app import app

    ingest = sorted(name for name in app.tasks if name.startswith("ingest."))
    assert ingest == ["ingest.poll_feeds", "ingest.process_article", "ingest.tick"]
