"""`khabardar run --web`: the web process beside worker and beat, counting what the pipeline did, in JSON logs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import khabardar_env
from tests.integration.conftest import FEEDS, stop, wait_for, write_config
from tests.integration.site import Site
from tests.tasks.test_web import free_port

pytestmark = pytest.mark.integration

ALERT_TIMEOUT_S = 90.0
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
CHANNEL_COUNT = 7


def _get(url: str) -> requests.Response | None:
    try:
        return requests.get(url, timeout=5)
    except requests.ConnectionError:
        return None


def test_run_serves_ready_probe_and_metrics_of_its_own_work_with_json_logs(news: Site, tmp_path: Path) -> None:
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=FEEDS)
    env = khabardar_env(tmp_path / "var", config) | {"KHABARDAR_LOG_FORMAT": "json"}
    base = f"http://127.0.0.1:{free_port()}"
    out_path, err_path = tmp_path / "run.out", tmp_path / "run.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "tasks.cli", "run", "--web", base.removeprefix("http://")],
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        wait_for(
            lambda: news.total_received() >= CHANNEL_COUNT or process.poll() is not None, ALERT_TIMEOUT_S, "alerts"
        )
        assert process.poll() is None, err_path.read_text()
        wait_for(lambda: (r := _get(base + "/readyz")) is not None and r.status_code == 200, READY_TIMEOUT_S, "ready")
        metrics = requests.get(base + "/metrics", timeout=10).text
        assert 'khabardar_polls_total{outcome="ok"}' in metrics
        assert "khabardar_articles_processed_total" in metrics
        assert 'khabardar_matches_total{watchlist="world-leaders"}' in metrics
        assert 'outcome="sent"' in metrics and "khabardar_delivery_latency_seconds_count" in metrics
        assert "khabardar_last_beat_tick_timestamp_seconds" in metrics
        page = requests.get(base + "/", timeout=10).text
        assert "व्लादीवोस्तक" in page  # the alert's Devanagari title
    finally:
        stop(process, STOP_TIMEOUT_S)
    assert _get(base + "/healthz") is None, "the web process outlived khabardar run"
    logs = err_path.read_text(encoding="utf-8") + out_path.read_text(encoding="utf-8")
    assert "Task ingest.tick" not in logs and "Sending due task" not in logs
    lines = [json.loads(line) for line in err_path.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    sent = [line for line in lines if line["logger"] == "khabardar.events" and " sent to " in line["message"]]
    assert len(sent) == CHANNEL_COUNT
    assert all({"alert_id", "channel", "watchlist", "feed"} <= line.keys() for line in sent)
    assert any(line["message"].startswith("polled ") and "feeds" in line for line in lines)
