"""The status page's two actions, and who may take them.

Actions need ``KHABARDAR_WEB_TOKEN``: without it set, the page is read-only. Each action is a POST carrying the
token and a CSRF token; the CSRF token is an HMAC of a random value kept in a SameSite=Strict cookie, keyed by
the web token, so another site can neither read it nor forge it (double-submit, signed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from worker.errors import KhabardarError
from worker.store import Store

CSRF_COOKIE = "khabardar_csrf"


class ActionRefused(KhabardarError):
    """An action without the right token, or with a missing or forged CSRF token."""


@dataclass(frozen=True)
class Guard:
    token: str | None  # KHABARDAR_WEB_TOKEN; None: every action is refused

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    def new_nonce(self) -> str:
        return secrets.token_urlsafe(24)

    def csrf_for(self, nonce: str) -> str:
        key = (self.token or "read-only").encode()
        return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()

    def check(self, *, token: str, csrf: str, nonce: str) -> None:
        """Raise ActionRefused unless the web token matches and the CSRF token belongs to the cookie's nonce."""
        if not self.token:
            raise ActionRefused("actions are disabled: KHABARDAR_WEB_TOKEN is not set")
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            raise ActionRefused("wrong or missing token")
        if not nonce or not hmac.compare_digest(csrf.encode(), self.csrf_for(nonce).encode()):
            raise ActionRefused("missing or forged CSRF token: reload the page and try again")


def replay_alert(store: Store, alert_id: str) -> str:
    record = store.outbox_get(alert_id)
    if record is None or record.state != "dead":
        raise ActionRefused(f"no dead alert {alert_id!r} to replay")
    store.outbox_replay(alert_id, time.time())
    return f"alert {alert_id} is pending again"


def enable_channel(store: Store, channel: str, known: set[str]) -> str:
    """Lift a channel's disabled flag (what editing its config would do), so its next alerts are sent."""
    if channel not in known:
        raise ActionRefused(f"no channel {channel!r} in the config")
    store.set_channel_fields(channel, {"disabled": False, "disabled_reason": ""})
    return f"channel {channel} enabled; replay its dead alerts to send them"
