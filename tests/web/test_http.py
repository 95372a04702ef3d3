"""The HTTP surface over real Redis and the embedded store, on a real loopback port."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest

from tests.web.conftest import HOSTILE_TITLE, SLACK_SECRET_PATH, TOKEN, Web, add_alerts, alert
from worker.alerts.update import Update
from worker.metrics import count_poll, mark_tick, mark_worker_seen
from worker.web.actions import CSRF_COOKIE

pytestmark = pytest.mark.integration


def test_healthz_answers_while_the_process_lives(web: Web) -> None:
    response = web.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok\n")


def test_readyz_is_503_naming_beat_and_worker_before_either_ran(web: Web) -> None:
    response = web.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["beat", "worker"]
    assert body["checks"]["store"] == body["checks"]["broker"] == "ok"
    assert "never seen" in body["checks"]["beat"]


def test_readyz_is_200_once_beat_ticked_and_a_worker_answered(web: Web) -> None:
    mark_tick(_engine(web))
    mark_worker_seen(web.settings)
    response = web.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "ready": True,
        "failed": [],
        "checks": {"store": "ok", "broker": "ok", "beat": "ok", "worker": "ok"},
    }


def test_readyz_says_beat_is_late_when_its_last_tick_is_old(web: Web) -> None:
    web.tally.set_times({"last_beat_tick": time.time() - 3600, "last_worker_task": time.time()})
    body = web.get("/readyz").json()
    assert body["failed"] == ["beat"]
    assert "last seen 3600 s ago" in body["checks"]["beat"]


def test_metrics_counts_polls_from_the_store_with_prefixed_names(web: Web) -> None:
    count_poll(web.settings, "desh", "ok", 0.3, now_s=1_700_000_000)
    count_poll(web.settings, "desh", "timeout", 12.0, now_s=1_700_000_001)
    count_poll(web.settings, "videsh", "ok", 0.2, now_s=1_700_000_002)
    response = web.get("/metrics")
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    text = response.text
    assert 'khabardar_polls_total{outcome="ok"} 2.0' in text
    assert 'khabardar_polls_total{outcome="timeout"} 1.0' in text
    assert 'khabardar_poll_duration_seconds_bucket{le="0.25"} 1.0' in text
    assert 'khabardar_poll_duration_seconds_bucket{le="0.5"} 2.0' in text
    assert 'khabardar_poll_duration_seconds_bucket{le="+Inf"} 3.0' in text
    assert "khabardar_last_successful_poll_timestamp_seconds 1.700000002e+09" in text
    assert 'khabardar_feeds{health="new"} 2.0' in text
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")}
    assert names and all(name.startswith("khabardar_") for name in names), names


def test_metrics_show_the_outbox_and_its_oldest_pending_alert(web: Web) -> None:
    add_alerts(web.store, [alert(1, minutes_ago=10), alert(2, minutes_ago=1), alert(3)])
    web.store.outbox_dead(f"{3:032x}", time.time(), "gone")
    text = web.get("/metrics").text
    assert 'khabardar_outbox_alerts{state="pending"} 2.0' in text
    assert 'khabardar_outbox_alerts{state="dead"} 1.0' in text
    age = float(re.search(r"^khabardar_outbox_oldest_pending_age_seconds (\S+)$", text, re.M).group(1))  # type: ignore[union-attr]
    assert 595 <= age <= 900


def test_status_page_escapes_a_hostile_title_and_masks_the_webhook(web: Web) -> None:
    add_alerts(web.store, [alert(1, title=HOSTILE_TITLE), alert(2, minutes_ago=5)])
    html = web.get("/").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html
    assert SLACK_SECRET_PATH not in html and "hooks.slack.com" in html
    assert "<mark>पुतिन</mark>" in html or "<mark>व्लादिमीर पुतिन</mark>" in html
    assert '<svg id="alerts-chart"' in html


def test_status_page_names_an_update_as_the_update_of_its_alert(web: Web) -> None:
    first = alert(3)
    add_alerts(web.store, [first])
    update = Update.of(first.to_dict())
    web.store.outbox_rearm(update.id, update.to_dict(), time.time(), time.time())
    html = web.get("/").text
    row = re.search(rf'<tr class="alert" data-id="{re.escape(update.id)}">.*?</tr>', html, re.S)
    assert row is not None, html
    assert f"update of {first.id}" in row.group()


def test_status_page_stays_up_showing_the_error_when_redis_is_down(web_redis_down: Web) -> None:
    response = web_redis_down.get("/")
    assert response.status_code == 200
    assert 'id="errors"' in response.text and "Redis" in response.text
    assert "<svg" in response.text  # the rest of the page is drawn, empty


def test_probes_and_metrics_answer_when_redis_is_down(web_redis_down: Web) -> None:
    ready = web_redis_down.get("/readyz")
    assert ready.status_code == 503
    assert set(ready.json()["failed"]) == {"store", "broker", "beat", "worker"}
    metrics = web_redis_down.get("/metrics")
    assert metrics.status_code == 200
    assert "khabardar_store_up 0.0" in metrics.text
    assert web_redis_down.get("/healthz").status_code == 200


def test_embedded_store_serves_the_page_read_only(embedded_web: Web) -> None:
    add_alerts(embedded_web.store, [alert(1)])
    html = embedded_web.get("/").text
    assert "read-only" in html and 'action="/actions/replay"' not in html
    response = _post(embedded_web, "/actions/replay", {"alert": f"{1:032x}", "token": "", "csrf": "x"})
    assert response.status_code == 403 and "KHABARDAR_WEB_TOKEN is not set" in response.text


def _csrf(web: Web) -> tuple[str, str]:
    response = web.get("/")
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', response.text)
    assert match, "no action form on the page"
    return match.group(1), response.cookies[CSRF_COOKIE]


def _post(web: Web, path: str, form: dict[str, str], cookie: str | None = None) -> object:
    import requests

    cookies = {CSRF_COOKIE: cookie} if cookie else {}
    return requests.post(web.url + path, data=form, cookies=cookies, allow_redirects=False, timeout=10)


@pytest.mark.parametrize(
    ("token", "use_csrf", "use_cookie", "refusal"),
    [
        ("", True, True, "wrong or missing token"),
        ("not-the-token", True, True, "wrong or missing token"),
        (TOKEN, False, True, "CSRF"),
        (TOKEN, True, False, "CSRF"),
    ],
)
def test_replay_is_refused_without_the_token_or_the_csrf_pair(
    web: Web, token: str, use_csrf: bool, use_cookie: bool, refusal: str
) -> None:
    add_alerts(web.store, [alert(1)])
    web.store.outbox_dead(f"{1:032x}", time.time(), "gone")
    csrf, cookie = _csrf(web)
    form = {"alert": f"{1:032x}", "token": token, "csrf": csrf if use_csrf else ""}
    response = _post(web, "/actions/replay", form, cookie if use_cookie else None)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert refusal in response.text  # type: ignore[attr-defined]
    assert web.store.outbox_get(f"{1:032x}").state == "dead"  # type: ignore[union-attr]


def test_replay_with_token_and_csrf_makes_a_dead_alert_pending(web: Web) -> None:
    add_alerts(web.store, [alert(1)])
    web.store.outbox_dead(f"{1:032x}", time.time(), "gone")
    csrf, cookie = _csrf(web)
    response = _post(web, "/actions/replay", {"alert": f"{1:032x}", "token": TOKEN, "csrf": csrf}, cookie)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert web.store.outbox_get(f"{1:032x}").state == "pending"  # type: ignore[union-attr]


def test_reenabling_a_disabled_channel_lifts_its_flag(web: Web) -> None:
    version = web.app.loaded().version
    assert web.store.disable_channel("desk", "slack channel 'desk': 404", time.time(), version)
    assert "बंद · disabled" in web.get("/").text
    csrf, cookie = _csrf(web)
    response = _post(web, "/actions/enable-channel", {"channel": "desk", "token": TOKEN, "csrf": csrf}, cookie)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert not web.store.get_channel_state("desk").get("disabled")
    assert "बंद · disabled" not in web.get("/").text


def test_a_request_body_over_the_cap_is_refused(web: Web) -> None:
    import requests

    response = requests.post(web.url + "/actions/replay", data={"alert": "x" * 100_000}, timeout=10)
    assert response.status_code == 413


def test_get_on_an_action_is_not_allowed(web: Web) -> None:
    assert web.get("/actions/replay").status_code == 405


def _engine(web: Web) -> SimpleNamespace:
    return SimpleNamespace(settings=web.settings)  # what mark_tick needs of an engine


def test_a_client_that_sends_nothing_holds_only_its_own_connection(web: Web) -> None:
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(web.url)
    with socket.create_connection((address.hostname, address.port)) as idle:
        idle.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the end of the headers
        assert web.get("/healthz").status_code == 200
        assert web.get("/readyz").status_code == 503
