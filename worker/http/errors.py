"""Kinds of :class:`~worker.errors.FetchError` that callers (feed health, back-off) tell apart by type."""

from __future__ import annotations

from worker.errors import FetchError


class FetchTimeoutError(FetchError):
    """The server was too slow: no connection, no data for the read timeout, or past the total deadline."""


class FetchTooLargeError(FetchError):
    """The body (after decompression) is over the size cap for what was fetched."""
