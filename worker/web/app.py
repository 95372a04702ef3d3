"""The HTTP surface (PRODUCT.md "Second round"): ``/metrics``, ``/healthz``, ``/readyz``, ``/``, ``/search`` and two
actions.

A plain WSGI application on werkzeug's routing and request parsing; :mod:`tasks.web` serves it. Every store read
goes through :class:`~worker.web.bounded.Bounded`, so no request waits on a hung store for more than seconds.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from worker.archive import open_archive
from worker.config import ConfigWatcher, LoadedConfig
from worker.errors import KhabardarError
from worker.match import Matcher
from worker.metrics.tally import Tally, open_tally
from worker.settings import Settings
from worker.store import Store, open_store
from worker.web.actions import CSRF_COOKIE, ActionRefused, Guard, enable_channel, replay_alert
from worker.web.bounded import Bounded
from worker.web.collector import KhabardarCollector, registry_for
from worker.web.ready import readiness
from worker.web.search import DayOption, day_options, search_page
from worker.web.status import PAGE_READ_TIMEOUT_S, Sources, status_page

REQUEST_BODY_MAX_BYTES = 16 * 1024  # an action form is a few hundred bytes; anything larger is refused (413)
ROUTES = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule("/search", endpoint="search", methods=["GET"]),
        Rule("/metrics", endpoint="metrics", methods=["GET"]),
        Rule("/healthz", endpoint="healthz", methods=["GET"]),
        Rule("/readyz", endpoint="readyz", methods=["GET"]),
        Rule("/actions/replay", endpoint="replay", methods=["POST"]),
        Rule("/actions/enable-channel", endpoint="enable", methods=["POST"]),
    ]
)
SECURITY_HEADERS = {
    # nothing on the page comes from elsewhere, and no script runs: a title that slipped through would be inert
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class LimitedRequest(Request):
    max_content_length = REQUEST_BODY_MAX_BYTES
    max_form_memory_size = REQUEST_BODY_MAX_BYTES


class WebApp:
    def __init__(self, settings: Settings, *, token: str | None = None) -> None:
        self.settings = settings
        self.guard = Guard(token)
        self.bounded = Bounded()
        self._lock = threading.Lock()
        self._matcher: tuple[str, Matcher] | None = None
        self._store: Store | None = None
        self._tally: Tally | None = None
        self.collector = KhabardarCollector(self.loaded, self.store, self.tally)
        self.registry = registry_for(self.collector)
        self.templates = Environment(
            loader=PackageLoader("worker.web", "templates"), autoescape=select_autoescape(default=True)
        )

    # --- what the pages read, each opened on first use ------------------------------------------------------------

    @cached_property
    def _watcher(self) -> ConfigWatcher:
        return ConfigWatcher(self.settings.config_path)

    def loaded(self) -> LoadedConfig:
        return self._watcher.current()

    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)
            return self._store

    def tally(self) -> Tally:
        with self._lock:
            if self._tally is None:
                self._tally = open_tally(self.settings)
            return self._tally

    def matcher(self) -> Matcher:
        loaded = self.loaded()
        with self._lock:
            if self._matcher is None or self._matcher[0] != loaded.version:
                self._matcher = (loaded.version, Matcher.from_watchlists(loaded.config.watchlists))
            return self._matcher[1]

    # --- WSGI ------------------------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = LimitedRequest(environ)
        try:
            endpoint, _args = ROUTES.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request)
        except HTTPException as exc:
            response = exc.get_response(environ)
        response.headers.update(SECURITY_HEADERS)
        return response(environ, start_response)  # type: ignore[no-any-return]

    def on_healthz(self, _request: Request) -> Response:
        return Response("ok\n", mimetype="text/plain")

    def on_readyz(self, _request: Request) -> Response:
        result = readiness(self.settings, self.store, self.tally, self.bounded)
        body = json.dumps(result.to_json(), ensure_ascii=False)
        return Response(body, status=200 if result.ready else 503, mimetype="application/json")

    def on_metrics(self, _request: Request) -> Response:
        return Response(generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    def on_index(self, request: Request) -> Response:
        page = status_page(Sources(self.loaded, self.store, self.tally, self.matcher, self.bounded))
        nonce = request.cookies.get(CSRF_COOKIE) or self.guard.new_nonce()
        html = self.templates.get_template("status.html").render(
            page=page,
            actions=self.guard.enabled,
            csrf=self.guard.csrf_for(nonce),
            notice=request.args.get("notice"),
            day_options=self._day_options(None),
        )
        response = Response(html, mimetype="text/html")
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="Strict", path="/")
        return response

    def on_search(self, request: Request) -> Response:
        query = request.args.get("q", "").strip()
        if not query:
            return redirect("/", code=303)
        days = request.args.get("days", "").strip()
        found = search_page(lambda: open_archive(self.settings), query, self.bounded, days=days)
        html = self.templates.get_template("search.html").render(
            search=found, query=query, day_options=self._day_options(found.days)
        )
        return Response(html, mimetype="text/html")

    def _day_options(self, chosen: int | None) -> list[DayOption]:
        try:
            kept_days: int | None = self.loaded().config.archive.days
        except KhabardarError:  # the status page names the config's error; the form offers every choice meanwhile
            kept_days = None
        return day_options(chosen, kept_days)

    def on_replay(self, request: Request) -> Response:
        return self._act(request, lambda: replay_alert(self.store(), request.form.get("alert", "")))

    def on_enable(self, request: Request) -> Response:
        known = set(self.loaded().config.channels)
        return self._act(request, lambda: enable_channel(self.store(), request.form.get("channel", ""), known))

    def _act(self, request: Request, action: Callable[[], str]) -> Response:
        try:
            self.guard.check(
                token=request.form.get("token", ""),
                csrf=request.form.get("csrf", ""),
                nonce=request.cookies.get(CSRF_COOKIE, ""),
            )
            message = self.bounded.call(action, PAGE_READ_TIMEOUT_S)
        except ActionRefused as exc:
            return Response(f"refused: {exc}\n", status=403, mimetype="text/plain")
        except KhabardarError as exc:
            return Response(f"failed: {exc}\n", status=503, mimetype="text/plain")
        return redirect(f"/?notice={quote(message)}", code=303)
