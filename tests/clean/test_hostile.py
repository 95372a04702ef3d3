"""Hostile pages (10 MB of nested divs, broken markup, wrong charset label) clean or fail with CleanError, bounded.

Each page is cleaned in a child process under an address-space limit and a deadline, so a page that blew up
memory or never finished would fail the test instead of taking the test run down with it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap

import pytest

from worker.clean import PAGE_MAX_BYTES, TEXT_MAX_CHARS

MEMORY_LIMIT_BYTES = 2 * 1024**3
DEADLINE_S = 120
PAGE_BYTES = 10 * 1024 * 1024

# Each builds a 10 MB page from the sentence S (Hindi, UTF-8) in the child; pages are labelled ISO-8859-1.
PAGES = {
    "nested-divs": "('<html><head><meta charset=iso-8859-1></head><body>' + f'<div class=a><p>{S}' * 200_000)",
    "broken-markup": "('<html><body>' + f'<table><tr><td><p class=x {S}<b><i>{S}</td></div></span><p>' * 100_000)",
    "one-text-node": "(S * 200_000)",
    "nested-inline": "('<html><body><p>' + f'<b><i>{S}' * 100_000)",
    "many-paragraphs": "('<html><body><div>' + ''.join(f'<p>{i} {S}</p>' for i in range(200_000)))",
    "endless-attributes": "('<html><body><div ' + 'a=b ' * 3_000_000 + '><p>' + S * 20)",
    "endless-comment": "('<html><body><!--' + 'x' * 9_000_000 + '<p>' + S * 20)",
    "nested-tables": "('<html><body>' + f'<table><tr><td>{S}' * 100_000)",
}
CHILD = textwrap.dedent(
    """
    import json, sys
    from worker.clean import clean_html
    from worker.errors import CleanError
    S = "पुतिन और किम की शिखर वार्ता रूस के बंदरगाह शहर में हुई। "
    page = {expression}.encode()[:{size}]
    try:
        article = clean_html(page, content_type="text/html; charset=iso-8859-1")
        print(json.dumps({{"outcome": "article", "chars": len(article.text), "text": article.text[:200]}}))
    except CleanError as exc:
        print(json.dumps({{"outcome": "CleanError", "message": str(exc)}}))
    """
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def clean_in_child(expression: str) -> dict[str, object]:
    code = CHILD.format(expression=expression, size=PAGE_BYTES)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("name", sorted(PAGES))
def test_hostile_page_cleans_or_raises_clean_error_within_limits(name: str) -> None:
    result = clean_in_child(PAGES[name])
    assert result["outcome"] in {"article", "CleanError"}
    if result["outcome"] == "article":
        # whatever survives is the page's own Devanagari text, decoded right despite the ISO-8859-1 label
        assert "पुतिन" in str(result["text"])
        assert int(str(result["chars"])) <= TEXT_MAX_CHARS


def test_page_cap_is_well_below_the_hostile_size() -> None:
    assert PAGE_MAX_BYTES < PAGE_BYTES
