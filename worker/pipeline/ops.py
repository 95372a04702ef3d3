"""Tell the people who run khabardar: a notice on the config's optional ``ops`` channel, and always the log."""

from __future__ import annotations

import logging

from worker.alerts.notice import send_notice
from worker.errors import KhabardarError
from worker.pipeline.engine import Engine

log = logging.getLogger(__name__)


def notify_ops(engine: Engine, text: str, *, level: int = logging.WARNING) -> None:
    """Log ``text`` and post it to the ``ops`` channel when one is configured. Never raises: the notice is a
    courtesy, and whatever called it (a poll, a delivery) must still record its own outcome."""
    log.log(level, "ops: %s", text)
    name = engine.config.ops
    channel = engine.channel(name) if name else None
    if channel is None:
        return
    try:
        send_notice(channel, text, engine.http())
    except KhabardarError as exc:  # its messages name the channel, never its URL or token
        log.warning("ops: the notice could not be posted to channel %s: %s", name, exc)
    except Exception as exc:  # a bug here must not cost the poll its record; the type is enough
        log.error("ops: posting the notice to channel %s failed unexpectedly (%s)", name, type(exc).__name__)
