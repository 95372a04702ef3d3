"""Polling 1,000 feeds on loopback hosts with two Celery worker processes and a beat on Redis, against a plain
requests.get loop over the same URLs.

    python benchmarks/polling.py [FEEDS]

The feeds are spread over 100 loopback "hosts" (ports) and mixed: most answer 304 to a conditional GET, some
publish an item on every request (200), some are slow, some fail, some change their ETag but not their body. It
prints the time for one full round (every feed polled once from a cold start), CPU ms per 304 poll and per 200
poll (all worker and beat processes' CPU over a phase where nearly every poll is of that kind, divided by the
polls), the 304 share of the mixed phase, the scheduling lag (a poll's start minus its due time) and the
duplicate polls (requests the server saw minus polls recorded). The plain loop does the same requests (and
parses the 200s) with no scheduler, store, guard or politeness: the ratios are what those cost.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import redis
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker.feeds import parse_feed
from worker.store import RedisStore

REDIS_URL = os.environ.get("KHABARDAR_BENCH_POLLING_REDIS_URL", "redis://127.0.0.1:6379/13")
DEFAULT_FEEDS = 1_000
HOSTS = 100
INTERVAL_S = 20
WORKERS = 2
CONCURRENCY = 8  # per worker process
SLOW_S = 1.5
ITEMS = 20
ITEM_SPACING_S = 30  # the feeds publish often, so their polling interval stays the configured one
PHASE_S = 30.0
SETTLE_S = 4.0  # polls still running from the previous phase
DRAIN_S = 10.0  # after beat stops: polls dispatched ahead (one tick) and slow ones finish
SNAPSHOT_EVERY_S = 0.5
ROUND_TIMEOUT_S = 180.0
READY_TIMEOUT_S = 60.0
PLAIN_CPU_SAMPLE = 300  # feeds the plain loop times one by one for its CPU per request
CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
# kind of feed by number % 20: 12 answer 304 once polled, 4 publish on every request, 2 are slow, 1 fails, and
# 1 sends a new ETag with the same body every time
KINDS = ["static"] * 12 + ["changing"] * 4 + ["slow"] * 2 + ["failing", "etag-liar"]
MIXED, ALL_304, ALL_200 = 0, 1, 2  # server modes
DESCRIPTION = "राजधानी में आज सुबह से रुक-रुक कर बारिश होती रही और मौसम विभाग ने अगले दो दिनों के लिए चेतावनी जारी की। " * 3


def kind(number: int) -> str:
    return KINDS[number % len(KINDS)]


# --- the loopback feed server, in a process of its own so its CPU is nobody's measurement ---


class FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode: Any
    hits: Any
    versions: ClassVar[dict[int, int]] = {}
    lock = threading.Lock()
    epoch = datetime.now(UTC) - timedelta(hours=3)  # every item older than the feeds' max_age: recorded, no alert

    def do_GET(self) -> None:
        number = int(self.path.removeprefix("/feed/").removesuffix(".xml"))
        with self.lock:
            self.hits[number] += 1
        feed_kind = kind(number)
        if feed_kind == "slow":
            time.sleep(SLOW_S)
        if feed_kind == "failing":
            self._fail(number)
            return
        version, etag = self._version(number, feed_kind)
        if self.headers.get("If-None-Match") == etag:
            self._answer(304, b"", etag)
        else:
            self._answer(200, rss(number, version, self.epoch), etag)

    def _version(self, number: int, feed_kind: str) -> tuple[int, str]:
        mode = self.mode.value
        publishes = mode == ALL_200 or (mode == MIXED and feed_kind == "changing")
        with self.lock:
            version = self.versions.get(number, 0) + (1 if publishes else 0)
            self.versions[number] = version
        lying = mode != ALL_304 and feed_kind == "etag-liar"
        return version, f'"{number}-{version}-{uuid.uuid4().hex[:8] if lying else ""}"'

    def _fail(self, number: int) -> None:
        status, body, content_type = [
            (500, b"error", "text/plain"),
            (404, b"not found", "text/plain"),
            (200, b"<!DOCTYPE html><html><body>maintenance</body></html>", "text/html"),
        ][number // len(KINDS) % 3]
        self._answer(status, body, None, content_type)

    def _answer(self, status: int, body: bytes, etag: str | None, content_type: str = "application/rss+xml") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def rss(number: int, version: int, epoch: datetime) -> bytes:
    items = []
    for item in range(version + ITEMS, version, -1):
        published = format_datetime(epoch + timedelta(seconds=item * ITEM_SPACING_S))
        items.append(
            f"<item><title>ख़बर {number}-{item}: संसद में बजट पर बहस</title>"
            f"<link>https://khabar.example/{number}/{item}.html</link><pubDate>{published}</pubDate>"
            f"<description>{DESCRIPTION}</description></item>"
        )
    channel = f"<title>फ़ीड {number}</title><link>https://khabar.example/{number}</link>{''.join(items)}"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{channel}</channel></rss>'.encode()


def serve(ports: Any, mode: Any, hits: Any, ready: Any) -> None:
    FeedHandler.mode, FeedHandler.hits = mode, hits
    servers = []
    for index in range(HOSTS):
        server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
        server.daemon_threads = True
        ports[index] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    ready.set()
    signal.sigwait([signal.SIGTERM])


@contextmanager
def feed_server(feeds: int) -> Iterator[tuple[list[str], Any, Any]]:
    context = multiprocessing.get_context("fork")
    ports, mode, hits = context.Array("i", HOSTS), context.Value("i", MIXED), context.Array("i", feeds)
    ready = context.Event()
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])  # the child inherits it, so sigwait can take it
    process = context.Process(target=serve, args=(ports, mode, hits, ready), daemon=True)
    process.start()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    ready.wait(READY_TIMEOUT_S)
    urls = [f"http://127.0.0.1:{ports[number % HOSTS]}/feed/{number}.xml" for number in range(feeds)]
    try:
        yield urls, mode, hits
    finally:
        process.terminate()
        process.join(10)


# --- the plain loop ---


def plain_round(urls: list[str]) -> float:
    def fetch(url: str) -> None:
        response = requests.get(url, timeout=30)
        if response.ok and "rss" in response.headers.get("Content-Type", ""):
            parse_feed(response.content, url=url, content_type=response.headers["Content-Type"])

    started = time.perf_counter()
    with ThreadPoolExecutor(WORKERS * CONCURRENCY) as pool:
        list(pool.map(fetch, urls))
    return time.perf_counter() - started


def plain_cpu_ms(urls: list[str], *, conditional: bool) -> float:
    """CPU ms per conditional GET answered 304, or per GET answered 200 and parsed."""
    etags = {url: requests.get(url, timeout=30).headers.get("ETag", "") for url in urls} if conditional else {}
    started = time.process_time()
    for url in urls:
        response = requests.get(url, headers={"If-None-Match": etags[url]} if conditional else {}, timeout=30)
        if response.status_code == 200:
            parse_feed(response.content, url=url, content_type=response.headers["Content-Type"])
    return (time.process_time() - started) * 1000 / len(urls)


# --- khabardar: workers, beat, and what the store says about every poll ---


def write_config(path: Path, urls: list[str]) -> None:
    hosts = sorted({url.split("/")[2] for url in urls})
    lines = [
        f'  - {{name: f{n:04d}, url: "{url}", interval: {INTERVAL_S}s, max_age: 1h}}' for n, url in enumerate(urls)
    ]
    allow = ", ".join(f'"{host}"' for host in hosts)
    path.write_text("feeds:\n" + "\n".join(lines) + f"\nfetch:\n  allow_hosts: [{allow}]\n", encoding="utf-8")


def start(role: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-A", "tasks.app", *role, "--loglevel=INFO"]
    with log_path.open("wb") as log:
        return subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)


def worker_role(index: int) -> list[str]:
    return [
        "worker",
        f"--concurrency={CONCURRENCY}",
        "--queues=poll,articles,alerts",
        f"--hostname=bench-{index}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def cpu_s(roots: list[int]) -> float:
    """User + system CPU of ``roots`` and all their descendants (prefork children included)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS_PER_S
    tree, grew = set(roots), True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sum(times.get(pid, 0.0) for pid in tree)


class Recorder:
    """Snapshots every feed's state; each new ``last_check`` is one poll, classified by the counters it moved."""

    def __init__(self, store: RedisStore, names: list[str]) -> None:
        self.store, self.names = store, names
        self.last: dict[str, dict[str, Any]] = {}
        self.polls: list[tuple[float, str, float | None]] = []  # (started, kind, lag_s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.snapshot()

    def _run(self) -> None:
        while not self._stop.wait(SNAPSHOT_EVERY_S):
            self.snapshot()

    def snapshot(self) -> None:
        for name, state in self.store.get_feed_states(self.names).items():
            before = self.last.get(name, {})
            if state.get("last_check") and state.get("last_check") != before.get("last_check"):
                self.polls.append(_poll(state, before))
            self.last[name] = state

    def checked(self) -> int:
        return sum(1 for state in self.last.values() if state.get("last_check"))


def _poll(state: dict[str, Any], before: dict[str, Any]) -> tuple[float, str, float | None]:
    def moved(key: str) -> bool:
        return int(state.get(key) or 0) > int(before.get(key) or 0)

    started = datetime.fromisoformat(state["last_check"])
    outcome = "error" if not moved("checks_ok") else "304" if moved("not_modified") else "unchanged"
    outcome = "200" if outcome == "unchanged" and not moved("unchanged") else outcome
    due = state.get("last_due_at")
    lag_s = (started - datetime.fromisoformat(due)).total_seconds() if due else None
    return started.timestamp(), outcome, lag_s


def phase(roots: list[int], mode: Any, value: int) -> tuple[float, float, float]:
    """Switch the server's mode; after the polls of the last mode settle, the window and the CPU spent in it."""
    mode.value = value
    time.sleep(SETTLE_S)
    began, cpu_before = time.time(), cpu_s(roots)
    time.sleep(PHASE_S - SETTLE_S)
    return began, time.time(), cpu_s(roots) - cpu_before


def tally(recorder: Recorder, window: tuple[float, float, float]) -> dict[str, Any]:
    began, ended, cpu = window
    kinds = [outcome for started, outcome, _ in recorder.polls if began <= started < ended]
    counts = {outcome: kinds.count(outcome) for outcome in ("304", "200", "unchanged", "error")}
    return {"cpu_ms_per_poll": cpu * 1000 / max(len(kinds), 1), "counts": counts}


def through_khabardar(urls: list[str], mode: Any, workdir: Path) -> dict[str, Any]:
    config = workdir / "khabardar.yaml"
    write_config(config, urls)
    prefix = f"khabardar-bench-polling-{uuid.uuid4().hex[:8]}"
    env = {"KHABARDAR_REDIS_URL": REDIS_URL, "KHABARDAR_REDIS_PREFIX": prefix, "KHABARDAR_CONFIG": str(config)}
    names = [f"f{number:04d}" for number in range(len(urls))]
    store = RedisStore(REDIS_URL, prefix=prefix)
    workers = [start(worker_role(index), env, workdir / f"worker-{index}.log") for index in range(WORKERS)]
    try:
        for index in range(WORKERS):
            _wait_for(lambda i=index: b"ready." in (workdir / f"worker-{i}.log").read_bytes(), "a worker")
        beat = start(["beat", f"--schedule={workdir / 'beat'}"], env, workdir / "beat.log")
        roots = [process.pid for process in [*workers, beat]]
        with Recorder(store, names) as recorder:
            _wait_for(lambda: recorder.checked() == len(names), "round 1", ROUND_TIMEOUT_S)
            first = [datetime.fromisoformat(state["first_check"]) for state in recorder.last.values()]
            windows = {
                name: phase(roots, mode, value)
                for name, value in (("mixed", MIXED), ("304", ALL_304), ("200", ALL_200))
            }
            stop(beat)
            time.sleep(DRAIN_S)
        figures: dict[str, Any] = {name: tally(recorder, window) for name, window in windows.items()}
        figures["round_s"] = (max(first) - min(first)).total_seconds()
        figures["lags"] = sorted(lag for _, _, lag in recorder.polls if lag is not None)
        figures["polls"] = len(recorder.polls)
        return figures
    finally:
        for process in workers:
            stop(process)
        store.close()
        _forget(prefix)


def _wait_for(condition: Any, what: str, timeout_s: float = READY_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.1)


def _forget(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def main() -> None:
    feeds = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FEEDS
    with feed_server(feeds) as (urls, mode, hits), tempfile.TemporaryDirectory() as workdir:
        static = [url for number, url in enumerate(urls) if kind(number) == "static"][:PLAIN_CPU_SAMPLE]
        plain_round_s = plain_round(urls)
        plain_304_ms = plain_cpu_ms(static, conditional=True)
        plain_200_ms = plain_cpu_ms(static, conditional=False)
        for number in range(feeds):
            hits[number] = 0
        mode.value = MIXED
        ours = through_khabardar(urls, mode, Path(workdir))
        requests_seen = sum(hits[number] for number in range(feeds))
    mixed = ours["mixed"]["counts"]
    share = mixed["304"] / max(sum(mixed.values()) - mixed["error"], 1)
    lags = ours["lags"]
    print(f"polling benchmark: {feeds} feeds on {HOSTS} loopback hosts, interval {INTERVAL_S}s, every 20 feeds:")
    print(f"  12 answer 304, 4 publish on every request, 2 slow ({SLOW_S}s), 1 failing, 1 new ETag on the same body")
    print(f"  khabardar: {WORKERS} Celery worker processes × {CONCURRENCY} + beat on Redis; plain: requests.get")
    print(f"{'figure':<34}{'khabardar':>12}{'plain loop':>12}{'ratio':>8}")
    _row("one full round, cold start (s)", ours["round_s"], plain_round_s)
    _row("CPU per 304 poll (ms)", ours["304"]["cpu_ms_per_poll"], plain_304_ms)
    _row("CPU per 200 poll, parsed (ms)", ours["200"]["cpu_ms_per_poll"], plain_200_ms)
    print(f"304 share, mixed phase: {share:.0%} of {sum(mixed.values())} polls ({_counts(mixed)})")
    print(
        f"  polls in the 304 phase: {_counts(ours['304']['counts'])}; "
        f"in the 200 phase: {_counts(ours['200']['counts'])}"
    )
    print(
        f"scheduling lag (start − due), {len(lags)} polls: p50 {percentile(lags, 0.5):.3f} s, "
        f"p95 {percentile(lags, 0.95):.3f} s, max {max(lags, default=float('nan')):.3f} s"
    )
    print(
        f"duplicate polls: {requests_seen - ours['polls']} "
        f"({requests_seen} requests served, {ours['polls']} polls recorded)"
    )


def _row(label: str, ours: float, plain: float) -> None:
    print(f"{label:<34}{ours:>12.2f}{plain:>12.2f}{ours / plain:>8.2f}")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {outcome}" for outcome, count in counts.items())


if __name__ == "__main__":
    main()
