"""Digests sent as one text message per part (Mattermost Markdown, Telegram HTML): the same shape on both, each
platform's markup given by one ``TextDigestMarkup`` table entry.

A part is its heading, then per entity a bold line and one bulleted line per story (its title linked when the
URL is safe, its byline under it), then the footer, blocks separated by a blank line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from worker.alerts.digest import DigestView, Entry, StoryLine, part_label, sections
from worker.alerts.markup import Markup, safe_url
from worker.alerts.parts import Part, split_parts
from worker.alerts.text import utf16_len


@dataclass(frozen=True)
class TextDigestMarkup:
    """How one platform writes a text digest. The templates take only escaped text and safe URLs."""

    markup: Markup  # escaping and bold
    heading: str  # "{}" is the escaped heading
    footer: str  # "{}" is the escaped footer
    link: str  # "{title}" is the escaped title, "{url}" the URL after ``url_escape``
    url_escape: Callable[[str], str]
    bullet: str  # starts a story's line
    line_break: str  # between a story's title and its byline
    max_chars: int  # UTF-16 code units in one message


def digest_texts(view: DigestView, markup: TextDigestMarkup) -> list[str]:
    def fits(text: str) -> bool:
        return utf16_len(text) <= markup.max_chars

    return split_parts(view.entries, lambda entries, part: _part(view, entries, part, markup), fits)


def _part(view: DigestView, entries: Sequence[Entry], part: Part | None, markup: TextDigestMarkup) -> str:
    escape = markup.markup.escape
    blocks = [markup.heading.format(escape(view.heading + part_label(part)))]
    for entity, stories in sections(entries):
        blocks.append("\n".join([markup.markup.bold(entity), *(_story(story, markup) for story in stories)]))
    blocks.append(markup.footer.format(escape(view.footer)))
    return "\n\n".join(blocks)


def _story(story: StoryLine, markup: TextDigestMarkup) -> str:
    url = safe_url(story.url)
    title = markup.markup.escape(story.title)
    linked = markup.link.format(title=title, url=markup.url_escape(url)) if url else title
    return f"{markup.bullet}{linked}{markup.line_break}  {markup.markup.escape(story.byline)}"
