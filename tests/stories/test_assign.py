"""Which variants of a report join its story, and which reports stay stories of their own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.stories.articles import BRIDGE, BRIDGE_TITLE, SUMMIT, SUMMIT_TITLE, paragraphs, respelled
from worker.stories import MemoryIndex, StoryInput, assign_story
from worker.stories.text import TEXT_MAX_CHARS, fingerprint

NOW = 1_773_300_000.0


def _first_then(title: str, text: str, *, summary_only: bool = False) -> tuple[str, str]:
    index = MemoryIndex()
    first = assign_story(index, StoryInput("first", BRIDGE_TITLE, BRIDGE), NOW)
    second = assign_story(index, StoryInput("second", title, text, summary_only=summary_only), NOW + 60)
    return first.story_id, second.story_id


SAME_STORY: dict[str, Callable[[], tuple[str, str]]] = {
    "copy": lambda: (BRIDGE_TITLE, BRIDGE),
    "respelled copy": lambda: (BRIDGE_TITLE, respelled(BRIDGE)),
    "copy under another headline": lambda: ("गंगा पर छह लेन का पुल जनता को समर्पित", BRIDGE),
    "changed dateline": lambda: (BRIDGE_TITLE, BRIDGE.replace("पटना, 12 मार्च (भाषा)", "नई दिल्ली, 13 मार्च")),
    "trimmed tail": lambda: (BRIDGE_TITLE, "\n\n".join(paragraphs(BRIDGE)[:3])),
    "agency tag and read-also line": lambda: (
        BRIDGE_TITLE + " (भाषा)",
        BRIDGE + "\n\nयह भी पढ़ें: राज्य में बनेंगे चार और पुल\n\nIANS",
    ),
    "reordered paragraphs": lambda: (BRIDGE_TITLE, "\n\n".join(reversed(paragraphs(BRIDGE)))),
    "one paragraph dropped and one line added": lambda: (
        BRIDGE_TITLE,
        "\n\n".join(paragraphs(BRIDGE)[:2] + paragraphs(BRIDGE)[3:] + ["स्थानीय लोगों ने पुल बनने पर खुशी जताई।"]),
    ),
}


@pytest.mark.parametrize("variant", SAME_STORY, ids=list(SAME_STORY))
def test_a_copy_or_close_rewrite_joins_the_first_story(variant: str) -> None:
    title, text = SAME_STORY[variant]()
    first, second = _first_then(title, text)
    assert second == first


DIFFERENT_STORY: dict[str, tuple[str, str]] = {
    "same leader, same day, another event": (SUMMIT_TITLE, SUMMIT),
    "empty body under another headline": ("प्रधानमंत्री का बिहार दौरा आज", ""),
    "one-line body of boilerplate": ("प्रधानमंत्री आज बिहार में", "यह भी पढ़ें: प्रधानमंत्री नरेंद्र मोदी (भाषा)"),
    "only the dateline in common": ("एक और खबर", "पटना, 12 मार्च (भाषा) राज्य में बारिश हुई।"),
}


@pytest.mark.parametrize("variant", DIFFERENT_STORY, ids=list(DIFFERENT_STORY))
def test_a_different_report_starts_a_story_of_its_own(variant: str) -> None:
    first, second = _first_then(*DIFFERENT_STORY[variant])
    assert second == "second" != first


def test_a_summary_only_article_with_the_same_headline_joins_the_story() -> None:
    first, second = _first_then(BRIDGE_TITLE, paragraphs(BRIDGE)[0][:90], summary_only=True)
    assert second == first


def test_two_empty_bodies_with_short_headlines_stay_apart() -> None:
    index = MemoryIndex()
    first = assign_story(index, StoryInput("a", "लाइव अपडेट", ""), NOW)
    second = assign_story(index, StoryInput("b", "लाइव अपडेट", ""), NOW)
    assert (first.story_id, second.story_id) == ("a", "b")


def test_the_first_article_of_a_story_says_so_and_a_copy_says_why_it_joined() -> None:
    index = MemoryIndex()
    first = assign_story(index, StoryInput("a", BRIDGE_TITLE, BRIDGE), NOW)
    copy = assign_story(index, StoryInput("b", "x", respelled(BRIDGE)), NOW)
    assert (first.is_first, first.reason) == (True, "new")
    assert (copy.is_first, copy.reason, copy.similarity) == (False, "exact", 1.0)


def test_a_huge_body_is_fingerprinted_from_a_bounded_prefix() -> None:
    huge = (BRIDGE + "\n\n") * 2_000  # over 2 MB
    assert len(huge.encode()) > 2_000_000
    assert fingerprint(BRIDGE_TITLE, huge) == fingerprint(BRIDGE_TITLE, huge[:TEXT_MAX_CHARS])


def test_a_huge_copy_still_joins_its_story() -> None:
    index = MemoryIndex()
    first = assign_story(index, StoryInput("a", BRIDGE_TITLE, (BRIDGE + "\n\n") * 2_000), NOW)
    second = assign_story(index, StoryInput("b", BRIDGE_TITLE, (BRIDGE + "\n\n") * 1_000), NOW)
    assert second.story_id == first.story_id == "a"


@pytest.mark.parametrize(
    ("article_id", "story"), [("a", "a"), ("https://example.in/" + "x" * 600, "https://example.in/first")]
)
def test_an_entry_reads_back_as_written_and_long_ids_are_cut(article_id: str, story: str) -> None:
    from worker.stories.entry import ID_MAX_BYTES, Entry

    entry = Entry(article_id, story, NOW, NOW - 5, 7, 9, 300, bytes(256), summary_only=True)
    back = Entry.unpack(entry.pack())
    assert back.story == story and back.article_id == article_id[:ID_MAX_BYTES]
    assert (back.at, back.story_at, back.body_hash, back.title_hash, back.summary_only) == (NOW, NOW - 5, 7, 9, True)


def test_a_feed_summary_under_another_headline_joins_when_the_article_contains_it() -> None:
    summary = " ".join(BRIDGE.split()[:45])
    first, second = _first_then("बिहार को मिला नया पुल, यात्रा होगी आसान", summary, summary_only=True)
    assert second == first


def test_a_feed_summary_of_another_event_about_the_same_leader_stays_apart() -> None:
    summary = " ".join(SUMMIT.split()[:45])
    first, second = _first_then(SUMMIT_TITLE, summary, summary_only=True)
    assert second == "second" != first


def test_a_story_of_a_very_long_id_is_named_alike_for_its_first_article_and_its_copies() -> None:
    index = MemoryIndex()
    long_id = "https://example.in/" + "क" * 1_000
    first = assign_story(index, StoryInput(long_id, BRIDGE_TITLE, BRIDGE), NOW)
    copy = assign_story(index, StoryInput("copy", BRIDGE_TITLE, respelled(BRIDGE)), NOW)
    assert copy.story_id == first.story_id
