"""``khabardar cluster``: which articles would fold into one story, by the code the pipeline uses."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tasks.console import err
from worker.config.duration import parse_duration
from worker.feeds.dates import parse_date

if TYPE_CHECKING:
    from worker.stories import StoryInput


def cluster(
    window: Annotated[str, typer.Option("--window", help="How long an article can be the first of a story.")] = "72h",
) -> None:
    """JSON lines {"id","title","text","outlet","published"} on stdin, in arrival order → {"id","story"} lines."""
    from worker.stories import MemoryIndex, assign_story  # numpy and scipy: only for this command
    from worker.stories.entry import stored_id

    index = MemoryIndex(window_s=_window_s(window))
    originals: dict[str, Any] = {}
    clock: float | None = None
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        document = _document(line, number)
        clock = _arrival(document, clock)
        originals.setdefault(stored_id(str(document.get("id"))), document.get("id"))
        story = assign_story(index, _story_input(document), clock).story_id
        print(json.dumps({"id": document.get("id"), "story": originals.get(story, story)}, ensure_ascii=False))
        sys.stdout.flush()


def _story_input(document: dict[str, Any]) -> StoryInput:
    from worker.stories import StoryInput

    return StoryInput(
        id=str(document.get("id")),
        title=str(document.get("title") or ""),
        text=str(document.get("text") or ""),
        outlet=str(document.get("outlet") or ""),
        summary_only=bool(document.get("summary_only")),
    )


def _arrival(document: dict[str, Any], previous: float | None) -> float:
    """An article arrives when it was published, if it says so; else with the one before it (else now)."""
    published = document.get("published")
    when: datetime | None = parse_date(str(published)) if published else None
    if when is not None:
        return when.timestamp()
    return previous if previous is not None else time.time()


def _window_s(window: str) -> float:
    try:
        parsed = parse_duration(window)
    except ValueError as exc:
        err.print(f"khabardar cluster: --window: {exc}", markup=False)
        raise typer.Exit(2) from exc
    if not isinstance(parsed, timedelta) or parsed <= timedelta(0):
        err.print(f"khabardar cluster: --window must be longer than 0s, not {window!r}", markup=False)
        raise typer.Exit(2)
    return parsed.total_seconds()


def _document(line: str, number: int) -> dict[str, Any]:
    try:
        document = json.loads(line)
    except json.JSONDecodeError as exc:
        err.print(f"khabardar cluster: stdin line {number} is not JSON: {exc}", markup=False)
        raise typer.Exit(1) from exc
    if not isinstance(document, dict):
        err.print(f"khabardar cluster: stdin line {number} is not a JSON object", markup=False)
        raise typer.Exit(1)
    return document
