"""Alerts and digests sent as one text message (Mattermost Markdown, Telegram HTML): the same shape on both, each
platform's markup given by one ``ChatMarkup`` table entry.

An alert is its heading (the title, linked when the URL is safe, over the byline), the matched names, the snippet
quoted, and the footer. A digest part is its heading, then per entity a bold line and one bulleted line per story
(its title linked, its byline under it), then the footer. Blocks are separated by a blank line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from worker.alerts.digest import DigestView, Entry, StoryLine, part_label, sections
from worker.alerts.limits import HEADING_BUDGET_CHARS, MATCHES_BUDGET_CHARS
from worker.alerts.markup import Markup, safe_url
from worker.alerts.parts import Part, split_parts
from worker.alerts.text import Runs, fit, fit_text, utf16_len
from worker.alerts.view import AlertView, matches_runs


@dataclass(frozen=True)
class ChatMarkup:
    """How one platform writes a text message. The templates take only escaped text and safe URLs."""

    markup: Markup  # escaping and bold
    heading: str  # "{}" is the escaped heading
    footer: str  # "{}" is the escaped footer
    link: str  # "{title}" is the escaped title, "{url}" the URL after ``url_escape``
    url_escape: Callable[[str], str]
    quote: str  # "{}" is the alert's snippet, written in the markup
    bullet: str  # starts a story's line
    line_break: str  # a line break inside a block (the platform's own, where a bare newline is not one)
    alert_max_chars: int  # UTF-16 code units in an alert's message
    max_chars: int  # UTF-16 code units in one digest message


def alert_text(view: AlertView, markup: ChatMarkup) -> str:
    head = _alert_heading(view, markup)
    matches = fit(matches_runs(view.matches), markup.markup.runs, utf16_len, MATCHES_BUDGET_CHARS)
    matches = matches.replace("\n", markup.line_break)
    footer = markup.footer.format(markup.markup.escape(view.footer))

    def build(snippet: Runs) -> str:
        quote = "\n\n" + markup.quote.format(markup.markup.runs(snippet)) if snippet else ""
        return f"{head}\n\n{matches}{quote}\n\n{footer}"

    return fit(view.snippet, build, utf16_len, markup.alert_max_chars)


def _alert_heading(view: AlertView, markup: ChatMarkup) -> str:
    url = safe_url(view.url)

    def build(title: str) -> str:
        return f"{markup.heading.format(_linked(title, url, markup))}\n{markup.markup.escape(view.byline)}"

    return fit_text(view.title, build, utf16_len, HEADING_BUDGET_CHARS)


def _linked(title: str, url: str | None, markup: ChatMarkup) -> str:
    escaped = markup.markup.escape(title)
    return markup.link.format(title=escaped, url=markup.url_escape(url)) if url else escaped


def digest_texts(view: DigestView, markup: ChatMarkup) -> list[str]:
    def fits(text: str) -> bool:
        return utf16_len(text) <= markup.max_chars

    return split_parts(view.entries, lambda entries, part: _part(view, entries, part, markup), fits)


def _part(view: DigestView, entries: Sequence[Entry], part: Part | None, markup: ChatMarkup) -> str:
    escape = markup.markup.escape
    blocks = [markup.heading.format(escape(view.heading + part_label(part)))]
    for entity, stories in sections(entries):
        blocks.append("\n".join([markup.markup.bold(entity), *(_story(story, markup) for story in stories)]))
    blocks.append(markup.footer.format(escape(view.footer)))
    return "\n\n".join(blocks)


def _story(story: StoryLine, markup: ChatMarkup) -> str:
    linked = _linked(story.title, safe_url(story.url), markup)
    return f"{markup.bullet}{linked}{markup.line_break}  {markup.markup.escape(story.byline)}"
