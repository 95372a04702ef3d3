"""The CLI's two consoles: what a command prints (stdout) and what goes wrong (stderr).

Tables with Hindi cells line up. rich's width table (taken from wcwidth) gives Devanagari's spacing vowel signs
(ा ि ी ो ौ ः, Unicode category Mc) no cell, but a terminal gives each of them one, as it does every character
that is not a non-spacing mark (the virama, anusvara, nukta and the matras ु ू े ै: category Mn). A Hindi title
then looks narrower to rich than it prints, its row is padded too much and its borders stand out to the right.
:func:`count_spacing_marks` gives those marks their cell in the table rich measures with, before any console
measures anything.
"""

from __future__ import annotations

import itertools
import sys
import unicodedata
from collections.abc import Sequence

from rich._unicode_data import load as load_cell_table
from rich.cells import cached_cell_len, get_character_cell_size
from rich.console import Console

PIPED_WIDTH_COLS = 200  # piped into a file, grep or less, a table keeps whole rows instead of 80-column wraps
SPACING_MARK = "Mc"

CellRange = tuple[int, int, int]  # first code point, last code point, cells each


def count_spacing_marks(widths: Sequence[CellRange]) -> list[CellRange]:
    """``widths`` with the spacing marks taken out of the zero-width ranges: a code point no range names takes
    one cell."""
    kept: list[CellRange] = []
    for start, end, cells in widths:
        if cells:
            kept.append((start, end, cells))
            continue
        for spacing, run in itertools.groupby(range(start, end + 1), key=_is_spacing_mark):
            if not spacing:
                codes = list(run)
                kept.append((codes[0], codes[-1], 0))
    return kept


def _is_spacing_mark(code: int) -> bool:
    return unicodedata.category(chr(code)) == SPACING_MARK


def _measure_spacing_marks() -> None:
    widths = load_cell_table("auto").widths
    if isinstance(widths, list):  # rich's own table, loaded once per process and shared by every console
        widths[:] = count_spacing_marks(widths)
        get_character_cell_size.cache_clear()
        cached_cell_len.cache_clear()


def _width(stream: object) -> int | None:
    isatty = getattr(stream, "isatty", None)
    return None if callable(isatty) and isatty() else PIPED_WIDTH_COLS


_measure_spacing_marks()
out = Console(highlight=False, soft_wrap=True, width=_width(sys.stdout))
err = Console(stderr=True, soft_wrap=True, width=_width(sys.stderr))  # error lines stay whole for grep and copy
