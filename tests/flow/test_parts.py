"""Splitting into parts, as a property: whatever the entries, each is in exactly one part and every part fits."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.alerts.digest import Entry, StoryLine
from worker.alerts.parts import Part, split_parts

LIMIT = 400

titles = st.text(alphabet="कखग क्ष ि्ा &<", min_size=1, max_size=900)
entries = st.lists(st.tuples(st.sampled_from(["नेता · a", "विषय · b"]), titles), min_size=1, max_size=40)


def render(chosen: Sequence[Entry], part: Part | None) -> str:
    label = f" ({part[0]}/{part[1]})" if part else ""
    return "सारांश" + label + "".join(f"\n{heading}: {story.title}#{story.url}" for heading, story in chosen)


@settings(max_examples=60, deadline=None)
@given(entries)
def test_every_entry_is_in_exactly_one_part_and_every_part_fits(raw: list[tuple[str, str]]) -> None:
    lines = [(heading, StoryLine(title, f"u{index}", "o", "w", (), 1)) for index, (heading, title) in enumerate(raw)]
    parts = split_parts(lines, render, lambda text: len(text) <= LIMIT)
    assert all(len(part) <= LIMIT for part in parts)
    found = [int(url) for part in parts for url in part.split("#u")[1:] for url in [url.split("\n")[0]]]
    assert found == list(range(len(lines)))
    if len(parts) > 1:
        assert all(f"({number}/{len(parts)})" in part for number, part in enumerate(parts, start=1))
