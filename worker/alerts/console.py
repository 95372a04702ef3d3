"""The console channel: prints each alert readably on stdout, so a first run works before any webhook exists."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from worker.alerts.base import Channel, JsonPoster
from worker.alerts.digest import Digest, DigestView, sections
from worker.alerts.markup import escape_plain, safe_url
from worker.alerts.model import Alert
from worker.alerts.text import Runs, clean_line
from worker.alerts.view import PRODUCT_NAME, AlertView, match_label, match_names
from worker.config.models import ConsoleChannel

BOLD_ON = "\x1b[1m"
BOLD_OFF = "\x1b[0m"
RULE_CHARS = 60


def console_text(view: AlertView, *, ansi: bool = False) -> str:
    """Plain lines; with ``ansi`` the title and matched names are bold (feed text has no control codes left)."""
    bold = (lambda text: f"{BOLD_ON}{text}{BOLD_OFF}") if ansi else (lambda text: text)
    lines = [
        f"── {PRODUCT_NAME} · {view.watchlist} ".ljust(RULE_CHARS, "─"),
        bold(view.title),
        safe_url(view.url) or clean_line(view.url),
        view.byline,
        *(f"{match_label(match)} {match.entity}: {match_names(match)}" for match in view.matches),
    ]
    if view.snippet:
        lines.append("» " + _snippet(view.snippet, bold))
    return "\n".join(lines) + "\n"


def _snippet(runs: Runs, bold: Any) -> str:
    return "".join(bold(text) if is_bold else text for text, is_bold in runs)


class Console(Channel):
    kind = "console"

    def __init__(self, name: str, config: ConsoleChannel, *, stream: TextIO | None = None) -> None:
        super().__init__(name)
        self.config = config
        self._stream = stream

    def payload(self, alert: Alert) -> dict[str, Any]:
        return {"text": console_text(AlertView.of(alert))}

    def target(self) -> str:
        return ""

    def secrets(self) -> tuple[str, ...]:
        return ()

    def where(self) -> str:
        return "stdout"

    def send(self, alert: Alert, http: JsonPoster) -> str:
        stream = self._stream or sys.stdout
        stream.write(console_text(AlertView.of(alert), ansi=stream.isatty()))
        stream.flush()
        return ""

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return [{"text": console_digest_text(DigestView.of(digest))}]

    def send_digest_part(self, digest: Digest, number: int, http: JsonPoster) -> int:
        stream = self._stream or sys.stdout
        stream.write(self.digest_payloads(digest)[number]["text"])
        stream.flush()
        return 1

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"text": escape_plain(text)}

    def send_notice(self, text: str, http: JsonPoster) -> None:
        stream = self._stream or sys.stdout
        print(self.notice_payload(text)["text"], file=stream, flush=True)


def console_digest_text(view: DigestView) -> str:
    """The whole digest at once: a terminal has no message limit."""
    lines = [f"── {PRODUCT_NAME} · {view.heading} ".ljust(RULE_CHARS, "─")]
    for entity, stories in sections(view.entries):
        lines.append(f"[{entity}]")
        for story in stories:
            lines += [f"• {story.title}", f"  {safe_url(story.url) or clean_line(story.url)}", f"  {story.byline}"]
    return "\n".join(lines) + "\n"
