"""`khabardar run` on the embedded default: worker and beat in one process, SQLite broker and state, no Redis."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tasks.app import EMBEDDED_BROKER_FILE
from tests.conftest import khabardar_env
from tests.integration.conftest import FEEDS, stop, wait_for, write_config
from tests.integration.site import Site

pytestmark = pytest.mark.integration

ALERT_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
CHANNEL_COUNT = 7
LOG_TAIL_CHARS = 6000


def test_run_alerts_every_channel_once_and_stops_on_sigterm(news: Site, tmp_path: Path) -> None:
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=FEEDS)
    env = khabardar_env(tmp_path / "var", config)
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tasks.cli", "run"], env=env, stdout=log, stderr=subprocess.STDOUT
        )

    def log_tail() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL_CHARS:]

    try:
        try:
            wait_for(
                lambda: news.total_received() >= CHANNEL_COUNT or process.poll() is not None,
                ALERT_TIMEOUT_S,
                "one alert on every channel",
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}; received {dict(news.received)}\n{log_tail()}") from None
        assert process.poll() is None, log_tail()
        assert {kind: len(posts) for kind, posts in news.received.items()} == dict.fromkeys(news.received, 1)
        broker = tmp_path / "var" / EMBEDDED_BROKER_FILE
        assert f"Connected to sqlite:///{broker.resolve()}" in log_path.read_text(encoding="utf-8", errors="replace")
    finally:
        if not stop(process, STOP_TIMEOUT_S):
            pytest.fail("khabardar run did not stop within 30 s of SIGTERM")
