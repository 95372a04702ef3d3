"""Read a response body under a size cap that applies after decompression, and under the total deadline.

Decompression is done here, not by the HTTP library, so that a gzip bomb is inflated only up to the cap: zlib is
asked for at most the bytes still allowed, and the rest of the input is never expanded.
"""

from __future__ import annotations

import http.client
import time
import zlib

from worker.errors import FetchError
from worker.http.errors import FetchTimeoutError, FetchTooLargeError

CHUNK_BYTES = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"
GZIP_WBITS = 16 + zlib.MAX_WBITS
ZLIB_WBITS = zlib.MAX_WBITS
RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


class Deadline:
    """A total time budget for one fetch, redirects included; ``expired`` is set once it has run out."""

    def __init__(self, seconds: float) -> None:
        self.expires_at = time.monotonic() + seconds
        self.seconds = seconds
        self.expired = False

    def remaining_s(self) -> float:
        return max(0.0, self.expires_at - time.monotonic())

    def check(self, where: str) -> None:
        if self.expired or time.monotonic() >= self.expires_at:
            self.expired = True
            raise FetchTimeoutError(f"http: {where} took longer than the {self.seconds:g}s deadline")


class Decoder:
    """Incremental Content-Encoding decoder that never produces more than the bytes still allowed."""

    def __init__(self, encoding: str | None, *, where: str) -> None:
        name = (encoding or "identity").strip().lower()
        if name not in ("identity", "", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"http: {where} uses the unsupported Content-Encoding {name!r}")
        self._zlib = None if name in ("identity", "") else zlib.decompressobj(_wbits(name))
        self._raw_fallback = name == "deflate"  # servers send "deflate" both with and without the zlib header
        self._where = where

    def decode(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            return self._fit(data, room)
        try:
            return self._inflate(data, room)
        except zlib.error:
            if not self._raw_fallback:
                raise
            self._zlib, self._raw_fallback = zlib.decompressobj(RAW_DEFLATE_WBITS), False
            return self._inflate(data, room)

    def finish(self, room: int) -> bytes:
        """What zlib still holds once the input has ended (bounded by its window, so no bomb hides here)."""
        return self._fit(self._zlib.flush(), room) if self._zlib is not None else b""

    def _inflate(self, data: bytes, room: int) -> bytes:
        assert self._zlib is not None
        out = bytearray()
        pending = data
        while pending and not self._zlib.eof:
            out += self._fit(self._zlib.decompress(pending, room - len(out) + 1), room)
            pending = self._zlib.unconsumed_tail
        return bytes(out)

    def _fit(self, data: bytes, room: int) -> bytes:
        if len(data) > room:
            raise FetchTooLargeError(f"http: {self._where} is larger than the size cap")
        return data


def read_body(response: http.client.HTTPResponse, *, max_bytes: int, deadline: Deadline, where: str) -> bytes:
    """The decoded body; raise past ``max_bytes`` (decoded) or the deadline, and on a body cut short."""
    _refuse_declared_oversize(response, max_bytes, where)
    decoder = Decoder(response.getheader("Content-Encoding"), where=where)
    body = bytearray()
    while chunk := response.read1(CHUNK_BYTES):
        deadline.check(where)
        body += decoder.decode(chunk, max_bytes - len(body))
    body += decoder.finish(max_bytes - len(body))
    deadline.check(where)  # the deadline cuts the socket, which looks like the end of a close-delimited body
    if response.length:  # http.client's read1 does not complain when the peer hangs up early
        raise FetchError(f"http: {where} ended {response.length} bytes short of its Content-Length")
    return bytes(body)


def _refuse_declared_oversize(response: http.client.HTTPResponse, max_bytes: int, where: str) -> None:
    declared = (response.getheader("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > max_bytes and not response.getheader("Content-Encoding"):
        raise FetchTooLargeError(f"http: {where} declares {declared} bytes, over the {max_bytes}-byte cap")


def _wbits(name: str) -> int:
    return GZIP_WBITS if name in ("gzip", "x-gzip") else ZLIB_WBITS
