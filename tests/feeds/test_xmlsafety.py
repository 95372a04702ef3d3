"""XML entity attacks parse fast and fetch nothing; an unsafe Expat stops the service at start-up."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from tests.feeds.conftest import FEED_URL, item, rss
from worker.errors import FeedError
from worker.feeds import parse_feed
from worker.feeds.xmlsafety import check_expat, defuse

LAUGH_LEVELS = 10


def billion_laughs() -> str:
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, LAUGH_LEVELS)]
    return "<!DOCTYPE rss [\n" + "\n".join(lines) + "\n]>"


QUADRATIC_VALUE_CHARS = 100_000
QUADRATIC_REFERENCES = 100_000


@pytest.mark.timeout(30)
def test_billion_laughs_parses_without_expanding() -> None:
    body = rss(item(title=f"&lol{LAUGH_LEVELS - 1};"), prolog=billion_laughs())
    document = parse_feed(body, url=FEED_URL)
    assert len(document.entries) == 1
    assert "lollol" not in document.entries[0].title
    assert any("entity declarations" in warning for warning in document.warnings)


@pytest.mark.timeout(30)
def test_quadratic_blowup_parses_without_expanding() -> None:
    prolog = f'<!DOCTYPE rss [<!ENTITY a "{"x" * QUADRATIC_VALUE_CHARS}">]>'
    body = rss(item(title="&a;" * QUADRATIC_REFERENCES), prolog=prolog)
    document = parse_feed(body, url=FEED_URL)
    assert "xx" not in document.entries[0].title  # 10 GB of x's were asked for; none were made
    assert "ignored 1 XML entity declarations" in document.warnings


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/xxe">]>',
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//X//Y" "http://127.0.0.1:{port}/public">]>',
        '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/evil.dtd"> %remote;]>',
        "<!DOCTYPE rss [<!ENTITY % inner \"<!ENTITY lol 'x'>\"> %inner;]>",
        '<!DOCTYPE rss [<!NOTATION gif SYSTEM "image/gif"><!ENTITY pic SYSTEM "http://127.0.0.1:{port}/p" NDATA gif>]>',
    ],
)
def test_external_and_parameter_entities_are_refused_and_fetch_nothing(prolog: str, canary: HTTPServer) -> None:
    body = rss(item(title="&xxe;"), prolog=prolog.format(port=canary.port))
    with pytest.raises(FeedError, match="entity"):
        parse_feed(body, url=FEED_URL)
    assert canary.log == []


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/rss.dtd">',
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:{port}/rss-0.91.dtd">',
        '<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:{port}/style.xsl"?>',
    ],
)
def test_external_dtds_and_stylesheets_are_never_fetched(prolog: str, canary: HTTPServer) -> None:
    body = rss(item(), prolog=prolog.format(port=canary.port))
    assert len(parse_feed(body, url=FEED_URL).entries) == 1
    assert canary.log == []


def test_xinclude_is_not_processed(canary: HTTPServer) -> None:
    include = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="http://127.0.0.1:{canary.port}/x"/>'
    document = parse_feed(rss(item(description=include)), url=FEED_URL)
    assert len(document.entries) == 1
    assert canary.log == []


def test_doctype_is_cut_out_and_the_rest_kept_byte_for_byte() -> None:
    head = b'<?xml version="1.0"?>\n<!-- <!DOCTYPE decoy> -->\n'
    root = b'<rss version="2.0"><channel/></rss>'
    cleaned, warnings = defuse(head + b'<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n]>\n' + root)
    assert cleaned == head + root
    assert warnings == ("ignored 1 XML entity declarations",)


def test_unreadable_prolog_with_entities_is_refused() -> None:
    with pytest.raises(FeedError):
        defuse(b'<!doctype rss [<!ENTITY a "b">]><rss/>')


@pytest.mark.parametrize(
    ("version", "outcome"),
    [
        ((2, 2, 8), "refuse"),
        ((2, 4, 0), "refuse"),
        ((2, 4, 9), "refuse"),
        ((2, 5, 0), "advise"),
        ((2, 6, 3), "advise"),
        ((2, 7, 2), "fine"),
        ((2, 7, 3), "fine"),
        ((3, 0, 0), "fine"),
    ],
)
def test_expat_version_decides_whether_to_start(version: tuple[int, int, int], outcome: str) -> None:
    if outcome == "refuse":
        with pytest.raises(FeedError, match="refusing to start"):
            check_expat(version)
    else:
        assert (check_expat(version) is None) is (outcome == "fine")


def test_the_running_expat_is_accepted() -> None:
    check_expat()
