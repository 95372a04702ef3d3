"""Refuse URLs that would turn the fetcher against its own host or network (SSRF).

Feed items and redirects are written by strangers; a link to ``http://127.0.0.1:6379/`` or to a cloud metadata
address must never be fetched. Only http(s) on public addresses passes, unless the host (or host:port) is listed
in the config's ``fetch.allow_hosts``. The check returns the addresses it vetted, and the client connects to one
of those, never resolving the name again (a second lookup is how DNS rebinding slips a private address in).
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from requests.utils import requote_uri

from worker.errors import BlockedURLError, FetchError

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
ALLOW_LISTS_CACHED = 8  # one per config version in use; a reload brings a new one

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IANA special-purpose ranges; ipaddress.is_global alone misses several of them on Python 3.11 (multicast,
# the IPv4-compatible ::/96, NAT64 and 6to4 wrappers around private IPv4)
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, home of cloud metadata services
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "::/96",  # unspecified, loopback and the deprecated IPv4-compatible form
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments, Teredo included
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
NUMERIC_LABEL = re.compile(r"(?:\d+|0x[0-9a-f]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    """A vetted URL: where to connect (``addresses``) and what to call the host (Host header, SNI)."""

    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, lower-case, without brackets
    port: int
    addresses: tuple[str, ...]
    path: str  # path and query, as sent in the request line


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        # a name that does not resolve is a network failure (retried with back-off), not a refusal
        raise FetchError(f"http: cannot resolve host {host!r}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses; IPv6 wrappers of an IPv4 address are judged by the IPv4."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return is_public_address(embedded)
    return address.is_global and not any(address in network for network in BLOCKED_NETWORKS)


def check_url(url: str, *, allow_hosts: Sequence[str] = (), resolver: Resolver = resolve) -> list[str]:
    """Raise :class:`BlockedURLError` unless ``url`` may be fetched; return the checked addresses."""
    return list(vet_url(url, allow_hosts=allow_hosts, resolver=resolver).addresses)


def vet_url(url: str, *, allow_hosts: Sequence[str] = (), resolver: Resolver = resolve) -> Target:
    """The :class:`Target` to connect to for ``url``, or :class:`BlockedURLError`."""
    scheme, host, port, path = _split(url)
    literal = parse_ip_host(host)
    addresses = [str(literal)] if literal is not None else _resolve(resolver, host, port)
    if not _allowed(host, port, addresses, allow_hosts):
        for text in addresses:
            if not is_public_address(ipaddress.ip_address(text)):
                raise BlockedURLError(
                    f"http: refusing {host}:{port}: it resolves to the non-public address {text} "
                    "(add it to fetch.allow_hosts if you trust it)"
                )
    return Target(scheme, host, port, tuple(addresses), path)


def parse_ip_host(host: str) -> IPAddress | None:
    """The address a host written as an IP denotes, in any form a C resolver accepts; None for a name.

    ``2130706433``, ``0x7f.1`` and ``0177.0.0.1`` all mean 127.0.0.1 to ``inet_aton``; a host whose last label
    is numeric but that no resolver would read as an address is refused rather than passed on.
    """
    if host == "localhost" or host.endswith(".localhost"):
        return ipaddress.IPv4Address("127.0.0.1")  # RFC 6761: always loopback, whatever DNS says
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    if not NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        raise BlockedURLError(f"http: {host!r} is neither a host name nor an IP address") from None


def parse_allow_entry(entry: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 address → (host, port or None)."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return host.rstrip("."), int(port) if port.isdigit() else None
    return entry.rstrip("."), None


def _split(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BlockedURLError(f"http: not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURLError(f"http: only http and https URLs are fetched, not {scheme or 'none'!r}")
    host = _ascii_host((parts.hostname or "").rstrip("."))
    path = requote_uri((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))  # Hindi slugs, spaces
    return scheme, host, port or DEFAULT_PORTS[scheme], path


def _ascii_host(host: str) -> str:
    if not host:
        raise BlockedURLError("http: the URL has no host")
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise BlockedURLError(f"http: {host!r} is not a valid host name") from None


def _resolve(resolver: Resolver, host: str, port: int) -> list[str]:
    addresses = [text.split("%")[0] for text in resolver(host, port)]
    if not addresses:
        raise BlockedURLError(f"http: {host!r} resolves to no address")
    return addresses


def _allowed(host: str, port: int, addresses: Sequence[str], allow_hosts: Sequence[str]) -> bool:
    """Listed by name (host or host:port), or every resolved address listed as an IP (with this port)."""
    names, listed = _allow_list(tuple(allow_hosts))
    if (host, None) in names or (host, port) in names:
        return True
    return bool(listed) and all(
        (ipaddress.ip_address(text), port) in listed or (ipaddress.ip_address(text), None) in listed
        for text in addresses
    )


@functools.lru_cache(maxsize=ALLOW_LISTS_CACHED)
def _allow_list(
    allow_hosts: tuple[str, ...],
) -> tuple[frozenset[tuple[str, int | None]], frozenset[tuple[IPAddress, int | None]]]:
    """The entries as (name, port) and as (address, port) pairs: parsed once per list, not on every request."""
    entries = [parse_allow_entry(entry) for entry in allow_hosts]
    addresses = {(address, port) for name, port in entries if (address := _as_ip(name)) is not None}
    return frozenset(entries), frozenset(addresses)


def _as_ip(text: str) -> IPAddress | None:
    """An allow-list entry read as an address when it is one, in any form a URL could use."""
    try:
        return parse_ip_host(text)
    except BlockedURLError:
        return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None or address.sixtofour is not None:
        return address.ipv4_mapped or address.sixtofour
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
