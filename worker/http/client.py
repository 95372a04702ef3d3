"""HttpClient: timeouts, size caps, guarded redirects, conditional GET and JSON POST in one place."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from worker.errors import BlockedURLError, FetchError
from worker.http.guard import Resolver, check_url, resolve

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0
TOTAL_DEADLINE_S = 30.0
POST_TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
FEED_MAX_BYTES = 5 * 1024 * 1024
PAGE_MAX_BYTES = 2 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
USER_AGENT = "khabardar/0.1 (+https://github.com/khabardar/khabardar; Hindi news watcher)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class HttpResponse:
    url: str  # the final URL, after redirects
    status: int
    headers: Mapping[str, str] = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    permanent_redirect: str | None = None  # where a 301/308 pointed, so the feed's URL can be updated

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8", errors="replace") or "null")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


class HttpClient:
    """One session for the process; safe defaults; the only place that talks HTTP."""

    def __init__(
        self,
        *,
        allow_hosts: Sequence[str] = (),
        resolver: Resolver = resolve,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.allow_hosts = tuple(allow_hosts)
        self._resolver = resolver
        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent
        self._session.trust_env = False  # a proxy from the environment must not bypass the address guard

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        max_bytes: int = PAGE_MAX_BYTES,
        deadline_s: float = TOTAL_DEADLINE_S,
    ) -> HttpResponse:
        """GET with guarded redirects; 2xx and 304 return, anything else raises :class:`FetchError`."""
        started = time.monotonic()
        permanent_redirect = None
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url, allow_hosts=self.allow_hosts, resolver=self._resolver)
            response = self._send("GET", url, headers=headers)
            if response.status_code not in REDIRECT_STATUSES:
                return self._finish(response, url, max_bytes, started, deadline_s, permanent_redirect)
            response.close()
            target = _redirect_target(url, response)
            if response.status_code in (301, 308) and permanent_redirect is None:
                permanent_redirect = target
            url = target
        raise FetchError(f"http: more than {MAX_REDIRECTS} redirects")

    def post_json(self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None) -> HttpResponse:
        """POST a JSON body (UTF-8, not ASCII-escaped); every status returns, network failures raise."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        response = self._send("POST", url, headers=merged, data=body, timeout=POST_TIMEOUT_S)
        with response:
            content = response.raw.read(PAGE_MAX_BYTES, decode_content=True)
            return HttpResponse(url=url, status=response.status_code, headers=response.headers, body=content)

    def _send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        data: bytes | None = None,
        timeout: float = READ_TIMEOUT_S,
    ) -> requests.Response:
        try:
            return self._session.request(
                method,
                url,
                headers=dict(headers or {}),
                data=data,
                timeout=(CONNECT_TIMEOUT_S, timeout),
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            raise FetchError(f"http: {method} {_safe(url)} failed: {type(exc).__name__}") from exc

    def _finish(
        self,
        response: requests.Response,
        url: str,
        max_bytes: int,
        started: float,
        deadline_s: float,
        permanent_redirect: str | None,
    ) -> HttpResponse:
        with response:
            if response.status_code >= 400:
                raise FetchError(
                    f"http: {_safe(url)} answered {response.status_code}",
                    status=response.status_code,
                    retry_after_s=_retry_after_s(response.headers.get("Retry-After")),
                )
            body = _read_capped(response, url, max_bytes, started, deadline_s)
        return HttpResponse(url, response.status_code, response.headers, body, permanent_redirect)


def _read_capped(response: requests.Response, url: str, max_bytes: int, started: float, deadline_s: float) -> bytes:
    """Read the decompressed body, stopping early past the size cap or the total deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes and "Content-Encoding" not in response.headers:
        raise FetchError(f"http: {_safe(url)} is {declared} bytes, over the {max_bytes}-byte cap")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"http: {_safe(url)} is over the {max_bytes}-byte cap")
            if time.monotonic() - started > deadline_s:
                raise FetchError(f"http: {_safe(url)} took longer than {deadline_s:.0f}s")
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise FetchError(f"http: reading {_safe(url)} failed: {type(exc).__name__}") from exc
    return b"".join(chunks)


def _redirect_target(url: str, response: requests.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise FetchError(f"http: {_safe(url)} redirected without a Location")
    target = urljoin(url, location)
    if urlsplit(url).scheme == "https" and urlsplit(target).scheme == "http":
        raise BlockedURLError(f"http: refusing the https → http downgrade from {_safe(url)}")
    return target


def _retry_after_s(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _safe(url: str) -> str:
    """The URL without query string or credentials, fit for logs (webhook URLs carry secrets in the path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}"
