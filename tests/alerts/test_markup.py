"""Feed text can never ping or inject markup on any platform."""

from __future__ import annotations

import pytest

from worker.alerts.markup import (
    HTML,
    MARKDOWN,
    SLACK,
    WORD_JOINER,
    defuse_mentions,
    escape_html,
    escape_markdown,
    escape_plain,
    escape_slack,
    safe_url,
)

WJ = WORD_JOINER


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<!channel> देखें", "&lt;!channel&gt; देखें"),
        ("<!here|here>", "&lt;!here|here&gt;"),
        ("<@U024BE7LH> ने कहा", f"&lt;@{WJ}U024BE7LH&gt; ने कहा"),
        ("<https://evil.example|पुतिन>", "&lt;https://evil.example|पुतिन&gt;"),
        ("A & B", "A &amp; B"),
        ("@channel @here @everyone", f"@{WJ}channel @{WJ}here @{WJ}everyone"),
        ("*बोल्ड* _तिरछा_", "*बोल्ड* _तिरछा_"),
    ],
)
def test_slack_escaping_neutralises_mentions_and_links(text: str, escaped: str) -> None:
    assert escape_slack(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("@everyone पढ़ें", f"@{WJ}everyone पढ़ें"),
        ("@here", f"@{WJ}here"),
        ("<@&123> और <@456>", f"\\<@{WJ}&123\\> और \\<@{WJ}456\\>"),
        ("**बोल्ड** _x_ ~~y~~ `z` ||spoiler||", "\\*\\*बोल्ड\\*\\* \\_x\\_ \\~\\~y\\~\\~ \\`z\\` \\|\\|spoiler\\|\\|"),
        ("[क्लिक](https://evil.example)", "\\[क्लिक\\](https://evil.example)"),
        ("# शीर्षक", "\\# शीर्षक"),
        ("-# छोटा", "\\-# छोटा"),
        ("> उद्धरण", "\\> उद्धरण"),
        ("1. सूची", "1\\. सूची"),
        ("किम जोंग-उन 2026 में", "किम जोंग-उन 2026 में"),
        ("a\\b", "a\\\\b"),
        ("@channel @all", f"@{WJ}channel @{WJ}all"),
    ],
)
def test_markdown_escaping_neutralises_mentions_and_formatting(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<b>नकली</b>", "&lt;b&gt;नकली&lt;/b&gt;"),
        ('<a href="https://evil.example">x</a>', '&lt;a href="https://evil.example"&gt;x&lt;/a&gt;'),
        ("A & B", "A &amp; B"),
        ("@someuser देखें", f"@{WJ}someuser देखें"),
        ("<users/all>", "&lt;users/all&gt;"),
    ],
)
def test_html_escaping_neutralises_tags_and_mentions(text: str, escaped: str) -> None:
    assert escape_html(text) == escaped


def test_plain_text_platforms_still_get_mentions_defused() -> None:
    assert escape_plain("<at>everyone</at> @everyone") == f"<at>everyone</at> @{WJ}everyone"


def test_a_lone_at_sign_is_left_alone() -> None:
    assert defuse_mentions("a @ b") == "a @ b"


@pytest.mark.parametrize(
    ("markup", "rendered"),
    [
        (SLACK, "कहा *पुतिन* &amp; *<@\u2060x>*".replace("<", "&lt;").replace(">", "&gt;")),
        (MARKDOWN, "कहा **पुतिन** & **\\<@\u2060x\\>**"),
        (HTML, "कहा <b>पुतिन</b> &amp; <b>&lt;@\u2060x&gt;</b>"),
    ],
)
def test_bold_runs_escape_their_text_inside_the_markup(markup: object, rendered: str) -> None:
    runs = (("कहा ", False), ("पुतिन", True), (" & ", False), ("<@x>", True))
    assert markup.runs(runs) == rendered  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.in/a/b.html?x=1&y=2", "https://example.in/a/b.html?x=1&y=2"),
        ("https://example.in/a b|c>d", "https://example.in/a%20b%7Cc%3Ed"),
        ("https://example.in/(x)", "https://example.in/%28x%29"),
        ("https://example.in/पुतिन", "https://example.in/%E0%A4%AA%E0%A5%81%E0%A4%A4%E0%A4%BF%E0%A4%A8"),
        ("https://example.in/already%20quoted", "https://example.in/already%20quoted"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("ftp://example.in/x", None),
        ("", None),
        ("https://example.in/" + "a" * 2000, None),
    ],
)
def test_safe_url_links_only_http_and_encodes_link_breaking_characters(url: str, safe: str | None) -> None:
    assert safe_url(url) == safe
