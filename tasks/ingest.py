"""Polling and article tasks: thin wrappers over worker.pipeline."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from celery.signals import worker_init

from tasks.app import app
from tasks.deliver import deliver
from tasks.flow import request_flush
from tasks.runtime import engine
from tasks.startup import check_xml_parser
from worker import metrics
from worker.errors import FeedError, FetchError, StoreError
from worker.pipeline import ArticleJob, process_article, run_poll
from worker.pipeline.dispatch import POLL_BATCH_MAX, batch_dispatches, dispatch_due
from worker.pipeline.updates import UPDATE_COALESCE_S

log = logging.getLogger(__name__)

STORE_RETRY_BACKOFF_MAX_S = 300
POLL_THREADS_MAX = POLL_BATCH_MAX  # a poll mostly waits on the network: one thread per feed of a batch


@worker_init.connect
def _check_before_working(**_: object) -> None:
    check_xml_parser()


@app.task(name="ingest.tick")
def tick() -> None:
    """Beat's tick: enqueue a poll of every feed due before the next tick, to start at its due time; polls due
    within half a second of each other travel in one task."""
    current = engine()
    metrics.mark_tick(current)
    request_flush()  # held alerts whose hold has ended go out as digests (worker.flow)
    for batch in batch_dispatches(dispatch_due(current.config.feeds, current.store, datetime.now(UTC))):
        poll_many.apply_async(args=[list(batch.feeds)], eta=batch.start_at, expires=batch.expires_at)


@app.task(name="ingest.poll_feeds", autoretry_for=(StoreError,), retry_backoff=True, max_retries=None)
def poll_many(feed_names: list[str]) -> None:
    """Poll several feeds at once, each in a thread of its own, so a slow feed delays none of the others. A store
    error fails the task after every feed has had its turn; the retry finds those already polled locked."""
    engine()  # built here, once, before the threads would each race to build it
    with ThreadPoolExecutor(max_workers=min(len(feed_names), POLL_THREADS_MAX) or 1) as pool:
        outcomes = list(pool.map(_poll_catching_store_errors, feed_names))
    log.info("polled %d feeds: %s", len(feed_names), ", ".join(feed_names), extra={"feeds": feed_names})
    for error in outcomes:
        if error is not None:
            raise error


def _poll_catching_store_errors(feed_name: str) -> StoreError | None:
    try:
        _poll_one(feed_name)
    except StoreError as exc:
        return exc
    return None


def _poll_one(feed_name: str) -> None:
    try:
        result = run_poll(engine(), feed_name, datetime.now(UTC), enqueue=_enqueue)
    except (FetchError, FeedError) as exc:
        log.warning("feed %s: %s", feed_name, exc)
        return
    log.debug("feed %s: %s, %d new articles", feed_name, result.status, len(result.jobs), extra={"feed": feed_name})


def _enqueue(job: ArticleJob) -> None:
    process.delay(job.to_dict())


@app.task(
    name="ingest.process_article",
    autoretry_for=(StoreError,),
    retry_backoff=True,
    retry_backoff_max=STORE_RETRY_BACKOFF_MAX_S,
    max_retries=None,
)
def process(job: dict[str, Any]) -> None:
    for alert in process_article(engine(), ArticleJob.from_dict(job), datetime.now(UTC), on_update=_update_later):
        deliver.delay(alert.id)


def _update_later(update_id: str) -> None:
    """Copies of a story arriving within UPDATE_COALESCE_S of the first make one edit: it goes out then."""
    deliver.apply_async(args=[update_id], countdown=UPDATE_COALESCE_S)
