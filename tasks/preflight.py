"""Before a long-running role (run, worker, beat) starts anything: refuse what cannot work, wait for what comes.

What cannot work — a Redis URL that is not one, a data dir that cannot be written, a disk with no room — ends the
command with one line that says so and a non-zero exit, before any process, queue or file is made. Redis that
does not answer yet is an outage, not a mistake (under Docker, Kubernetes or systemd the services start in any
order, and a name that does not resolve yet is the usual sign): the role says so in one line per try and tries
again with a capped back-off, and SIGTERM or SIGINT end the wait at once. The archive is not waited for:
alerting does not need it, so a PostgreSQL archive (``KHABARDAR_DATABASE_URL``) that does not answer is one
warning and the role starts anyway; the pipeline archives again once it answers.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import redis

from worker.archive.db import ArchiveError, database_url, probe
from worker.archive.record import RETRY_AFTER_S as ARCHIVE_RETRY_AFTER_S
from worker.settings import Settings

log = logging.getLogger(__name__)

REDIS_PING_TIMEOUT_S = 3.0
REDIS_RETRY_FIRST_S = 1.0
REDIS_RETRY_MAX_S = 30.0  # the back-off doubles up to this: a Redis that comes back is noticed within half a minute
REDIS_SCHEMES = ("redis", "rediss", "unix")
DISK_FREE_MIN_BYTES = 64 * 1024 * 1024  # the embedded broker and store grow by a few MB a day on a busy desk
PROBE_BYTES = 1024 * 1024  # written and removed at start: a disk (or a file-size limit) without that room fails now
PROBE_FILE = ".khabardar-write-check"
NO_ROOM_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
EXIT_STOPPED = 0
_PASSWORD = re.compile(r"(?<=://)([^/:@]*):[^/]*@")


def check_before_start(settings: Settings, *, wait: Callable[[float], None] = time.sleep) -> None:
    """Exit (SystemExit with the reason) on a setting that cannot work; with Redis, return once it answers."""
    if settings.redis_url:
        check_redis_url(settings.redis_url)
        wait_for_redis(settings.redis_url, wait=wait)
    else:
        check_data_dir(settings.data_dir)


def check_archive(settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    """Exit on a KHABARDAR_DATABASE_URL that is no database URL; warn once when its PostgreSQL does not answer."""
    try:
        url = database_url(settings, environ)
    except ArchiveError as exc:
        raise SystemExit(f"khabardar: {exc}") from None
    if url.get_backend_name() == "sqlite":
        return  # a file under the data dir, which check_data_dir has vouched for
    try:
        probe(url)
    except ArchiveError as exc:
        log.warning(
            "%s; alerting starts without the archive, which is tried again every %g s", exc, ARCHIVE_RETRY_AFTER_S
        )


def shown_url(url: str) -> str:
    """The URL as logs may show it: without its password (even in a URL too broken to parse)."""
    return _PASSWORD.sub(r"\1:**@", url)


def check_redis_url(url: str) -> None:
    """A KHABARDAR_REDIS_URL that no Redis could answer: a wrong scheme, port or database number."""
    shown = shown_url(url)
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
        redis.connection.parse_url(url)
    except ValueError as exc:
        raise SystemExit(f"khabardar: KHABARDAR_REDIS_URL {shown} is not a Redis URL: {exc}") from None
    if parts.scheme not in REDIS_SCHEMES:
        raise SystemExit(f"khabardar: KHABARDAR_REDIS_URL {shown} is not a Redis URL: it must start with redis://")
    database = parts.path.strip("/")
    if parts.scheme != "unix" and database and not database.isdigit():
        raise SystemExit(
            f"khabardar: KHABARDAR_REDIS_URL {shown}: the database after the last / must be a number, not {database!r}"
        )


def wait_for_redis(url: str, *, wait: Callable[[float], None] = time.sleep) -> None:
    """Return once Redis answers a PING; until then one line per try and a doubling pause, capped."""
    shown = shown_url(url)
    delay_s = REDIS_RETRY_FIRST_S
    with _stop_signals_end_the_wait():
        while (reason := _redis_problem(url)) is not None:
            log.warning("waiting for Redis at %s: %s; next try in %g s", shown, reason, delay_s)
            wait(delay_s)
            delay_s = min(delay_s * 2, REDIS_RETRY_MAX_S)


def _redis_problem(url: str) -> str | None:
    """None when Redis answers; else why not, in a few words. A refused password is no outage: it exits."""
    client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_PING_TIMEOUT_S, socket_timeout=REDIS_PING_TIMEOUT_S)
    try:
        client.ping()
    except (redis.AuthenticationError, redis.ResponseError) as exc:
        raise SystemExit(f"khabardar: Redis at {shown_url(url)} refused us: {exc}") from None
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        cause = exc.__context__
        return cause.strerror.lower() if isinstance(cause, OSError) and cause.strerror else str(exc)
    finally:
        client.close()
    return None


@contextmanager
def _stop_signals_end_the_wait() -> Iterator[None]:
    """Told to stop while waiting: exit cleanly, without a KeyboardInterrupt traceback; nothing has started."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        sys.stderr.write(f"khabardar: {signal.Signals(signum).name} while waiting for Redis: stopped\n")
        raise SystemExit(EXIT_STOPPED)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def check_data_dir(data_dir: Path) -> None:
    """The embedded broker and store live here: it must exist (or be creatable), take writes, and have room."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        _write_probe(data_dir / PROBE_FILE)
    except OSError as exc:
        raise SystemExit(f"khabardar: {_data_dir_problem(data_dir, exc)}") from None
    free = shutil.disk_usage(data_dir).free
    if free < DISK_FREE_MIN_BYTES:
        raise SystemExit(
            f"khabardar: the disk of the data dir {data_dir} has {free // 2**20} MB free; "
            f"free at least {DISK_FREE_MIN_BYTES // 2**20} MB (or set KHABARDAR_DATA_DIR to a roomier place)"
        )


def _write_probe(path: Path) -> None:
    try:
        with path.open("wb") as probe:
            probe.write(b"\0" * PROBE_BYTES)
            probe.flush()
            os.fsync(probe.fileno())
    finally:
        path.unlink(missing_ok=True)


def _data_dir_problem(data_dir: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if exc.errno in NO_ROOM_ERRNOS:
        return f"no room to write in the data dir {data_dir} ({reason}): free some space or raise the limit"
    return (
        f"the data dir {data_dir} cannot be written ({reason}): make it writable by this user "
        "or set KHABARDAR_DATA_DIR elsewhere"
    )
