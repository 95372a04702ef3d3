"""Escaping per platform, so text from feeds shows as text: it can never ping anyone or inject markup.

Feed text is only ever escaped and concatenated, never used as a template. Every platform also gets the
mention defuse: a WORD JOINER (U+2060, invisible) after each ``@``, which breaks ``@everyone``, ``@here``,
``@channel``, ``@all``, ``<@123>`` and ``<@&123>`` without changing what a reader sees.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import regex

from worker.alerts.limits import URL_MAX_CHARS
from worker.alerts.text import Runs

WORD_JOINER = "\u2060"
_MENTION = regex.compile(r"@(?=\S)")
# Characters that start inline Markdown (CommonMark and Discord's dialect); a backslash makes them literal.
_MARKDOWN_INLINE = regex.compile(r"([\\*_~`|\[\]<>])")
# Block syntax only counts at the start of a line: headings, quotes, lists, Discord's "-# " subtext.
_MARKDOWN_LINE_START = regex.compile(r"(?m)^(\s*)([#>+\-])")
_MARKDOWN_ORDERED_LIST = regex.compile(r"(?m)^(\s*\d+)([.)])")
_SLACK_SPECIALS = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Kept as they are in a link; everything else (spaces, quotes, |, <, >, parentheses, non-ASCII) is %-encoded.
_URL_SAFE_CHARS = ":/?#[]@!$&*+,;=%~-._"


def defuse_mentions(text: str) -> str:
    defused: str = _MENTION.sub("@" + WORD_JOINER, text)
    return defused


def escape_slack(text: str) -> str:
    """Slack mrkdwn: &, < and > are the only control characters (they make <!channel>, <@U…> and links)."""
    return defuse_mentions("".join(_SLACK_SPECIALS.get(char, char) for char in text))


def escape_markdown(text: str) -> str:
    """Discord and Mattermost Markdown: inline specials and line-start block markers get a backslash."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    text = _MARKDOWN_LINE_START.sub(r"\1\\\2", text)
    return defuse_mentions(_MARKDOWN_ORDERED_LIST.sub(r"\1\\\2", text))


def escape_html(text: str) -> str:
    """Telegram's and Google Chat cards' HTML subset: only &, < and > are special in text."""
    return defuse_mentions(html.escape(text, quote=False))


def escape_plain(text: str) -> str:
    """Platforms that show text as text (Adaptive Card TextRuns, the console) still get the mention defuse."""
    return defuse_mentions(text)


def safe_url(url: str) -> str | None:
    """An http(s) URL fit to put in any platform's link syntax, or None when it should not be linked."""
    if not url or len(url) > URL_MAX_CHARS:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    quoted = quote(url.strip(), safe=_URL_SAFE_CHARS)
    worst_escaped_chars = len(quoted) + 4 * quoted.count("&")  # & may become &amp;
    return quoted if worst_escaped_chars <= URL_MAX_CHARS else None


@dataclass(frozen=True)
class Markup:
    """How one platform writes escaped text and bold."""

    escape: Callable[[str], str]
    bold_open: str
    bold_close: str

    def bold(self, text: str) -> str:
        return f"{self.bold_open}{self.escape(text)}{self.bold_close}" if text else ""

    def runs(self, runs: Runs) -> str:
        return "".join(self.bold(text) if bold else self.escape(text) for text, bold in runs)


SLACK = Markup(escape_slack, "*", "*")
MARKDOWN = Markup(escape_markdown, "**", "**")
HTML = Markup(escape_html, "<b>", "</b>")
PLAIN = Markup(escape_plain, "", "")
