"""The base every channel shares: a pure payload builder, a one-line send, one place that judges the answer.

Platform knowledge lives in the platform's class, behind hooks every channel has: its alert payload, its notice
payload, its rate limits, the request that shows a story's later copies on a message already posted
(:meth:`Channel.update_request`, None where the platform cannot edit; built from the receipt its first post left),
and (where the platform can move a destination, as Telegram moves a group that became a supergroup) its address
and the channel redirected to a new one.

A channel's answer is judged by :meth:`Channel.check`: 2xx is delivered; anything else raises
:class:`~worker.errors.DeliveryError`, ``permanent`` when retrying cannot help (the webhook is gone, the bot
was blocked), else transient with the platform's requested back-off in ``retry_after_s`` when it gave one.
Messages name the channel, its type and the status, never the URL or token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast
from urllib.parse import parse_qsl, urlsplit

from worker.alerts.model import Alert
from worker.errors import BlockedURLError, DeliveryError, FetchError
from worker.http import HttpResponse

if TYPE_CHECKING:
    from worker.alerts.digest import Digest

ERROR_EXCERPT_MAX_CHARS = 160
RETRY_AFTER_MAX_S = 24 * 3600.0  # a larger or nonsense value is clamped, not trusted to park an alert forever
REDACTED = "***"
SECRET_SEGMENT_MIN_CHARS = 12  # webhook tokens in URLs are long; short path segments are words like "hooks"


class JsonPoster(Protocol):
    """What a channel needs from :class:`worker.http.HttpClient`."""

    def post_json(self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None) -> HttpResponse: ...


class JsonSender(JsonPoster, Protocol):
    """What editing a posted message needs besides: another method than POST (Discord edits with PATCH)."""

    def send_json(
        self, method: str, url: str, payload: Any, *, headers: Mapping[str, str] | None = None
    ) -> HttpResponse: ...


@dataclass(frozen=True)
class UpdateRequest:
    """One request that shows a story's later copies on an alert already posted: built, not yet sent."""

    method: str  # POST | PATCH
    url: str  # holds the channel's secret: never logged
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


RateLimit = tuple[int, float]  # (messages, per seconds), as the platform documents it


class MovedError(DeliveryError):
    """The platform moved the destination: permanent for the configured address, but ``address`` works."""

    def __init__(self, message: str, *, address: str, status: int | None = None) -> None:
        super().__init__(message, permanent=True, status=status)
        self.address = address


class MessageGoneError(DeliveryError):
    """The message an update was to edit is gone (deleted in the chat): the update cannot be delivered, ever, but
    the channel is as healthy as before, so it is not disabled."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, permanent=False, status=status)


class Channel:
    """One configured destination. Subclasses set ``kind`` and write :meth:`payload` and :meth:`target`."""

    kind: ClassVar[str] = "channel"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({410})
    rate_limit: ClassVar[RateLimit | None] = None  # per destination; None where the platform sets none

    def __init__(self, name: str) -> None:
        self.name = name

    def payload(self, alert: Alert) -> dict[str, Any]:
        """The JSON body for ``alert``: pure, the same alert always gives the same payload."""
        raise NotImplementedError

    def target(self) -> str:
        """The URL to post to; the only place a secret is unwrapped, at send time."""
        raise NotImplementedError

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in an error message: the URL, its long path segments and query values."""
        url = self.target()
        parts = urlsplit(url)
        values = [*parts.path.split("/"), *(value for _key, value in parse_qsl(parts.query))]
        return (url, *(value for value in values if len(value) >= SECRET_SEGMENT_MIN_CHARS))

    def where(self) -> str:
        """Where it posts, fit for display (`khabardar channels`): the host alone; paths and queries hold secrets."""
        return urlsplit(self.target()).hostname or "(no host)"

    def headers(self, alert: Alert, payload: dict[str, Any]) -> dict[str, str]:
        return {}

    def send(self, alert: Alert, http: JsonPoster) -> str:
        """Post the alert; returns its receipt: what the platform calls the message (to edit it later), or ""."""
        payload = self.payload(alert)
        return self.receipt(self.deliver(http, payload, self.headers(alert, payload), url=self.post_target()))

    def post_target(self) -> str:
        """Where an alert is posted: the target, asking for the message's id where the platform must be asked."""
        return self.target()

    @classmethod
    def receipt(cls, response: HttpResponse) -> str:
        """The platform's id of the message a successful post made, for :meth:`update_request`; "" without one."""
        return ""

    def update_request(self, alert: Alert, receipt: str, version: int) -> UpdateRequest | None:
        """The request that shows ``alert.also_in`` (``version`` copies) on the alert posted with ``receipt``:
        pure. None where the platform cannot edit a posted message: the update is recorded, never posted."""
        return None

    def send_update(self, alert: Alert, receipt: str, version: int, http: JsonSender) -> None:
        request = self.update_request(alert, receipt, version)
        if request is not None:
            self.deliver(http, request.payload, request.headers, method=request.method, url=request.url)

    def notice_payload(self, text: str) -> dict[str, Any]:
        """The platform's plainest message showing ``text``, escaped as its alerts are: pure."""
        raise NotImplementedError

    def notice_headers(self, payload: dict[str, Any]) -> dict[str, str]:
        return {}

    def send_notice(self, text: str, http: JsonPoster) -> None:
        """Post a notice; judged, redacted and refused (private addresses) exactly as an alert is."""
        payload = self.notice_payload(text)
        self.deliver(http, payload, self.notice_headers(payload))

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        """The digest as the platform's messages (worker.alerts.parts), each within its limits: pure."""
        raise NotImplementedError

    def digest_headers(self, digest: Digest, number: int, payload: dict[str, Any]) -> dict[str, str]:
        return {}

    def send_digest_part(self, digest: Digest, number: int, http: JsonPoster) -> int:
        """Post part ``number`` (from 0) of the digest; returns how many parts it has."""
        payloads = self.digest_payloads(digest)
        self.deliver(http, payloads[number], self.digest_headers(digest, number, payloads[number]))
        return len(payloads)

    def rate_limits(self) -> dict[str, RateLimit]:
        """Every shared bucket a message to this channel takes a token from, by the bucket's name."""
        return {self.kind: self.rate_limit} if self.rate_limit else {}

    def address(self) -> str:
        """The configured destination the platform may move (raising :class:`MovedError`); "" where it cannot."""
        return ""

    def redirected(self, address: str) -> Channel:
        """The same channel posting to ``address``, where the platform said the destination went."""
        raise NotImplementedError(f"{self.label}: the platform cannot move its destination")

    def address_hint(self, address: str) -> str:
        """What to write in the config so that it names ``address``."""
        return f"set its address to {address!r}"

    def deliver(
        self,
        http: JsonPoster,
        payload: dict[str, Any],
        headers: dict[str, str],
        *,
        method: str = "POST",
        url: str | None = None,
    ) -> HttpResponse:
        """Send (a POST to the target unless told otherwise) and judge; a network failure is transient; the error
        never carries the URL or its cause. Returns the accepted answer."""
        target = self.target() if url is None else url
        try:
            if method == "POST":
                response = http.post_json(target, payload, headers=headers)
            else:
                response = cast("JsonSender", http).send_json(method, target, payload, headers=headers)
        except BlockedURLError:
            raise DeliveryError(
                f"{self.label}: its URL points at an address khabardar does not post to "
                "(list the host in fetch.allow_hosts if that is intended)",
                permanent=True,
            ) from None
        except FetchError as exc:
            cause = type(exc.__cause__ or exc).__name__
            raise DeliveryError(f"{self.label}: could not reach the platform ({cause})") from None
        # Redacted before judging, so an excerpt cut short cannot hold part of a secret either.
        type(self).check(replace(response, body=self._redact(response.body)), self.label)
        return response

    @property
    def label(self) -> str:
        return f"{self.kind} channel {self.name!r}"

    @classmethod
    def check(cls, response: HttpResponse, label: str = "") -> None:
        """Return when the platform accepted the message; raise the DeliveryError its answer calls for."""
        if 200 <= response.status < 300:
            return
        label = label or f"{cls.kind} channel"
        detail = cls.error_detail(response)
        message = f"{label}: the platform answered {response.status}" + (f" ({detail})" if detail else "")
        if response.status == 429:
            raise DeliveryError(message, retry_after_s=cls.retry_after_s(response), status=429)
        if cls.is_permanent(response, detail):
            raise DeliveryError(message + "; disabled until its config changes", permanent=True, status=response.status)
        raise DeliveryError(message, retry_after_s=cls.retry_after_s(response), status=response.status)

    @classmethod
    def is_permanent(cls, response: HttpResponse, detail: str) -> bool:
        return response.status in cls.permanent_statuses

    @classmethod
    def retry_after_s(cls, response: HttpResponse) -> float | None:
        return seconds(response.headers.get("Retry-After"))

    @classmethod
    def error_detail(cls, response: HttpResponse) -> str:
        """A short excerpt of the platform's error text, for the log and `khabardar channels`."""
        return excerpt(response.body.decode("utf-8", errors="replace"))

    def _redact(self, body: bytes) -> bytes:
        for secret in sorted(self.secrets(), key=len, reverse=True):
            if secret:
                body = body.replace(secret.encode(), REDACTED.encode())
        return body


def seconds(value: object) -> float | None:
    """A back-off in seconds from a header or JSON value; None when absent or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if number != number or number < 0:  # NaN or negative
        return None
    return min(number, RETRY_AFTER_MAX_S)


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ERROR_EXCERPT_MAX_CHARS else text[: ERROR_EXCERPT_MAX_CHARS - 1] + "…"


def json_field(response: HttpResponse, *path: str) -> Any:
    """``response.json()[path...]``, or None when the body is not JSON or lacks the field."""
    try:
        value: Any = response.json()
    except ValueError:
        return None
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
