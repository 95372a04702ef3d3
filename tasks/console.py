"""The CLI's two consoles: what a command prints (stdout) and what goes wrong (stderr)."""

from __future__ import annotations

import sys

from rich.console import Console

PIPED_WIDTH_COLS = 200  # piped into a file, grep or less, a table keeps whole rows instead of 80-column wraps


def _width(stream: object) -> int | None:
    isatty = getattr(stream, "isatty", None)
    return None if callable(isatty) and isatty() else PIPED_WIDTH_COLS


out = Console(highlight=False, soft_wrap=True, width=_width(sys.stdout))
err = Console(stderr=True, soft_wrap=True, width=_width(sys.stderr))  # error lines stay whole for grep and copy
