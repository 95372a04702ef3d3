"""`ingest.process_article` queues a delivery only for an alert that is due: a held alert (quiet hours, a burst, a
digest schedule) waits in the outbox for its digest, and `khabardar_alerts_held_total{reason}` counts it."""

from __future__ import annotations

import html
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_httpserver import HTTPServer

import tasks.ingest
import tasks.runtime
from tests.stories.articles import SUMMIT, SUMMIT_TITLE
from worker.metrics import names, tally_for
from worker.metrics.tally import field
from worker.pipeline import ArticleJob, Engine
from worker.pipeline.deliver import deliver_alert
from worker.settings import Settings

CONFIG = """\
channels:
  desk: {{type: console}}
fetch:
  allow_hosts: ["127.0.0.1:{port}"]
watchlists:
  - name: leaders
    channels: [desk]
{delivery}    entities:
      - {{id: modi, kind: leader, names: [नरेंद्र मोदी, मोदी]}}
"""
ALWAYS_HELD = "    delivery: {digest: {every: 1h}}\n"  # held at any hour, unlike quiet hours


@pytest.fixture
def sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The alert ids the task queues for delivery (the queue is the one seam faked); the worker's engine is built
    from this test's environment."""
    monkeypatch.delenv("KHABARDAR_REDIS_URL", raising=False)
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("KHABARDAR_CONFIG", str(tmp_path / "khabardar.yaml"))
    monkeypatch.setattr(tasks.runtime, "_engine", None)
    queued: list[str] = []
    monkeypatch.setattr(tasks.ingest, "deliver", SimpleNamespace(delay=queued.append))
    return queued


def _article(tmp_path: Path, httpserver: HTTPServer, delivery: str) -> ArticleJob:
    (tmp_path / "khabardar.yaml").write_text(CONFIG.format(port=httpserver.port, delivery=delivery), encoding="utf-8")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in SUMMIT.split("\n\n"))
    page = f"<html><head><title>{SUMMIT_TITLE}</title></head><body><article><h1>{SUMMIT_TITLE}</h1>{paragraphs}"
    httpserver.expect_request("/japan").respond_with_data(page + "</article></body></html>", content_type="text/html")
    url = httpserver.url_for("/japan")
    return ArticleJob("feed", url, url, SUMMIT_TITLE, "", None)


def _held_count(reason: str) -> float:
    return tally_for(Settings.from_env()).counters().get(field(names.HELD.name, {"reason": reason}), 0)


def test_a_held_alert_queues_no_delivery_and_is_counted_as_held(
    tmp_path: Path, httpserver: HTTPServer, sent: list[str]
) -> None:
    tasks.ingest.process(_article(tmp_path, httpserver, ALWAYS_HELD).to_dict())
    assert sent == []
    assert [held.alert["watchlist"] for held in tasks.runtime.engine().store.flow_held()] == ["leaders"]
    assert _held_count("schedule") == 1


def test_a_due_alert_queues_its_delivery(tmp_path: Path, httpserver: HTTPServer, sent: list[str]) -> None:
    tasks.ingest.process(_article(tmp_path, httpserver, "").to_dict())
    assert len(sent) == 1 and tasks.runtime.engine().store.outbox_get(sent[0]) is not None
    assert _held_count("schedule") == 0


def test_an_alert_held_when_it_is_claimed_is_counted_as_held(
    tmp_path: Path, httpserver: HTTPServer, sent: list[str]
) -> None:
    tasks.ingest.process(_article(tmp_path, httpserver, "").to_dict())
    (tmp_path / "khabardar.yaml").write_text(
        CONFIG.format(port=httpserver.port, delivery=ALWAYS_HELD), encoding="utf-8"
    )  # a digest schedule begins before the alert is sent
    engine = Engine(Settings.from_env())
    assert deliver_alert(engine, sent[0], time.time()).detail == "held: it goes out in a digest"
    assert _held_count("schedule") == 1
