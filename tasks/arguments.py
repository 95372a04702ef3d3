"""Command-line habits every ``khabardar`` subcommand shares: where ``--config`` may stand, and reading the JSON
lines ``khabardar match`` takes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError
from typer.core import TyperGroup

CONFIG_FLAG = "--config"
END_OF_OPTIONS = "--"


class ConfigAnywhere(TyperGroup):
    """Takes ``--config PATH`` after the subcommand too (``khabardar once --config x.yaml``), as after the program
    name. Only the long form moves: after ``worker`` or ``beat``, ``-c`` is Celery's (``--concurrency``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Any: typer may bring its own click
        return super().parse_args(ctx, config_first(args))


def config_first(args: Sequence[str]) -> list[str]:
    """``args`` with every ``--config PATH`` / ``--config=PATH`` moved to the front (up to a ``--``), in order, so
    the one nearest the command wins."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == END_OF_OPTIONS:
            rest += args[index:]
            break
        taken = 2 if arg == CONFIG_FLAG and index + 1 < len(args) else int(arg.startswith(CONFIG_FLAG + "="))
        (front if taken else rest).extend(args[index : index + (taken or 1)])
        index += taken or 1
    return front + rest


class MatchInput(BaseModel):
    """One line ``khabardar match`` reads: an id (string or number), and the title and text to match."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: StrictStr | StrictInt
    title: StrictStr = ""
    text: StrictStr = ""


MATCH_FIELD_TYPES = {"id": "a string or a number", "title": "a string", "text": "a string"}


class BadLine(ValueError):
    """An input line that is not a JSON object with the fields :class:`MatchInput` asks for."""


def read_match_line(line: str) -> MatchInput:
    """Parse one stdin line of ``khabardar match``; raise :class:`BadLine` saying what is wrong with it."""
    try:
        document: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise BadLine(f"not a JSON object but {type(document).__name__}")
    try:
        return MatchInput.model_validate(document)
    except ValidationError as exc:
        problems = {_problem(error["loc"][0], error["type"]): None for error in exc.errors()}  # one per field
        raise BadLine("; ".join(problems)) from exc


def _problem(field: object, kind: str) -> str:
    return f'"{field}" is missing' if kind == "missing" else f'"{field}" should be {MATCH_FIELD_TYPES[str(field)]}'
