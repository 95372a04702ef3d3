"""``HOST:PORT`` for the web server (``web.listen``, ``--web``): loopback unless the operator says otherwise."""

from __future__ import annotations

DEFAULT_LISTEN = "127.0.0.1:8470"


def parse_listen(text: str) -> tuple[str, int]:
    """``("127.0.0.1", 8470)`` from ``"127.0.0.1:8470"``; ``[::1]:8470`` for IPv6; ValueError naming the problem."""
    host, sep, port = text.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{text!r} is not HOST:PORT (for example 127.0.0.1:8470)")
    return host, int(port)
