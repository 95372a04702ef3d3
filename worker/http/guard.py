"""Refuse URLs that would turn the fetcher against its own host or network (SSRF).

Feed items and redirects are written by strangers; a link to ``http://127.0.0.1:6379/`` or to a cloud metadata
address must never be fetched. Only http(s) on public addresses passes, unless the host (or host:port) is listed
in the config's ``fetch.allow_hosts``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from worker.errors import BlockedURLError

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise BlockedURLError(f"http: cannot resolve host {host!r}: {exc.strerror}") from exc
    return [str(info[4][0]) for info in infos]


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses; IPv4-mapped and 6to4 forms are judged by their IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_public_address(embedded)
    return address.is_global and not address.is_multicast


def check_url(
    url: str,
    *,
    allow_hosts: Sequence[str] = (),
    resolver: Resolver = resolve,
) -> list[str]:
    """Raise :class:`BlockedURLError` unless ``url`` may be fetched; return the checked addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise BlockedURLError(f"http: only http and https URLs are fetched, not {parts.scheme or 'none'!r}")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise BlockedURLError("http: the URL has no host")
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if host in allow_hosts or f"{host}:{port}" in allow_hosts:
        return resolver(host, port)
    addresses = [host] if _is_ip_literal(host) else resolver(host, port)
    for text in addresses:
        if not is_public_address(ipaddress.ip_address(text.split("%")[0])):
            raise BlockedURLError(
                f"http: refusing {host}:{port}: it resolves to the non-public address {text} "
                "(add it to fetch.allow_hosts if you trust it)"
            )
    return addresses


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
