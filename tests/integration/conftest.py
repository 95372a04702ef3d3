"""Integration fixtures: a loopback site, a config pointing at it, and a real Celery worker on real Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import khabardar_env
from tests.integration.site import Item, Site, article_page, corpus_paragraphs

SEED_FILE = "seed/jagran-putin-kim-summit.txt"
WORKER_START_TIMEOUT_S = 60.0
WORKER_STOP_TIMEOUT_S = 20.0
KHABARDAR_RUN_TIMEOUT_S = 180
SEED_TITLE = "व्लादीवोस्तक में पुतिन और किम की पहली शिखर वार्ता"
MODINAGAR_TITLE = "मोदीनगर में ट्रंपेट बजाकर निकली बारात, बादशाह की तरह सजा दूल्हा"


@pytest.fixture
def site(httpserver: HTTPServer) -> Site:
    return Site(httpserver)


@pytest.fixture
def news(site: Site, corpus_dir: Path) -> Site:
    """Two feeds on the loopback site: the seed article is in both, a मोदीनगर story must alert nobody."""
    site.serve_page("/a/putin-kim.html", article_page(SEED_TITLE, corpus_paragraphs(corpus_dir / SEED_FILE)))
    site.serve_page(
        "/a/modinagar.html",
        article_page(
            MODINAGAR_TITLE,
            [
                "मोदीनगर के पुराने बाजार में शनिवार रात एक बारात निकली, जिसमें बैंड वालों ने ट्रंपेट पर फिल्मी धुनें बजाईं।",
                "दूल्हे को बादशाह की तरह सजाया गया था और बारातियों ने देर रात तक नृत्य किया।",
            ],
        ),
    )
    site.serve_page(
        "/a/mausam.html",
        article_page("दिल्ली में बारिश से मौसम सुहाना", ["राजधानी में सुबह से रुक-रुक कर बारिश होती रही।"]),
    )
    site.serve_feed(
        "/feeds/world.xml",
        [Item(SEED_TITLE, "/a/putin-kim.html"), Item(MODINAGAR_TITLE, "/a/modinagar.html")],
    )
    site.serve_feed(
        "/feeds/desh.xml",
        [Item(SEED_TITLE, "/a/putin-kim.html?utm_source=rss"), Item("दिल्ली में बारिश", "/a/mausam.html")],
        etag='"desh-v1"',
    )
    return site


FEED_INTERVAL_S = 10  # the shortest the config allows, so a test can poll again once the poll lock lapses


def write_config(path: Path, site: Site, *, feeds: list[tuple[str, str]], extra: str = "") -> Path:
    feed_lines = "\n".join(
        f'  - {{name: {name}, url: "{site.base}{path}", interval: {FEED_INTERVAL_S}s}}' for name, path in feeds
    )
    channels = list(site.received)
    path.write_text(
        f"""feeds:
{feed_lines}
channels:
{site.channels_yaml()}
fetch:
  allow_hosts: ["{site.host}"]
watchlists:
  - name: world-leaders
    channels: [{", ".join(channels)}]
    entities:
      - {{id: putin, kind: leader, names: [व्लादिमीर पुतिन, पुतिन, Vladimir Putin]}}
      - id: kim-jong-un
        kind: leader
        names: [किम जोंग उन, Kim Jong Un]
        short_names: [किम]
        exclude: [किम जोंग इल, किम जोंग द्वितीय]
      - {{id: trump, kind: leader, names: [डोनाल्ड ट्रंप, ट्रंप, Trump]}}
      - {{id: nuclear-talks, kind: topic, query: "(परमाणु OR nuclear) AND (वार्ता OR बातचीत)"}}
  - name: india
    channels: [webhook]
    entities:
      - {{id: modi, kind: leader, names: [नरेंद्र मोदी, मोदी]}}
      - {{id: shah, kind: leader, names: [अमित शाह, शाह]}}
{extra}""",
        encoding="utf-8",
    )
    return path


FEEDS = [("world", "/feeds/world.xml"), ("desh", "/feeds/desh.xml")]


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def run_khabardar(config: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``khabardar ARGS`` to the end, with ``config`` and ``data_dir`` and no KHABARDAR_ setting of the machine's."""
    return subprocess.run(
        [sys.executable, "-m", "tasks.cli", *args],
        env=khabardar_env(data_dir, config),
        capture_output=True,
        text=True,
        timeout=KHABARDAR_RUN_TIMEOUT_S,
        check=False,
    )


def stop(process: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """SIGTERM, then wait ``timeout_s``; a process still running then is killed. True when it stopped by itself."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False
    return True


@pytest.fixture
def worker_env(tmp_path: Path, redis_url: str, redis_prefix: str) -> dict[str, str]:
    return {
        **os.environ,
        "KHABARDAR_REDIS_URL": redis_url,
        "KHABARDAR_REDIS_PREFIX": redis_prefix,
        "KHABARDAR_DATA_DIR": str(tmp_path / "var"),
        "KHABARDAR_LOG_LEVEL": "DEBUG",
    }


@pytest.fixture
def start_worker(tmp_path: Path, worker_env: dict[str, str]) -> Iterator[Callable[[Path], Path]]:
    """Start a real Celery worker (prefork, two children) on real Redis; returns the path of its log."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(config: Path, *extra: str) -> Path:
        """``extra`` goes to celery worker (``-B`` runs beat inside it)."""
        log_path = tmp_path / f"worker-{len(processes)}.log"
        env = {**worker_env, "KHABARDAR_CONFIG": str(config)}
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tasks.app",
            "worker",
            "--loglevel=DEBUG",
            "--concurrency=2",
            "--queues=poll,articles,alerts",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=test-{len(processes)}@%h",
            *extra,
        ]
        with log_path.open("wb") as log:
            processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
        wait_for(lambda: b"ready." in log_path.read_bytes(), WORKER_START_TIMEOUT_S, "the Celery worker to start")
        return log_path

    yield start
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(WORKER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
