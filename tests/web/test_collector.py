"""/metrics when the store hangs: the scrape still answers, saying the store did not."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from prometheus_client import generate_latest

from tests.web.conftest import write_config
from worker.config import load_config
from worker.metrics.tally import SqliteTally
from worker.web.collector import KhabardarCollector, registry_for


class HungStore:
    def __init__(self, released: threading.Event) -> None:
        self._released = released

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self._released.wait()


def test_scrape_answers_with_store_up_zero_when_the_store_hangs(tmp_path: Path) -> None:
    loaded = load_config(write_config(tmp_path))
    tally = SqliteTally(tmp_path)
    tally.add({'["polls",[["outcome","ok"]]]': 3})
    released = threading.Event()
    collector = KhabardarCollector(lambda: loaded, lambda: HungStore(released), lambda: tally)  # type: ignore[arg-type,return-value]
    try:
        text = generate_latest(registry_for(collector)).decode()
    finally:
        released.set()
    assert "khabardar_store_up 0.0" in text
    assert 'khabardar_polls_total{outcome="ok"} 3.0' in text  # the counters, kept apart, still come through
    assert "khabardar_outbox_alerts{" not in text
