"""HttpClient: the one place khabardar talks HTTP, with the SSRF guard on every hop and hard limits on every read.

Each request (and each redirect hop) is vetted by :mod:`worker.http.guard`, then sent on a connection pinned to
an address that was checked. Connect and read timeouts apply per operation, and a total deadline covers the whole
fetch, redirects included. Bodies are capped after decompression.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import ssl
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
from requests.structures import CaseInsensitiveDict

from worker.errors import BlockedURLError, FetchError
from worker.http.body import ACCEPT_ENCODING, Deadline, read_body
from worker.http.guard import Resolver, Target, resolve, vet_url
from worker.http.transport import Timeouts, exchange

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0
TOTAL_DEADLINE_S = 30.0
POST_TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
FEED_MAX_BYTES = 5 * 1024 * 1024
PAGE_MAX_BYTES = 2 * 1024 * 1024
POST_RESPONSE_MAX_BYTES = 256 * 1024
USER_AGENT = "khabardar/0.1 (+https://github.com/khabardar/khabardar; Hindi news watcher)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECT_STATUSES = frozenset({301, 308})


@dataclass(frozen=True)
class HttpResponse:
    url: str  # the final URL, after redirects
    status: int
    headers: Mapping[str, str] = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    # where an unbroken chain of 301/308 from the requested URL led, so the feed's URL can be updated
    permanent_redirect: str | None = None

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8", errors="replace") or "null")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


class HttpClient:
    """Safe defaults; options are keyword-only. One instance per process is enough (it holds no connections)."""

    def __init__(
        self,
        *,
        allow_hosts: Sequence[str] = (),
        resolver: Resolver = resolve,
        user_agent: str = USER_AGENT,
        ca_bundle: str | None = None,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
    ) -> None:
        self.allow_hosts = tuple(allow_hosts)
        self._resolver = resolver
        self._user_agent = user_agent
        self._ssl = ssl.create_default_context(cafile=ca_bundle or certifi.where())
        self._timeouts = Timeouts(connect_timeout_s, read_timeout_s)

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        max_bytes: int = PAGE_MAX_BYTES,
        deadline_s: float = TOTAL_DEADLINE_S,
    ) -> HttpResponse:
        """GET with guarded redirects; 2xx and 304 return, 4xx/5xx raise :class:`FetchError` with the status."""
        deadline = Deadline(deadline_s)
        redirects = _Redirects(url)
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._get_once(redirects.url, headers, max_bytes, deadline)
            if response.status not in REDIRECT_STATUSES:
                return HttpResponse(response.url, response.status, response.headers, response.body, redirects.moved)
            redirects.follow(response)
        raise FetchError(f"http: {safe_url(url)} redirected more than {MAX_REDIRECTS} times")

    def post_json(self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None) -> HttpResponse:
        """POST a JSON body (UTF-8, not ASCII-escaped); every status returns, network failures raise."""
        return self.send_json("POST", url, payload, headers=headers)

    def send_json(
        self, method: str, url: str, payload: Any, *, headers: Mapping[str, str] | None = None
    ) -> HttpResponse:
        """``method`` (POST, PATCH) with a JSON body, as :meth:`post_json`: a message edited in place is a PATCH."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        target = self._vet(url)
        deadline = Deadline(POST_TIMEOUT_S)
        with self._exchange(target, method, merged, body, deadline) as response:
            content = read_body(response, max_bytes=POST_RESPONSE_MAX_BYTES, deadline=deadline, where=origin(url))
            return HttpResponse(url, response.status, _headers(response.getheaders()), content)

    def _get_once(
        self, url: str, headers: Mapping[str, str] | None, max_bytes: int, deadline: Deadline
    ) -> HttpResponse:
        target = self._vet(url)
        with self._exchange(target, "GET", dict(headers or {}), None, deadline) as response:
            found = _headers(response.getheaders())
            if response.status in REDIRECT_STATUSES or response.status == 304:
                return HttpResponse(url, response.status, found)
            if response.status >= 300:  # 4xx, 5xx, and the odd 300/305 that is neither content nor a redirect
                raise _status_error(url, response.status, found)
            body = read_body(response, max_bytes=max_bytes, deadline=deadline, where=safe_url(url))
            return HttpResponse(url, response.status, found, body)

    def _vet(self, url: str) -> Target:
        return vet_url(url, allow_hosts=self.allow_hosts, resolver=self._resolver)

    def _exchange(
        self, target: Target, method: str, headers: Mapping[str, str], body: bytes | None, deadline: Deadline
    ) -> AbstractContextManager[http.client.HTTPResponse]:
        sent = {
            "User-Agent": self._user_agent,
            "Accept": "*/*",
            "Accept-Encoding": ACCEPT_ENCODING,
            "Connection": "close",
            **headers,
        }
        return exchange(
            target,
            method,
            headers=sent,
            body=body,
            timeouts=self._timeouts,
            deadline=deadline,
            ssl_context=self._ssl,
        )


class _Redirects:
    """The redirect chain of one GET: the next URL, and where the leading permanent redirects pointed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.moved: str | None = None
        self._still_permanent = True

    def follow(self, response: HttpResponse) -> None:
        location = response.headers.get("Location", "").strip()
        if not location:
            raise FetchError(f"http: {safe_url(self.url)} redirected without a Location")
        target = urljoin(self.url, location)
        if urlsplit(self.url).scheme == "https" and urlsplit(target).scheme.lower() == "http":
            raise BlockedURLError(f"http: refusing the https → http downgrade from {safe_url(self.url)}")
        self._still_permanent = self._still_permanent and response.status in PERMANENT_REDIRECT_STATUSES
        if self._still_permanent:
            self.moved = target
        self.url = target


def safe_url(url: str) -> str:
    """A URL we fetch (a feed, a page) without query string or credentials, fit for logs: its path is public and
    tells which feed failed. Never use it for a URL we post to: use :func:`origin`."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(an invalid URL)"
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def origin(url: str) -> str:
    """Scheme, host and port alone, fit for logs of a URL we post to: a webhook's path and query are its secret
    (Slack, Discord, Mattermost and Google Chat tokens sit in the path, Teams and Google Chat keys in the query)."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(an invalid URL)"
    return f"{parts.scheme}://{parts.hostname or ''}{port}"


def retry_after_s(value: str | None, *, now_s: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None when absent or unreadable."""
    text = (value or "").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, _epoch(moment) - (time.time() if now_s is None else now_s))


def _epoch(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()  # "-0000" parses as naive UTC


def _status_error(url: str, status: int, headers: Mapping[str, str]) -> FetchError:
    return FetchError(
        f"http: {safe_url(url)} answered {status}",
        status=status,
        retry_after_s=retry_after_s(headers.get("Retry-After")),
    )


def _headers(pairs: Sequence[tuple[str, str]]) -> CaseInsensitiveDict[str]:
    merged: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    for name, value in pairs:
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return merged
