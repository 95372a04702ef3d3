"""Digests as one text message (Mattermost Markdown, Telegram HTML), byte for byte: the same shape, each
platform's markup, feed text escaped, an unsafe URL left unlinked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.alerts.sample import ALERT, make_alert
from tests.alerts.test_payloads import CHANNELS
from worker.alerts.digest import Digest

LINKED = make_alert(url="https://www.example-news.in/world/putin?id=123&lang=hi")
UNLINKED = replace(
    make_alert(url="javascript:alert(1)", title="*किम* <b>@here", outlet="दूसरा"), id="b2", matches=ALERT.matches[2:]
)
DIGEST = Digest("digest-t", "world-leaders", "desk", "schedule", "w", (LINKED.to_dict(), UNLINKED.to_dict()))
TITLE = "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा"
WHEN = "28 नवंबर 2026, 14:05 IST"
EXPECTED = {
    "mattermost": (
        "#### ख़बरों का सारांश · world-leaders · 2 ख़बरें\n\n"
        "**नेता · putin**\n"
        f"- [{TITLE}](https://www.example-news.in/world/putin?id=123&lang=hi)  \n"
        f"  उदाहरण समाचार · {WHEN}\n\n"
        "**विषय · sanctions**\n"
        "- \\*किम\\* \\<b\\>@\u2060here  \n"
        f"  दूसरा · {WHEN}\n\n"
        "_world-leaders · khabardar_"
    ),
    "telegram": (
        "<b>ख़बरों का सारांश · world-leaders · 2 ख़बरें</b>\n\n"
        "<b>नेता · putin</b>\n"
        f'• <a href="https://www.example-news.in/world/putin?id=123&amp;lang=hi">{TITLE}</a>\n'
        f"  उदाहरण समाचार · {WHEN}\n\n"
        "<b>विषय · sanctions</b>\n"
        "• *किम* &lt;b&gt;@\u2060here\n"
        f"  दूसरा · {WHEN}\n\n"
        "<i>world-leaders · khabardar</i>"
    ),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_text_digest_is_written_in_the_platforms_markup(kind: str) -> None:
    (payload,) = CHANNELS[kind].digest_payloads(DIGEST)
    assert payload["text"] == EXPECTED[kind]
