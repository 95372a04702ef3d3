"""The khabardar error family.

Every failure the engine reports is one of these, and its message names what failed and what to do::

    KhabardarError
    ├── ConfigError        the config file is invalid (file, line and field in the message)
    ├── FetchError         an HTTP fetch failed (refused by the guard, timed out, too large, bad status)
    │   └── BlockedURLError   the URL points at an address khabardar must not reach
    ├── FeedError          fetched bytes are not a usable feed
    ├── CleanError         a page could not be turned into an article
    ├── DeliveryError      a chat platform did not accept an alert (permanent or transient)
    └── StoreError         the state store (Redis or the embedded database) failed
"""

from __future__ import annotations


class KhabardarError(Exception):
    """Base of every error khabardar raises on purpose."""


class ConfigError(KhabardarError):
    """The config is invalid; ``errors`` holds one line per problem, each with file:line and field."""

    def __init__(self, errors: list[str] | str) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


class FetchError(KhabardarError):
    """An HTTP fetch failed; ``status`` is the HTTP status when the server answered."""

    def __init__(self, message: str, *, status: int | None = None, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s


class BlockedURLError(FetchError):
    """The URL (or a redirect hop) resolves to an address that is not allowed."""


class FeedError(KhabardarError):
    """The fetched document is not a feed khabardar can read."""


class CleanError(KhabardarError):
    """The page could not be turned into an article."""


class DeliveryError(KhabardarError):
    """A channel did not accept an alert.

    ``permanent`` errors (a deleted webhook, a blocked bot) disable the channel; transient ones are retried,
    no sooner than ``retry_after_s`` when the platform said how long to wait.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after_s: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after_s = retry_after_s
        self.status = status


class StoreError(KhabardarError):
    """The state store could not be reached or answered wrongly."""
