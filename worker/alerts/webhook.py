"""The generic webhook: exactly PRODUCT.md's JSON, signed per Standard Webhooks when the channel has a secret.

Signature: ``webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">``. The
``webhook-id`` is the alert id, so a receiver sees the same id on every retry and can drop duplicates; a notice
(``{"type": "notice", "text": ...}``) is signed the same way, with an id of its own. A secret
written ``whsec_<base64>`` is the key's bytes in base64 (what Standard Webhooks libraries generate); any other
secret is used as its UTF-8 bytes (verify with ``Webhook(secret.encode())``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Callable, Sequence
from typing import Any

from worker.alerts.base import Channel, UpdateRequest
from worker.alerts.digest import DIGEST_TYPE, Digest
from worker.alerts.limits import WEBHOOK_PAYLOAD_MAX_BYTES
from worker.alerts.model import Alert, AlertMatch, Copy
from worker.alerts.parts import Part, split_parts
from worker.alerts.text import fit_text, graphemes, head, json_bytes_len, json_text
from worker.config.models import WebhookChannel
from worker.errors import ConfigError

SECRET_PREFIX = "whsec_"
NOTICE_TYPE = "notice"  # a receiver tells notices from alerts by it
NOTICE_ID_DIGEST_BYTES = 12
MAX_BYTES = WEBHOOK_PAYLOAD_MAX_BYTES
PASSED_THROUGH = ("type", "story", "also_in")  # keys a later pipeline step may add to an alert
WEBHOOK_TITLE_MAX_GRAPHEMES = 1_000  # no headline is longer; past this it is a feed bug, cut before the snippet


def secret_key(secret: str) -> bytes:
    """The HMAC key a channel secret stands for; raises ConfigError for a ``whsec_`` value that is not base64."""
    if not secret.startswith(SECRET_PREFIX):
        return secret.encode()
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error:
        raise ConfigError("webhook secret: the part after whsec_ must be base64") from None
    if not key:
        raise ConfigError("webhook secret: whsec_ is followed by nothing")
    return key


def sign(key: bytes, message_id: str, timestamp_s: int, body: str) -> str:
    digest = hmac.new(key, f"{message_id}.{timestamp_s}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


ALERT_CREATED = "alert.created"  # PRODUCT.md "Second round": the first alert of a story
ALERT_UPDATED = "alert.updated"  # a later copy of its story arrived: same id, article unchanged, also_in so far


def update_message_id(alert_id: str, version: int) -> str:
    return f"{alert_id}.v{version}"


def match_dict(match: AlertMatch) -> dict[str, Any]:
    found = {"entity": match.entity, "kind": match.kind, "count": match.count, "names": list(match.names)}
    return {**found, "where": match.where} if match.where else found  # where: only under a prominence rule


def webhook_payload(alert: Alert, *, snippet: str | None = None, title: str | None = None) -> dict[str, Any]:
    article = alert.article
    return {
        "type": ALERT_CREATED,
        "id": alert.id,
        "watchlist": alert.watchlist,
        "article": {
            "url": article.url,
            "title": article.title if title is None else title,
            "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "snippet": article.snippet if snippet is None else snippet,
        },
        "matches": [match_dict(match) for match in alert.matches],
    }


def fitted_payload(alert: Alert) -> dict[str, Any]:
    """The payload within the size cap: a runaway title is cut first, then the snippet, then the title again; the
    story's later copies known when it is sent (``also_in``) go last and are shortened first."""
    payload = _fitted_alone(alert)
    return with_copies(payload, alert.also_in) if alert.also_in else payload


def updated_payload(alert: Alert) -> dict[str, Any]:
    """``alert.updated``: the alert as first sent (same id, article unchanged) with every later copy so far."""
    return with_copies({**_fitted_alone(alert), "type": ALERT_UPDATED}, alert.also_in)


def with_copies(payload: dict[str, Any], copies: Sequence[Copy]) -> dict[str, Any]:
    """``payload`` plus ``also_in``; past the size cap the copies' titles go first, then the oldest copies (a
    receiver still learns of every outlet that a later, smaller update names)."""
    items = [copy.to_dict() for copy in copies]
    if json_bytes_len({**payload, "also_in": items}) > MAX_BYTES:
        items = [{**item, "title": ""} for item in items]
    while items and json_bytes_len({**payload, "also_in": items}) > MAX_BYTES:
        items = items[1:]
    return {**payload, "also_in": items}


def _fitted_alone(alert: Alert) -> dict[str, Any]:
    payload = webhook_payload(alert)
    if json_bytes_len(payload) <= WEBHOOK_PAYLOAD_MAX_BYTES:
        return payload
    title = head(alert.article.title, WEBHOOK_TITLE_MAX_GRAPHEMES)
    # Every cluster is at least a byte, so nothing past this many clusters can be in the payload anyway.
    snippet = head(alert.article.snippet, WEBHOOK_PAYLOAD_MAX_BYTES)
    try:
        return fit_text(snippet, lambda s: webhook_payload(alert, snippet=s, title=title), json_bytes_len, MAX_BYTES)
    except ValueError:
        pass
    try:
        return fit_text(title, lambda t: webhook_payload(alert, snippet="", title=t), json_bytes_len, MAX_BYTES)
    except ValueError:
        return webhook_payload(alert, snippet="", title="")  # only the matches left: too many to cut any further


class Webhook(Channel):
    kind = "webhook"

    def __init__(self, name: str, config: WebhookChannel, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(name)
        self.config = config
        self._clock = clock
        self._key = secret_key(config.secret.get_secret_value()) if config.secret else None

    def payload(self, alert: Alert) -> dict[str, Any]:
        return fitted_payload(alert)

    def target(self) -> str:
        return self.config.url.get_secret_value()

    def headers(self, alert: Alert, payload: dict[str, Any]) -> dict[str, str]:
        return self._signed(payload, alert.id)

    def update_request(self, alert: Alert, receipt: str, version: int) -> UpdateRequest:
        """An ``alert.updated`` POST, signed like alerts; its webhook-id is the alert's id and the version (the
        copies it lists), so a retry of one update repeats its id and a receiver drops the duplicate."""
        payload = updated_payload(alert)
        return UpdateRequest(
            "POST", self.target(), payload, self._signed(payload, update_message_id(alert.id, version))
        )

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return webhook_digest_payloads(digest)

    def digest_headers(self, digest: Digest, number: int, payload: dict[str, Any]) -> dict[str, str]:
        """Signed like alerts; each part has an id of its own (the digest's id for a digest of one part)."""
        return self._signed(payload, f"{digest.id}.{payload['part']}" if "part" in payload else digest.id)

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"type": NOTICE_TYPE, "text": text}  # data for a program to read: nothing to escape

    def notice_headers(self, payload: dict[str, Any]) -> dict[str, str]:
        return self._signed(payload, None)

    def _signed(self, payload: dict[str, Any], message_id: str | None) -> dict[str, str]:
        """Standard Webhooks headers when the channel has a secret; a notice's id is derived from what it says."""
        if self._key is None:
            return {}
        timestamp_s, body = int(self._clock()), json_text(payload)
        if message_id is None:
            digest = hashlib.blake2b(f"{timestamp_s}.{body}".encode(), digest_size=NOTICE_ID_DIGEST_BYTES)
            message_id = "notice-" + digest.hexdigest()
        signature = sign(self._key, message_id, timestamp_s, body)
        return {"webhook-id": message_id, "webhook-timestamp": str(timestamp_s), "webhook-signature": signature}


# --- digests (worker.flow): PRODUCT.md's digest payload; "part"/"parts" added when it needs several POSTs ---


def digest_alert_object(data: dict[str, Any]) -> dict[str, Any]:
    """One alert of a digest as the webhook sends alerts, with what the pipeline added (story, also_in) kept."""
    # an alert recorded without a story carries "story": None, which says nothing a receiver needs
    extra = {key: value for key, value in data.items() if key in PASSED_THROUGH and value}
    return {**fitted_payload(Alert.from_dict(data)), **extra}


def webhook_digest_payloads(digest: Digest) -> list[dict[str, Any]]:
    objects = [digest_alert_object(data) for data in digest.alerts]
    return split_parts(objects, lambda chosen, part: _digest_body(digest, chosen, part), _fits, _shorter_object)


def _digest_body(digest: Digest, chosen: Sequence[dict[str, Any]], part: Part | None) -> dict[str, Any]:
    body = {"type": DIGEST_TYPE, "id": digest.id, "watchlist": digest.watchlist, "reason": digest.reason}
    numbering = {"part": part[0], "parts": part[1]} if part else {}
    return {**body, **numbering, "alerts": list(chosen)}


def _fits(payload: dict[str, Any]) -> bool:
    return json_bytes_len(payload) <= WEBHOOK_PAYLOAD_MAX_BYTES


def _shorter_object(alert: dict[str, Any]) -> dict[str, Any]:
    """The snippet goes first, then half the title (grapheme-safe); the URL, and so the link, always stays."""
    article = alert["article"]
    if article["snippet"]:
        return {**alert, "article": {**article, "snippet": ""}}
    if len(graphemes(article["title"])) > 1:
        return {**alert, "article": {**article, "title": head(article["title"], len(graphemes(article["title"])) // 2)}}
    raise ValueError("a digest's alert cannot be made any shorter")
