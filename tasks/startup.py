"""Checks every long-running role (worker, beat, run) makes before it starts."""

from __future__ import annotations

import logging

from worker.errors import FeedError
from worker.feeds import check_expat

log = logging.getLogger(__name__)


def check_xml_parser() -> None:
    """Refuse to start (SystemExit with the reason) on an Expat that feeds could attack; warn on an old one."""
    try:
        advice = check_expat()
    except FeedError as exc:
        raise SystemExit(f"khabardar: {exc}") from None
    if advice:
        log.warning("%s", advice)
