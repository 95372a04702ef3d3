"""Tables with Hindi cells line up in a terminal: every row's borders stand in the same columns, measured as a
terminal measures (a non-spacing mark takes no cell, a wide character two, every other character one)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from tasks.console import count_spacing_marks

BORDERS = frozenset("│┃┏┓┗┛┡┩└┘┌┐├┤┬┴┼┳┻╇╋")
WORDS = [  # (what it exercises, a Hindi cell)
    ("spacing matras", "किताबों की दुनिया"),
    ("non-spacing matras", "गुरु पूजे"),
    ("virama conjuncts", "क्षत्रिय प्रधानमंत्री"),
    ("nukta", "ज़िला अदालत"),
    ("anusvara", "संसद में बजट"),
    ("chandrabindu", "चाँद पर पहुँचे"),
    ("visarga", "दुःख"),
    ("mixed with Latin", "PM मोदी: G20 शिखर सम्मेलन"),
]


def terminal_width(text: str) -> int:
    return sum(_cells(character) for character in text)


def _cells(character: str) -> int:
    if unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def border_columns(line: str) -> list[int]:
    columns, at = [], 0
    for character in line:
        if character in BORDERS:
            columns.append(at)
        at += _cells(character)
    return columns


@pytest.mark.parametrize(("exercises", "word"), WORDS)
def test_rich_measures_a_hindi_cell_as_a_terminal_prints_it(exercises: str, word: str) -> None:
    assert cell_len(word) == terminal_width(word), exercises


@pytest.mark.parametrize(("exercises", "word"), WORDS)
def test_every_row_of_a_table_with_a_hindi_cell_has_its_borders_in_the_same_columns(exercises: str, word: str) -> None:
    table = Table("feed", "title", "status")
    table.add_row("dainik-jagran", "Budget session opens", "ok")
    table.add_row("hindi-desk", word, "new")
    table.add_row("अमर-उजाला", word + " " + word, "silent")
    printed = io.StringIO()
    Console(file=printed, width=120, color_system=None).print(table)
    lines = printed.getvalue().splitlines()
    assert len({tuple(border_columns(line)) for line in lines}) == 1, exercises
    assert len({terminal_width(line) for line in lines}) == 1, exercises


def test_only_the_spacing_marks_leave_the_zero_width_ranges() -> None:
    # ा ि ी (U+093E-U+0940) are spacing marks; the nukta before them and the matra ु after them stay zero-width
    assert count_spacing_marks([(0x93C, 0x941, 0), (0x1100, 0x115F, 2)]) == [
        (0x93C, 0x93D, 0),
        (0x941, 0x941, 0),
        (0x1100, 0x115F, 2),
    ]
