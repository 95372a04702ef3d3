"""The Celery app: Redis when ``KHABARDAR_REDIS_URL`` is set, else an embedded SQLite broker under the data dir."""

from __future__ import annotations

import multiprocessing

from celery import Celery
from kombu.entity import Exchange, Queue

from tasks import embedded_broker
from tasks.lifecycle import StoppingWorker
from worker.settings import Settings

POLL_QUEUE = "poll"
ARTICLE_QUEUE = "articles"
ALERT_QUEUE = "alerts"
QUEUES = (POLL_QUEUE, ARTICLE_QUEUE, ALERT_QUEUE)
TASK_SOFT_TIME_LIMIT_S = 120
TASK_TIME_LIMIT_S = 180
VISIBILITY_TIMEOUT_S = 3600  # longer than any task; a task unacked this long is handed to another worker
BEAT_MAX_LOOP_INTERVAL_S = 5  # beat wakes this often, so a config edit reaches the schedule within seconds
EMBEDDED_BROKER_FILE = "broker.sqlite"
DECLARE_TIMEOUT_S = 60


def broker_url(settings: Settings) -> str:
    if settings.redis_url:
        return settings.redis_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return embedded_broker.url(settings.data_dir / EMBEDDED_BROKER_FILE)


def make_app(settings: Settings) -> Celery:
    app = Celery("khabardar", broker=broker_url(settings), include=["tasks.ingest", "tasks.deliver"])
    embedded = not settings.redis_url
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=embedded_broker.PREFETCH_MULTIPLIER if embedded else 1,
        task_soft_time_limit=TASK_SOFT_TIME_LIMIT_S,
        task_time_limit=TASK_TIME_LIMIT_S,
        task_queues=[_queue(name) for name in QUEUES],
        task_default_queue=ARTICLE_QUEUE,
        task_routes={
            "ingest.tick": {"queue": POLL_QUEUE},
            "ingest.poll_*": {"queue": POLL_QUEUE},
            "alerts.*": {"queue": ALERT_QUEUE},
        },
        broker_transport=embedded_broker.TRANSPORT if embedded else None,
        broker_transport_options=_transport_options(settings),
        broker_connection_retry_on_startup=True,
        worker_pool="tasks.lifecycle:StoppingTaskPool",
        beat_scheduler="tasks.schedule:ConfigScheduler",
        beat_max_loop_interval=BEAT_MAX_LOOP_INTERVAL_S,
        worker_hijack_root_logger=False,
        timezone="UTC",
        enable_utc=True,
    )
    app.Worker = app.subclass_with_self(StoppingWorker)  # stops within seconds of SIGTERM/SIGINT (tasks.lifecycle)
    return app


def declare_queues(celery_app: Celery) -> None:
    """Create every queue before a worker and its embedded beat start (and compact the embedded broker's file).

    Both processes would otherwise create them at the same moment, and on the embedded SQLite broker the loser
    dies on the queue table's unique constraint (the SQLAlchemy transport only retries OperationalError). The
    work is done in a child process: a database connection opened here would be inherited by every process the
    worker forks, and SQLite connections do not survive being shared that way.
    """
    child = multiprocessing.get_context("fork").Process(target=_declare, args=(celery_app,), daemon=True)
    child.start()
    child.join(DECLARE_TIMEOUT_S)
    if child.exitcode != 0:
        child.kill()
        raise RuntimeError(f"could not create the broker's queues (exit code {child.exitcode})")


def _declare(celery_app: Celery) -> None:
    if celery_app.conf.broker_transport == embedded_broker.TRANSPORT:
        embedded_broker.compact(embedded_broker.path(celery_app.conf.broker_url))
    with celery_app.connection_for_write() as connection:
        channel = connection.default_channel
        for name in celery_app.amqp.queues:
            _queue(name).bind(channel).declare()


def _queue(name: str) -> Queue:
    # its own exchange and routing key: with a shared default exchange every message would land in all three queues
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def _transport_options(settings: Settings) -> dict[str, object]:
    if not settings.redis_url:
        return {}  # the SQLAlchemy transport hands its options to create_engine, which refuses unknown ones
    return {
        "visibility_timeout": VISIBILITY_TIMEOUT_S,
        # every broker key under the same prefix as the state, so one Redis can serve several deployments
        "global_keyprefix": f"{settings.redis_prefix}:celery:",
    }


app = make_app(Settings.from_env())
