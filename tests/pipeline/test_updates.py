"""Later copies of a story shown on the alert already sent: through the outbox, coalesced, one version once; on a
real store and story index, against loopback Discord, webhook and Slack endpoints."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.stories.articles import BRIDGE, BRIDGE_TITLE, respelled
from worker.alerts.digest import Digest
from worker.alerts.model import Alert
from worker.pipeline import Engine, deliver_alert
from worker.pipeline.poll import ArticleJob
from worker.pipeline.process import process_article
from worker.pipeline.updates import UPDATE_COALESCE_S, request_update, shown_with_copies
from worker.settings import Settings
from worker.store import SqliteStore

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
T0 = NOW.timestamp()
DISCORD = "/api/webhooks/1/update-token"
MESSAGE_ID = "1180000000000000001"
CONFIG = """\
channels:
  discord: {{type: discord, url: "{base}{discord}"}}
  hook: {{type: webhook, url: "{base}/hook", secret: "update-secret"}}
  slack: {{type: slack, url: "{base}/slack"}}
fetch:
  allow_hosts: ["127.0.0.1:{port}"]
watchlists:
  - name: leaders
    channels: [{channels}]
    entities:
      - {{id: modi, kind: leader, names: [नरेंद्र मोदी, मोदी]}}
"""


class Sink:
    """Every request the loopback platforms received: (channel, method, path, JSON body, webhook-id)."""

    def __init__(self, server: HTTPServer) -> None:
        self.requests: list[tuple[str, str, str, dict[str, Any], str]] = []
        self.during_send: Callable[[], None] | None = None
        server.expect_request(DISCORD, method="POST").respond_with_handler(self._handler("discord", {"id": MESSAGE_ID}))
        server.expect_request(f"{DISCORD}/messages/{MESSAGE_ID}", method="PATCH").respond_with_handler(
            self._handler("discord", {"id": MESSAGE_ID})
        )
        server.expect_request("/hook", method="POST").respond_with_handler(self._handler("hook", None))
        server.expect_request("/slack", method="POST").respond_with_handler(self._handler("slack", None))

    def _handler(self, channel: str, answer: dict[str, Any] | None) -> Callable[[Request], Response]:
        def handle(request: Request) -> Response:
            body = json.loads(request.get_data())
            self.requests.append((channel, request.method, request.path, body, request.headers.get("webhook-id", "")))
            if self.during_send is not None:
                self.during_send()
            return Response(json.dumps(answer) if answer else "ok", 200, content_type="application/json")

        return handle

    def of(self, channel: str) -> list[tuple[str, str, dict[str, Any], str]]:
        return [(method, path, body, wid) for name, method, path, body, wid in self.requests if name == channel]


@pytest.fixture
def sink(httpserver: HTTPServer) -> Sink:
    return Sink(httpserver)


def _engine(tmp_path: Path, httpserver: HTTPServer, channels: str = "discord, hook, slack") -> Engine:
    path = tmp_path / "khabardar.yaml"
    base = httpserver.url_for("").rstrip("/")
    path.write_text(
        CONFIG.format(base=base, discord=DISCORD, port=httpserver.port, channels=channels), encoding="utf-8"
    )
    return Engine(Settings(path, tmp_path / "var", None, "khabardar", "INFO"), store=SqliteStore(tmp_path / "var"))


def _job(httpserver: HTTPServer, path: str, title: str, text: str, outlet: str) -> ArticleJob:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    page = (
        f"<html><head><title>{html.escape(title)}</title><meta property='og:site_name' content='{outlet}'></head>"
        f"<body><article><h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
    )
    httpserver.expect_request(path).respond_with_data(page, content_type="text/html")
    return ArticleJob("feed", httpserver.url_for(path), httpserver.url_for(path), title, "", NOW.isoformat())


COPIES = [
    ("/amar/pul", "गंगा पर छह लेन का पुल जनता को समर्पित", "अमर उजाला"),
    ("/lh/pul", "बिहार में गंगा पर नया पुल खुला", "लाइव हिन्दुस्तान"),
    ("/nbt/pul", "पटना में नए पुल का उद्घाटन", "नवभारत टाइम्स"),
]


def _first_alerts(engine: Engine, httpserver: HTTPServer) -> dict[str, Alert]:
    first = _job(httpserver, "/jagran/pul", BRIDGE_TITLE, BRIDGE, "दैनिक जागरण")
    return {alert.channel: alert for alert in process_article(engine, first, NOW)}


def _fold(engine: Engine, httpserver: HTTPServer, copies: list[tuple[str, str, str]]) -> list[str]:
    updates: list[str] = []
    for path, title, outlet in copies:
        job = _job(httpserver, path, title, respelled(BRIDGE), outlet)
        assert process_article(engine, job, NOW, on_update=updates.append) == []
    return updates


def _deliver_all(engine: Engine, alerts: dict[str, Alert], now_s: float) -> None:
    for alert in alerts.values():
        assert deliver_alert(engine, alert.id, now_s).state == "sent"


def test_copies_of_a_sent_alert_make_one_edit_per_platform_that_can_edit_and_none_elsewhere(
    tmp_path: Path, httpserver: HTTPServer, sink: Sink
) -> None:
    engine = _engine(tmp_path, httpserver)
    alerts = _first_alerts(engine, httpserver)
    _deliver_all(engine, alerts, T0)
    assert engine.store.outbox_get(alerts["discord"].id).receipt == MESSAGE_ID  # type: ignore[union-attr]
    assert sink.of("discord")[0][1] == DISCORD and "also_in" not in sink.of("hook")[0][2]

    updates = _fold(engine, httpserver, COPIES)  # a burst: three copies within the coalescing window
    assert sorted(updates) == sorted(f"{alerts[name].id}.update" for name in ("discord", "hook"))  # not Slack
    for update in updates:
        assert deliver_alert(engine, update, T0 + 1).state == "skipped"  # not due: the window is open
        assert deliver_alert(engine, update, T0 + UPDATE_COALESCE_S).state == "sent"

    [(method, path, body, _)] = sink.of("discord")[1:]
    assert (method, path) == ("PATCH", f"{DISCORD}/messages/{MESSAGE_ID}")
    assert "और भी: अमर उजाला, लाइव हिन्दुस्तान, नवभारत टाइम्स" in body["embeds"][0]["footer"]["text"]
    [(_, _, posted, webhook_id)] = sink.of("hook")[1:]
    assert posted["type"] == "alert.updated" and posted["id"] == alerts["hook"].id
    assert [copy["outlet"] for copy in posted["also_in"]] == [outlet for _, _, outlet in COPIES]
    assert webhook_id == f"{alerts['hook'].id}.v3"
    assert len(sink.of("slack")) == 1  # recorded, never posted again


def test_an_alert_not_sent_yet_goes_out_with_its_copies_and_needs_no_edit(
    tmp_path: Path, httpserver: HTTPServer, sink: Sink
) -> None:
    engine = _engine(tmp_path, httpserver, channels="hook")
    alerts = _first_alerts(engine, httpserver)
    assert _fold(engine, httpserver, COPIES[:2]) == []  # pending: only recorded
    outcome = deliver_alert(engine, alerts["hook"].id, T0)
    assert (outcome.state, outcome.update_id) == ("sent", None)
    [(_, _, body, _)] = sink.of("hook")
    assert body["type"] == "alert.created" and [copy["outlet"] for copy in body["also_in"]] == [
        "अमर उजाला",
        "लाइव हिन्दुस्तान",
    ]
    assert engine.store.outbox_get(f"{alerts['hook'].id}.update") is None


def test_a_copy_folded_while_the_alert_is_being_sent_is_shown_by_an_update(
    tmp_path: Path, httpserver: HTTPServer, sink: Sink
) -> None:
    engine = _engine(tmp_path, httpserver, channels="hook")
    alerts = _first_alerts(engine, httpserver)
    copy = {"url": "https://x.example/amar", "outlet": "अमर उजाला", "title": "पुल", "published": None}
    sink.during_send = lambda: engine.stories().add_update(alerts["hook"].id, copy, T0)
    outcome = deliver_alert(engine, alerts["hook"].id, T0)  # the copy's own request saw the alert still pending
    assert outcome.update_id == f"{alerts['hook'].id}.update"
    sink.during_send = None
    assert deliver_alert(engine, outcome.update_id, T0 + UPDATE_COALESCE_S).state == "sent"
    assert [body["type"] for _, _, body, _ in sink.of("hook")] == ["alert.created", "alert.updated"]


def test_one_version_of_an_update_is_never_sent_twice(tmp_path: Path, httpserver: HTTPServer, sink: Sink) -> None:
    engine = _engine(tmp_path, httpserver, channels="hook")
    alerts = _first_alerts(engine, httpserver)
    _deliver_all(engine, alerts, T0)
    [update] = _fold(engine, httpserver, COPIES[:1])
    assert deliver_alert(engine, update, T0 + UPDATE_COALESCE_S).state == "sent"
    # asked again with nothing new (a retried task, a second worker's request): recorded as done, not posted
    assert request_update(engine, alerts["hook"].id, T0 + 20) == update
    assert deliver_alert(engine, update, T0 + 20 + UPDATE_COALESCE_S).state == "skipped"
    assert [wid for _, _, _, wid in sink.of("hook")] == [alerts["hook"].id, f"{alerts['hook'].id}.v1"]
    # a later copy is a new version: one more POST, with its own webhook-id
    assert _fold(engine, httpserver, COPIES[1:2]) == [update]
    assert deliver_alert(engine, update, T0 + 60).state == "sent"
    assert [wid for _, _, _, wid in sink.of("hook")][-1] == f"{alerts['hook'].id}.v2"


def test_an_update_of_a_message_deleted_in_the_channel_is_dead_and_the_channel_stays_enabled(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    engine = _engine(tmp_path, httpserver, channels="discord")
    httpserver.expect_request(DISCORD, method="POST").respond_with_json({"id": "77"})
    httpserver.expect_request(f"{DISCORD}/messages/77", method="PATCH").respond_with_json(
        {"message": "Unknown Message", "code": 10008}, status=404
    )
    alerts = _first_alerts(engine, httpserver)
    _deliver_all(engine, alerts, T0)
    [update] = _fold(engine, httpserver, COPIES[:1])
    assert deliver_alert(engine, update, T0 + UPDATE_COALESCE_S).state == "dead"
    assert not engine.store.get_channel_state("discord").get("disabled")


def test_a_digest_shows_the_copies_of_its_stories_unless_a_part_of_it_went_already(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    engine = _engine(tmp_path, httpserver, channels="hook")
    alert = _first_alerts(engine, httpserver)["hook"]
    copy = {"url": "https://x.example/amar", "outlet": "अमर उजाला", "title": "पुल", "published": None}
    engine.stories().add_update(alert.id, copy, T0)
    digest = Digest("digest-1", "leaders", "hook", "quiet_hours", "w", (alert.to_dict(),))
    shown = shown_with_copies(engine, digest, T0)
    assert isinstance(shown, Digest) and shown.alerts[0]["also_in"] == [copy]
    engine.store.mark_digest_part_sent("digest-1", 0)  # its parts were cut before: they stay as they were
    assert shown_with_copies(engine, digest, T0) == digest


def test_a_copy_folded_while_an_update_is_being_sent_makes_the_next_version(
    tmp_path: Path, httpserver: HTTPServer, sink: Sink
) -> None:
    engine = _engine(tmp_path, httpserver, channels="hook")
    alerts = _first_alerts(engine, httpserver)
    _deliver_all(engine, alerts, T0)
    [update] = _fold(engine, httpserver, COPIES[:1])
    late = {"url": "https://x.example/late", "outlet": "नवभारत टाइम्स", "title": "पुल", "published": None}
    sink.during_send = lambda: engine.stories().add_update(alerts["hook"].id, late, T0 + 5)
    outcome = deliver_alert(engine, update, T0 + UPDATE_COALESCE_S)  # shows one copy; the second came meanwhile
    assert (outcome.state, outcome.update_id) == ("sent", update)
    sink.during_send = None
    assert deliver_alert(engine, update, T0 + 2 * UPDATE_COALESCE_S).state == "sent"
    shown = [[copy["outlet"] for copy in body.get("also_in", [])] for _, _, body, _ in sink.of("hook")]
    assert shown == [[], ["अमर उजाला"], ["अमर उजाला", "नवभारत टाइम्स"]]
