"""``khabardar web`` as a process of its own, and ``khabardar run --web`` refusing an address it cannot serve."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import khabardar_env
from tests.integration.conftest import wait_for
from tests.web.conftest import write_config
from worker.metrics import count_poll, mark_tick
from worker.settings import Settings

pytestmark = pytest.mark.integration

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_env(tmp_path: Path, redis_url: str, redis_prefix: str) -> dict[str, str]:
    env = khabardar_env(tmp_path / "var", write_config(tmp_path))
    return env | {"KHABARDAR_REDIS_URL": redis_url, "KHABARDAR_REDIS_PREFIX": redis_prefix}


@pytest.fixture
def web_process(redis_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "web.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tasks.cli", "web", "--listen", f"127.0.0.1:{port}"],
        env=redis_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url) or process.poll() is not None, START_TIMEOUT_S, "khabardar web to listen")
        assert process.poll() is None, (tmp_path / "web.log").read_text()
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(STOP_TIMEOUT_S)
        log.close()


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


def test_web_alone_reads_the_counts_other_processes_keep_in_redis(web_process: str, redis_env: dict[str, str]) -> None:
    settings = Settings.from_env(redis_env)
    count_poll(settings, "desh", "not_modified", 0.05, now_s=1_800_000_000)
    text = requests.get(web_process + "/metrics", timeout=10).text
    assert 'khabardar_polls_total{outcome="not_modified"} 1.0' in text
    assert "khabardar_store_up 1.0" in text


def test_web_alone_is_not_ready_until_a_worker_answers(web_process: str, redis_env: dict[str, str]) -> None:
    from types import SimpleNamespace

    mark_tick(SimpleNamespace(settings=Settings.from_env(redis_env)))
    response = requests.get(web_process + "/readyz", timeout=10)
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]


def test_run_refuses_a_web_address_it_cannot_serve(redis_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tasks.cli", "run", "--web", f"127.0.0.1:{port}"],
            env=redis_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


@pytest.mark.parametrize("listen", ["8470", "127.0.0.1:port"])
def test_run_refuses_a_malformed_web_address(redis_env: dict[str, str], listen: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tasks.cli", "run", "--web", listen],
        env=redis_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "is not HOST:PORT" in result.stderr


def test_the_web_process_of_run_ends_when_run_is_killed(redis_env: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (tmp_path / "run.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tasks.cli", "run", "--web", f"127.0.0.1:{port}"],
            env=redis_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # SIGKILL reaches run alone, not the web process beside it
        )
    try:
        wait_for(lambda: _answers(url) or process.poll() is not None, START_TIMEOUT_S, "run's web to listen")
        assert process.poll() is None, (tmp_path / "run.log").read_text()
        process.kill()
        process.wait()
        wait_for(lambda: not _answers(url), START_TIMEOUT_S, "the orphaned web process to end")
    finally:
        if process.poll() is None:
            process.kill()
        subprocess.run(["pkill", "-KILL", "-s", str(process.pid)], check=False)  # this test's own session only
