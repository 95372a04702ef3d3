"""An alert whose send is cut short by the worker stopping (SystemExit in a Celery pool child, Ctrl-C) is given
back at once, without counting as an attempt; the stop itself goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.alerts.test_delivery import NOW, add_alerts, make_engine
from worker.pipeline import deliver_alert


class _StoppingClient:
    """The HTTP seam as it behaves when SIGTERM arrives mid-POST in a pool child: billiard raises SystemExit."""

    def __init__(self, stop: BaseException) -> None:
        self.stop = stop

    def __getattr__(self, _name: str) -> object:
        def request(*_args: object, **_kwargs: object) -> None:
            raise self.stop

        return request


@pytest.mark.parametrize("stop", [SystemExit(-241), KeyboardInterrupt()], ids=["SIGTERM", "Ctrl-C"])
def test_an_alert_cut_short_by_a_stop_is_due_again_at_once_and_not_counted(
    stop: BaseException, tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(tmp_path, httpserver, f'{{type: webhook, url: "{httpserver.url_for("/hook")}"}}')
    [alert_id] = add_alerts(engine, 1)
    monkeypatch.setattr(engine, "http", lambda: _StoppingClient(stop))
    with pytest.raises(type(stop)):
        deliver_alert(engine, alert_id, NOW)
    record = engine.store.outbox_get(alert_id)
    assert record is not None
    assert (record.state, record.claimed_until, record.attempts) == ("pending", 0, 0)
    assert engine.store.outbox_due(NOW, 10) == [alert_id]
