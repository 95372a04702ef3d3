"""Start-up checks: a setting that cannot work is one line and a non-zero exit; Redis that is not up yet is waited
for, one line per try, with a capped back-off."""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tasks.preflight import (
    REDIS_RETRY_MAX_S,
    check_archive,
    check_data_dir,
    check_redis_url,
    shown_url,
    wait_for_redis,
)
from tests.conftest import khabardar_env
from tests.integration.conftest import stop
from tests.integration.daemon import start, stop_group, tail, wait_ready
from tests.integration.faults import free_port
from worker.settings import Settings

BAD_REDIS_URLS = [
    ("redsi://redis:6379/0", "is not a Redis URL"),
    ("redis://redis:63a9/0", "is not a Redis URL"),
    ("redis://redis:6379/zero", "must be a number"),
    ("http://redis:6379/0", "is not a Redis URL"),
]


@pytest.mark.parametrize(("url", "says"), BAD_REDIS_URLS)
def test_a_mistyped_redis_url_exits_with_one_line(url: str, says: str) -> None:
    with pytest.raises(SystemExit) as exited:
        check_redis_url(url)
    message = str(exited.value.code)
    assert says in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "url",
    ["redis://redis:6379/0", "redis://:secret@redis:6379/2", "rediss://user:secret@redis/1", "unix:///tmp/r.sock"],
)
def test_a_good_redis_url_passes(url: str) -> None:
    check_redis_url(url)


SHOWN = [
    ("redis://redis:6379/0", "redis://redis:6379/0"),
    ("redis://:secret@redis:6379/0", "redis://:**@redis:6379/0"),
    ("redis://user:secret@redis:63a9/0", "redis://user:**@redis:63a9/0"),
    ("rediss://user:p@ss@redis/1", "rediss://user:**@redis/1"),
]


@pytest.mark.parametrize(("url", "shown"), SHOWN)
def test_a_redis_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert shown_url(url) == shown


def test_a_password_in_the_url_never_reaches_the_message_of_a_mistyped_url() -> None:
    with pytest.raises(SystemExit) as exited:
        check_redis_url("redis://:hunter2@redis:63a9/0")
    assert "hunter2" not in str(exited.value.code)


class _GaveUp(Exception):
    pass


def test_redis_that_does_not_answer_is_waited_for_with_a_doubling_capped_pause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"redis://:secret@127.0.0.1:{free_port()}/0"
    pauses: list[float] = []

    def wait(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 8:
            raise _GaveUp

    with caplog.at_level(logging.WARNING, logger="tasks.preflight"), pytest.raises(_GaveUp):
        wait_for_redis(url, wait=wait)
    assert pauses == [1, 2, 4, 8, 16, REDIS_RETRY_MAX_S, REDIS_RETRY_MAX_S, REDIS_RETRY_MAX_S]
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == len(pauses)
    assert lines[0] == f"waiting for Redis at {shown_url(url)}: connection refused; next try in 1 s"
    assert all("secret" not in line for line in lines)


def test_redis_that_answers_is_not_waited_for(redis_url: str) -> None:
    wait_for_redis(redis_url, wait=lambda _seconds: pytest.fail("waited for a Redis that answers"))


def test_a_data_dir_under_a_file_exits_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(SystemExit) as exited:
        check_data_dir(tmp_path / "file" / "var")
    assert "cannot be written (Not a directory)" in str(exited.value.code)


def test_a_writable_data_dir_passes_and_keeps_no_probe(tmp_path: Path) -> None:
    check_data_dir(tmp_path / "var")
    assert list((tmp_path / "var").iterdir()) == []


ARCHIVE_DOWN = "the archive database postgresql+psycopg://desk:***@127.0.0.1:{port}/archive cannot be used"
ARCHIVE_GOES_ON = "alerting starts without the archive"
STOP_TIMEOUT_S = 30.0


def _archive_down_url() -> tuple[str, int]:
    """A PostgreSQL URL, with a password, to a loopback port nobody listens on."""
    port = free_port()
    return f"postgresql://desk:s3cret@127.0.0.1:{port}/archive", port


def test_an_archive_that_does_not_answer_is_one_warning_not_a_wait(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url, port = _archive_down_url()
    settings = Settings.from_env({"KHABARDAR_DATA_DIR": str(tmp_path)})
    with caplog.at_level(logging.WARNING, logger="tasks.preflight"):
        check_archive(settings, {"KHABARDAR_DATABASE_URL": url})
    [line] = [record.getMessage() for record in caplog.records]
    assert ARCHIVE_DOWN.format(port=port) in line and ARCHIVE_GOES_ON in line
    assert "s3cret" not in line and "\n" not in line


@pytest.mark.parametrize("url", ["", "sqlite:///{tmp}/archive.sqlite3"])
def test_an_sqlite_archive_is_not_probed(tmp_path: Path, caplog: pytest.LogCaptureFixture, url: str) -> None:
    settings = Settings.from_env({"KHABARDAR_DATA_DIR": str(tmp_path / "var")})
    with caplog.at_level(logging.DEBUG, logger="tasks.preflight"):
        check_archive(settings, {"KHABARDAR_DATABASE_URL": url.format(tmp=tmp_path)})
    assert caplog.records == []
    assert not (tmp_path / "var").exists() and not (tmp_path / "archive.sqlite3").exists()


@pytest.mark.parametrize(
    ("url", "says"),
    [("mysql://desk:s3cret@db/archive", "runs on postgresql or sqlite"), ("postgresql://[::1", "not a database URL")],
)
def test_a_mistyped_archive_url_exits_with_one_line(tmp_path: Path, url: str, says: str) -> None:
    with pytest.raises(SystemExit) as exited:
        check_archive(Settings.from_env({"KHABARDAR_DATA_DIR": str(tmp_path)}), {"KHABARDAR_DATABASE_URL": url})
    message = str(exited.value.code)
    assert message.startswith("khabardar: ") and says in message
    assert "s3cret" not in message and "\n" not in message


def test_run_with_the_archive_down_says_so_once_and_starts(tmp_path: Path) -> None:
    config = tmp_path / "khabardar.yaml"
    config.write_text("channels:\n  out: {type: console}\n", encoding="utf-8")
    url, port = _archive_down_url()
    env = khabardar_env(tmp_path / "var", config) | {"KHABARDAR_DATABASE_URL": url}
    log_path = tmp_path / "run.log"
    process = start(["run", "--concurrency=1", "--no-web"], env, log_path)
    try:
        wait_ready(process, log_path)
    finally:
        stopped = stop(process, STOP_TIMEOUT_S)
        stop_group(process)
    said = [line for line in log_path.read_text(encoding="utf-8").splitlines() if "cannot be used" in line]
    assert len(said) == 1 and ARCHIVE_DOWN.format(port=port) in said[0] and ARCHIVE_GOES_ON in said[0], tail(log_path)
    assert "s3cret" not in log_path.read_text(encoding="utf-8")
    assert stopped and process.returncode == 0, tail(log_path)


FILE_SIZE_LIMIT_BYTES = 64 * 1024  # a full disk, as far as khabardar can tell: no file may grow past this


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_BYTES, FILE_SIZE_LIMIT_BYTES))


START_UP_FAILURES = ["full disk", "unwritable data dir", "unreadable config", "mistyped Redis URL"]


@pytest.mark.parametrize("case", START_UP_FAILURES)
@pytest.mark.parametrize("command", ["run", "worker"])
def test_a_role_that_cannot_start_says_why_in_a_line_and_starts_nothing(
    case: str, command: str, tmp_path: Path
) -> None:
    config = tmp_path / "khabardar.yaml"
    config.write_text("channels:\n  out: {type: console}\n", encoding="utf-8")
    data_dir = tmp_path / "var"
    env = khabardar_env(data_dir, config)
    if case == "unwritable data dir":
        (tmp_path / "file").write_text("")
        env["KHABARDAR_DATA_DIR"] = str(tmp_path / "file" / "var")
    if case == "unreadable config":
        env["KHABARDAR_CONFIG"] = str(tmp_path)  # a directory: unreadable as a file, even for root
    if case == "mistyped Redis URL":
        env["KHABARDAR_REDIS_URL"] = "redis://127.0.0.1:63a9/0"
    finished = subprocess.run(
        [sys.executable, "-m", "tasks.cli", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_file_size if case == "full disk" else None,
        check=False,
    )
    assert finished.returncode != 0
    said = [line for line in finished.stderr.splitlines() if line.startswith("khabardar:")]
    assert len(said) == 1, finished.stderr
    assert "Traceback" not in finished.stderr
    assert not (data_dir / "broker.sqlite").exists()
    assert not (data_dir / "state.sqlite").exists()
