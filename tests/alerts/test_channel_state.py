"""The channel state delivery keeps, on both stores: every failed send leaves its error for `khabardar channels`,
and a send finishing while another worker disables the channel cannot erase the disable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tasks.operator import channels_table
from tests.alerts.fakes import PLATFORM_SUCCESS
from tests.alerts.test_delivery import NOW, add_alerts, channel_yaml, make_engine
from worker.pipeline import Engine, deliver_alert
from worker.pipeline.deliver import disable_channel
from worker.store import RedisStore, SqliteStore, Store

SLACK_PATH = "/services/T1/B1/x"


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened: Store = SqliteStore(tmp_path / "var")
    else:
        opened = RedisStore(request.getfixturevalue("redis_url"), prefix=request.getfixturevalue("redis_prefix"))
    yield opened
    opened.close()


def last_error_cell(engine: Engine) -> str:
    [cell] = channels_table(engine.loaded, engine.store, now_s=NOW).columns[-1].cells
    return str(cell)


@pytest.mark.parametrize(
    ("status", "body", "shown"),
    [(500, "internal_error", "answered 500 (internal_error)"), (404, "no_service", "answered 404 (no_service)")],
    ids=["transient", "permanent"],
)
def test_every_failed_send_leaves_its_error_for_the_channels_table(
    status: int, body: str, shown: str, store: Store, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(SLACK_PATH, method="POST").respond_with_data(body, status=status)
    engine = make_engine(tmp_path, httpserver, channel_yaml("slack", httpserver, SLACK_PATH), store=store)
    [alert_id] = add_alerts(engine, 1)
    deliver_alert(engine, alert_id, NOW)
    state = engine.store.get_channel_state("desk")
    assert shown in state.get("last_error", "") and state.get("last_error_at") == NOW
    assert shown in last_error_cell(engine)
    assert SLACK_PATH not in last_error_cell(engine)  # the webhook's secret path never reaches the table


class RacingStore:
    """The store as one worker sees it, while another worker acts right after this one's next channel-state step
    (reading it or changing it): the moment a read-modify-write of the whole record would lose the other's write."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.race: Callable[[], None] | None = None

    def __getattr__(self, name: str) -> Any:
        step = getattr(self.store, name)
        if "channel" not in name:
            return step

        def then_race(*args: Any, **kwargs: Any) -> Any:
            result = step(*args, **kwargs)
            race, self.race = self.race, None
            if race is not None:
                race()
            return result

        return then_race


def test_a_disable_landing_while_a_send_is_counted_survives(
    store: Store, tmp_path: Path, httpserver: HTTPServer
) -> None:
    racing = RacingStore(store)
    engine = make_engine(tmp_path, httpserver, channel_yaml("slack", httpserver, SLACK_PATH), store=racing)  # type: ignore[arg-type]
    other_worker = make_engine(tmp_path, httpserver, channel_yaml("slack", httpserver, SLACK_PATH), store=store)

    def platform(_request: Request) -> Response:
        # The alert is delivered; before this worker counts it, another worker's permanent error disables the channel.
        racing.race = lambda: disable_channel(other_worker, "desk", "slack answered 404 (no_service)", NOW)
        return PLATFORM_SUCCESS["slack"]()

    httpserver.expect_request(SLACK_PATH, method="POST").respond_with_handler(platform)
    [alert_id] = add_alerts(engine, 1)
    assert deliver_alert(engine, alert_id, NOW).state == "sent"
    state = store.get_channel_state("desk")
    assert state.get("disabled") and state.get("sent_today") == 1
    assert "DISABLED" in channels_table(engine.loaded, store, now_s=NOW).columns[2].cells


def test_a_429_from_a_platform_without_rate_limits_holds_its_other_alerts_back(
    store: Store, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "20"}
    )
    engine = make_engine(tmp_path, httpserver, f'{{type: webhook, url: "{httpserver.url_for("/hook")}"}}', store=store)
    refused, waiting = add_alerts(engine, 2)
    assert deliver_alert(engine, refused, NOW).retry_in_s == 20.0
    held = deliver_alert(engine, waiting, NOW + 5)
    assert (held.state, held.retry_in_s) == ("retry", 15.0)
    assert len(httpserver.log) == 1
