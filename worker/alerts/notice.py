"""Plain-text notices to a channel: one short message for people (feed health on the ``ops`` channel), no alert.

Each platform's class builds its simplest text message (:meth:`Channel.notice_payload`), escaped as its alerts
are, so a feed name or URL in a notice can neither ping anyone nor inject markup, and sends it through its own
:meth:`Channel.deliver`, so a notice is judged, redacted, refused (private addresses) and signed exactly as an
alert is; failures raise :class:`~worker.errors.DeliveryError`.
"""

from __future__ import annotations

from typing import Any

from worker.alerts.base import Channel, JsonPoster

NOTICE_MAX_CHARS = 1_000  # far under every platform's limit; a notice is a sentence or two


def notice_payload(channel: Channel, text: str) -> dict[str, Any]:
    """The JSON body that shows ``text`` as a plain message on ``channel``'s platform."""
    return channel.notice_payload(text[:NOTICE_MAX_CHARS])


def send_notice(channel: Channel, text: str, http: JsonPoster) -> None:
    """Post ``text`` to ``channel``; raise :class:`~worker.errors.DeliveryError` when the platform refuses it."""
    channel.send_notice(text[:NOTICE_MAX_CHARS], http)
