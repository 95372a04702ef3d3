"""The one HTTP seam: every request khabardar makes goes through :class:`HttpClient`."""

from worker.http.client import (
    FEED_MAX_BYTES,
    PAGE_MAX_BYTES,
    HttpClient,
    HttpResponse,
    origin,
    retry_after_s,
    safe_url,
)
from worker.http.errors import FetchTimeoutError, FetchTooLargeError
from worker.http.guard import check_url, is_public_address

__all__ = [
    "FEED_MAX_BYTES",
    "PAGE_MAX_BYTES",
    "FetchTimeoutError",
    "FetchTooLargeError",
    "HttpClient",
    "HttpResponse",
    "check_url",
    "is_public_address",
    "origin",
    "retry_after_s",
    "safe_url",
]
