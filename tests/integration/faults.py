"""Tools for fault tests: a recording webhook that can fail or stall, a Discord that enforces its rate limit, an
outbox seeded with alerts, a checker, and the tally each scenario reports."""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from werkzeug import Request, Response

from tests.alerts.fakes import discord_check, json_response
from worker.alerts.model import Alert, AlertMatch, ArticleSummary
from worker.alerts.update import Update
from worker.alerts.webhook import update_message_id
from worker.store import HeldAlert, Store
from worker.stories import StoryIndex

TALLY_FILE_VARIABLE = "KHABARDAR_FAULT_TALLY"  # when set, each scenario appends its tally there as a JSON line
ALERT_URL = "https://example.org/alerts/"  # + the alert id: how a platform without ids tells alerts apart


@dataclass
class Hook:
    """A webhook receiver: records every alert id it is sent; can answer 500 for a while or stall on purpose."""

    fail_until: float = 0.0  # monotonic time before which every POST gets 500
    fail_for_s: float = 0.0  # an outage that starts with the first POST and lasts this long (sets fail_until)
    stall_first_s: float = 0.0  # the first POST waits this long before answering 200
    received: list[str] = field(default_factory=list)
    webhook_ids: list[str] = field(default_factory=list)  # the webhook-id of every POST taken (signed channels)
    refused: list[str] = field(default_factory=list)  # ids answered 500
    times: list[float] = field(default_factory=list)
    stalled: threading.Event = field(default_factory=threading.Event)
    digests: list[tuple[str, int, list[str]]] = field(default_factory=list)  # (digest id, part, alert ids)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data())
        alert_id = body["id"]
        webhook_id = request.headers.get("webhook-id", "")
        with self.lock:
            if self.fail_for_s and not self.fail_until:
                self.fail_until = time.monotonic() + self.fail_for_s
            if body.get("type") == "digest":  # a digest carries alerts: each counts as received
                self.digests.append((body["id"], body.get("part", 1), [alert["id"] for alert in body["alerts"]]))
            first = not self.received and not self.stalled.is_set()
            if first and self.stall_first_s:
                self.stalled.set()
        if first and self.stall_first_s:
            with self.lock:
                self.received.append(alert_id)
                self.webhook_ids.append(webhook_id)
            time.sleep(self.stall_first_s)
            return Response("", 200)
        if time.monotonic() < self.fail_until:
            with self.lock:
                self.refused.append(alert_id)
            return Response("temporarily broken", 500)
        with self.lock:
            self.received.append(alert_id)
            self.webhook_ids.append(webhook_id)
            self.times.append(time.monotonic())
        return Response("", 200)


@dataclass
class FakeDiscord:
    """A Discord webhook with Discord's rate limit: a bucket of ``limit`` sends that resets ``period_s`` after the
    first send into it. Past that it answers 429 the way Discord does (``retry_after`` in the JSON body, the
    ``X-RateLimit-*`` and ``Retry-After`` headers). Records the alert id and arrival time of every accepted post."""

    limit: int = 5
    period_s: float = 2.0
    received: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    too_many: int = 0  # posts answered 429
    lock: threading.Lock = field(default_factory=threading.Lock)
    _reset_at: float = 0.0
    _used: int = 0

    def __call__(self, request: Request) -> Response:
        payload = json.loads(request.get_data())
        rejection = discord_check(payload)
        if rejection is not None:
            return rejection
        with self.lock:
            now = time.monotonic()
            if now >= self._reset_at:
                self._reset_at, self._used = now + self.period_s, 0
            reset_after_s = self._reset_at - now
            if self._used >= self.limit:
                self.too_many += 1
                return self._too_many(reset_after_s)
            self._used += 1
            self.received.append(payload["embeds"][0]["url"].removeprefix(ALERT_URL))
            self.times.append(now)
            return Response(status=204, headers=self._headers(reset_after_s))

    def _headers(self, reset_after_s: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.limit - self._used),
            "X-RateLimit-Reset": f"{time.time() + reset_after_s:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after_s:.3f}",
            "X-RateLimit-Bucket": "fake-webhook-bucket",
        }

    def _too_many(self, reset_after_s: float) -> Response:
        body = {"message": "You are being rate limited.", "retry_after": round(reset_after_s, 3), "global": False}
        headers = {**self._headers(reset_after_s), "Retry-After": str(math.ceil(reset_after_s))}
        return json_response(429, body, **headers, **{"X-RateLimit-Scope": "user"})


def most_in_any_window(times: list[float], window_s: float) -> int:
    """The largest number of ``times`` inside any closed interval ``window_s`` long."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] > window_s:
            start += 1
        most = max(most, end - start + 1)
    return most


@dataclass(frozen=True)
class Tally:
    expected: int
    received: int
    lost: int
    duplicates: int


def tally(expected: set[str], received: list[str]) -> Tally:
    unique = set(received) & expected
    return Tally(len(expected), len(received), len(expected - unique), len(received) - len(set(received)))


def report(scenario: str, result: Tally, note: str = "") -> None:
    """Print the scenario's tally (seen with ``pytest -s``) and append it to the tally file when one is named."""
    row = {"scenario": scenario, **asdict(result), "note": note}
    print(f"\nfault tally: {json.dumps(row, ensure_ascii=False)}")
    path = os.environ.get(TALLY_FILE_VARIABLE)
    if path:
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def fault_alert(alert_id: str, number: int, *, channel: str = "hook", outlet: str = "faults") -> Alert:
    """Alert number ``number`` of a fault scenario: a पुतिन match of the watch-list ``world``."""
    article = ArticleSummary(
        url=f"{ALERT_URL}{alert_id}",
        title=f"पुतिन-किम वार्ता {number}",
        source="faults",
        outlet=outlet,
        published=datetime.now(UTC),
        snippet="पुतिन ने किम जोंग उन से मुलाकात की।",
    )
    return Alert(alert_id, "world", channel, article, (AlertMatch("putin", "leader", 1, ("पुतिन",)),))


def seed_alerts(store: Store, count: int, *, channel: str = "hook", prefix: str = "fault") -> set[str]:
    ids = set()
    for number in range(count):
        alert = fault_alert(f"{prefix}-{number}", number, channel=channel)
        store.outbox_add(alert.id, alert.to_dict(), time.time())
        ids.add(alert.id)
    return ids


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def kill_hard(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnRedis:
    """A redis-server of the test's own (never the shared one), with AOF, that can be restarted."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--dir",
            str(self.directory),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("own redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def digest_tally(expected: set[str], hook: Hook) -> tuple[Tally, int]:
    """Alerts received in digests (a part POSTed again, as after a crash mid-POST, counts once: it carries the same
    webhook-id), and how many distinct digests carried them."""
    parts = {(digest_id, part): ids for digest_id, part, ids in hook.digests}
    received = [alert_id for ids in parts.values() for alert_id in ids]
    return tally(expected, received), len({digest_id for digest_id, _part in parts})


def seed_held(store: Store, count: int, group: str = "world/hook") -> set[str]:
    """``count`` alerts held in ``group``, released at once by a config without holds (the fault config has none)."""
    ids = set()
    for number in range(count):
        alert = fault_alert(f"held-{number}", number, outlet=f"outlet-{number % 7}")
        store.flow_hold(HeldAlert(alert.id, group, alert.to_dict(), "quiet_hours", time.time(), 0.0))
        ids.add(alert.id)
    return ids


def seed_updates(store: Store, stories: StoryIndex, count: int, *, copies: int = 3) -> dict[str, str]:
    """``count`` alerts already sent to ``hook``, each with ``copies`` later copies of its story recorded and its
    update pending, due now: {update's outbox id: the webhook-id its one version is sent with}."""
    expected = {}
    alert_ids = sorted(seed_alerts(store, count, prefix="story"))
    now = time.time()
    for alert_id in alert_ids:
        record = store.outbox_claim(alert_id, now, 60.0)
        assert record is not None
        store.outbox_sent(alert_id, now)
        for number in range(copies):
            copy = {"url": f"{ALERT_URL}{alert_id}/copy-{number}", "outlet": f"outlet-{number}", "title": "पुतिन"}
            stories.add_update(alert_id, {**copy, "published": None}, now)
        update = Update.of(record.alert)
        store.outbox_rearm(update.id, update.to_dict(), now, now)
        expected[update.id] = update_message_id(alert_id, copies)
    return expected
