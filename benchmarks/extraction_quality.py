"""Extraction quality: khabardar against plain trafilatura and readability-lxml on the same pages, in one run.

Pages: the gold set in ``tests/data/extraction/`` (publisher markup, article text written for khabardar), the real
pages of the shared corpus scored against gold derived at run time by a recipe per page (the article container,
the nodes to drop, the expected paragraph count), and two real Bhaskar pages against the fundus maintainers'
answer keys as they are. Prints, per page and overall, token precision/recall/F1 of the body, whether the title
matches exactly, and whether any boilerplate survived.

    python benchmarks/extraction_quality.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import regex
import trafilatura
from lxml.cssselect import CSSSelector

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import worker.clean  # noqa: E402
from worker.clean import clean_html, decode_html  # noqa: E402
from worker.clean.blocks import paragraphs as block_paragraphs  # noqa: E402
from worker.clean.profiles import NO_PROFILE, Profile  # noqa: E402
from worker.clean.text import squash  # noqa: E402
from worker.errors import CleanError  # noqa: E402

GOLD_DIR = REPO_ROOT / "tests" / "data" / "extraction"
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# A boilerplate line this long counts as surviving when it appears anywhere in the body, not only as a paragraph.
BOILERPLATE_SUBSTRING_MIN_CHARS = 12
EXTRACTORS = ("khabardar", "no-profiles", "trafilatura", "readability")

# Real corpus pages: where the story is, what inside it is not story, how many paragraphs a reader sees.
RECIPES_FILE = GOLD_DIR / "corpus" / "recipes.json"


@dataclass(frozen=True)
class Page:
    name: str
    publisher: str
    body: bytes
    url: str
    content_type: str | None
    title: str
    paragraphs: list[str]
    boilerplate: list[str]
    kind: str  # "gold" (hand-written markup), "recipe" (real page) or "fundus" (real page, fundus answer key)


@dataclass(frozen=True)
class Result:
    title: str
    text: str


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    title_ok: bool
    boilerplate: list[str]


def gold_pages() -> list[Page]:
    pages = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        body = path.with_suffix(".html").read_bytes()
        pages.append(
            Page(
                path.stem,
                gold["publisher"],
                body,
                gold["url"],
                gold["content_type"],
                gold["title"],
                gold["paragraphs"],
                gold["boilerplate"],
                "gold",
            )
        )
    return pages


def _recipes() -> dict[str, Any]:
    recipes: dict[str, Any] = json.loads(RECIPES_FILE.read_text(encoding="utf-8"))
    return recipes


def recipe_pages(corpus: Path) -> list[Page]:
    pages = []
    for recipe in _recipes()["recipes"]:
        body = (corpus / "pages" / str(recipe["file"])).read_bytes()
        tree = lxml.html.document_fromstring(decode_html(body))
        title = squash(next(tree.iter("h1")).text_content())  # before the recipe drops what holds it
        paragraphs = recipe_paragraphs(tree, recipe)
        if len(paragraphs) != recipe["paragraphs"]:
            raise SystemExit(
                f"recipe for {recipe['file']} reads {len(paragraphs)} paragraphs, not {recipe['paragraphs']}"
            )
        pages.append(
            Page(
                str(recipe["file"]).removesuffix(".html"),
                str(recipe["publisher"]),
                body,
                str(recipe["url"]),
                None,
                title,
                paragraphs,
                list(recipe["boilerplate"]),
                "recipe",
            )  # type: ignore[call-overload]
        )
    return pages


def recipe_paragraphs(tree: lxml.html.HtmlElement, recipe: dict[str, object]) -> list[str]:
    """The gold paragraphs a recipe describes: its container, minus its drops, one paragraph per block or line."""
    container = CSSSelector(str(recipe["container"]))(tree)[0]
    for selector in recipe["drop"]:  # type: ignore[attr-defined]
        for node in CSSSelector(selector)(container):
            node.drop_tree()
    for br in container.iter("br"):
        br.tail = "\n" + (br.tail or "")  # a line break ends a paragraph the way a reader sees it
    blocks = [container] if recipe.get("split") == "br" else CSSSelector(str(recipe.get("blocks", "p")))(container)
    lines = [line for node in blocks for line in node.text_content().split("\n")]
    return [squash(line) for line in lines if squash(line)]


def fundus_pages(corpus: Path) -> list[Page]:
    pages = []
    fundus = _recipes()["fundus"]
    for entry in fundus["pages"]:
        name, url = entry["name"], entry["url"]
        key = json.loads((corpus / "extraction-gold" / f"{name}.fundus.json").read_text(encoding="utf-8"))["V1"]
        sections = key["body"]["sections"]
        paragraphs = [p for section in sections for p in section["headline"] + section["paragraphs"]]
        body = (corpus / "pages" / f"{name}.html").read_bytes()
        pages.append(Page(name, "bhaskar", body, url, None, key["title"], paragraphs, fundus["boilerplate"], "fundus"))
    return pages


BBC_ASSETS = "bbc-hindi"
BBC_FOOTER = "एंड्रॉएड ऐप"  # the app-and-follow line BBC Hindi closes stories with: chrome, not story
CANDY_LINK = re.compile(r"<link><caption>(.*?)</caption>.*?</link>", re.DOTALL)
CANDY_TAG = re.compile(r"</?(?:bold|italic|paragraph|inline)[^>]*>")


def bbc_pages(corpus: Path) -> list[Page]:
    """BBC News हिंदी stories from their CPS asset JSON, rendered in the article markup of bbc.com/hindi.

    The gold is the asset's own paragraph and heading blocks, so the text is the BBC's, not ours.
    """
    pages = []
    for path in sorted((corpus / BBC_ASSETS).glob("*_cpsAsset.json")):
        asset = json.loads(path.read_text(encoding="utf-8"))
        title = asset["promo"]["headlines"]["headline"]
        body, gold, chrome = _bbc_body(asset["content"]["blocks"])
        url = "https://www.bbc.com" + asset["metadata"]["locators"]["assetUri"]
        page = _bbc_page(title, body).encode()
        pages.append(Page(path.stem, "bbc", page, url, None, title, gold, chrome, "bbc-cps"))
    return pages


def _candy_text(text: str) -> str:
    return squash(html.unescape(CANDY_TAG.sub("", CANDY_LINK.sub(r"\1", text))))


def _candy_html(text: str) -> str:
    linked = CANDY_LINK.sub(r'<a href="/hindi">\1</a>', text)
    for candy, tag in (("bold", "b"), ("italic", "i")):
        linked = linked.replace(f"<{candy}>", f"<{tag}>").replace(f"</{candy}>", f"</{tag}>")
    return linked


def _bbc_body(blocks: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    html_blocks, gold, chrome = [], [], ["ये भी पढ़ें", "इमेज स्रोत", "इमेज कैप्शन"]
    for block in blocks:
        kind = block["type"]
        if kind in ("paragraph", "heading"):
            text = _candy_text(block["text"])
            tag = "h2" if kind == "heading" else "p"
            html_blocks.append(f'<div dir="ltr"><{tag}>{_candy_html(block["text"])}</{tag}></div>')
            (chrome if BBC_FOOTER in text else gold).append(text)
        elif kind == "image":
            html_blocks.append(_bbc_figure(block))
        elif kind == "list":
            html_blocks.append(_bbc_related(block, chrome))
        elif kind == "social_embed":
            html_blocks.append(_bbc_embed(block, chrome))
    return html_blocks, gold, chrome


def _bbc_figure(block: dict[str, Any]) -> str:
    holder, caption = html.escape(block.get("copyrightHolder", "")), html.escape(block.get("caption", ""))
    return (
        f'<figure><div><img src="{html.escape(block.get("href", ""))}" alt=""><p role="text"><span>इमेज स्रोत,'
        f"</span>{holder}</p></div><figcaption><span>इमेज कैप्शन, </span>{caption}</figcaption></figure>"
    )


def _bbc_related(block: dict[str, Any], chrome: list[str]) -> str:
    items = []
    for item in block["items"]:
        meta = item.get("meta") or [{}]
        headline = meta[0].get("headlines", {}).get("headline") or _candy_text(item["text"])
        chrome.append(headline)
        items.append(f'<li><a href="/hindi">{html.escape(headline)}</a></li>')
    return f'<section aria-labelledby="related-content-heading"><h2>ये भी पढ़ें</h2><ul>{"".join(items)}</ul></section>'


def _bbc_embed(block: dict[str, Any], chrome: list[str]) -> str:
    source = "YouTube" if block.get("source") == "youtube" else "ट्विटर"
    skip, end = f"छोड़िए {source} पोस्ट, 1", f"पोस्ट {source} समाप्त, 1"
    chrome += [skip, end]
    return (
        f'<div><a href="#end">{skip}</a><p>चेतावनी: तीसरे पक्ष की सामग्री में विज्ञापन हो सकते हैं.</p>'
        f'<iframe src="{html.escape(block.get("href", ""))}"></iframe><p id="end">{end}</p></div>'
    )


def _bbc_page(title: str, body: list[str]) -> str:
    return (
        f'<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>{html.escape(title)} - BBC News हिंदी'
        f'</title><meta property="og:title" content="{html.escape(title)} - BBC News हिंदी"><meta property='
        f'"og:site_name" content="BBC News हिंदी"></head><body><header role="banner"><nav><a>होम</a><a>भारत</a>'
        f'<a>विदेश</a></nav></header><main role="main"><header><h1 id="content">{html.escape(title)}</h1></header>'
        f"{''.join(body)}</main><footer><p>© 2026 BBC.</p></footer></body></html>"
    )


def run_khabardar(page: Page) -> Result:
    try:
        article = clean_html(page.body, url=page.url, content_type=page.content_type)
    except CleanError:
        return Result("", "")
    return Result(article.title, article.text)


def run_without_profiles(page: Page) -> Result:
    """khabardar with no site profile at all: how the generic path does on a layout no profile knows."""
    original = worker.clean.profile_for

    def no_profile(host: str | None, sites: object = None) -> Profile:
        return NO_PROFILE

    worker.clean.profile_for = no_profile  # type: ignore[assignment]
    try:
        return run_khabardar(page)
    finally:
        worker.clean.profile_for = original


def run_trafilatura(page: Page) -> Result:
    document = trafilatura.bare_extraction(page.body, url=page.url, with_metadata=True, as_dict=False)
    if document is None:
        return Result("", "")
    return Result(document.title or "", document.text or "")


def run_readability(page: Page) -> Result:
    from readability import Document

    document = Document(decode_html(page.body, page.content_type))
    summary = lxml.html.document_fromstring(document.summary(html_partial=False))
    return Result(document.short_title(), "\n\n".join(block_paragraphs(summary)))


RUNNERS: dict[str, Callable[[Page], Result]] = {
    "khabardar": run_khabardar,
    "no-profiles": run_without_profiles,
    "trafilatura": run_trafilatura,
    "readability": run_readability,
}


def tokens(text: str) -> Counter[str]:
    return Counter(token.casefold() for token in TOKEN.findall(text))


def score(page: Page, result: Result) -> Score:
    expected, got = tokens(" ".join(page.paragraphs)), tokens(result.text)
    overlap = sum((expected & got).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(expected.values()) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    title_ok = squash(result.title) == squash(page.title)
    return Score(precision, recall, f1, title_ok, surviving_boilerplate(page, result.text))


def surviving_boilerplate(page: Page, text: str) -> list[str]:
    lines = {squash(line) for line in text.splitlines() if line.strip()}
    found = []
    for chrome in page.boilerplate:
        line = squash(chrome)
        if line in lines or (len(line) >= BOILERPLATE_SUBSTRING_MIN_CHARS and line in squash(text)):
            found.append(chrome)
    return found


def evaluate(pages: list[Page]) -> dict[str, dict[str, Score]]:
    return {page.name: {name: score(page, RUNNERS[name](page)) for name in EXTRACTORS} for page in pages}


def print_tables(pages: list[Page], scores: dict[str, dict[str, Score]]) -> None:
    print(f"{'page':<40} {'kind':<6} " + " ".join(f"{name:>24}" for name in EXTRACTORS))
    print(f"{'':<40} {'':<6} " + " ".join(f"{'P/R/F1 title bp':>24}" for _ in EXTRACTORS))
    for page in pages:
        cells = [_cell(scores[page.name][name]) for name in EXTRACTORS]
        print(f"{page.name[:40]:<40} {page.kind:<6} " + " ".join(f"{cell:>24}" for cell in cells))
    print()
    _print_publishers(pages, scores)
    print()
    _print_overall(pages, scores)
    _print_survivors(pages, scores)


def _cell(s: Score) -> str:
    return f"{s.precision:.2f}/{s.recall:.2f}/{s.f1:.3f} {'T' if s.title_ok else '-'} {len(s.boilerplate)}"


def _print_publishers(pages: list[Page], scores: dict[str, dict[str, Score]]) -> None:
    by_publisher: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        by_publisher[page.publisher].append(page.name)
    print(f"{'publisher':<24} {'pages':>5} " + " ".join(f"{name + ' F1':>15}" for name in EXTRACTORS) + "  ahead")
    for publisher, names in sorted(by_publisher.items()):
        means = {name: statistics.mean(scores[n][name].f1 for n in names) for name in EXTRACTORS}
        ahead = "yes" if means["khabardar"] > means["trafilatura"] else "tie" if means["khabardar"] == 1 else "NO"
        print(
            f"{publisher:<24} {len(names):>5} "
            + " ".join(f"{means[name]:>15.3f}" for name in EXTRACTORS)
            + f"  {ahead}"
        )


def _print_overall(pages: list[Page], scores: dict[str, dict[str, Score]]) -> None:
    kinds = {"all": pages} | {
        kind: [p for p in pages if p.kind == kind] for kind in dict.fromkeys(p.kind for p in pages)
    }
    columns = ("mean P", "mean R", "mean F1", "min F1", "titles", "w/ bp")
    print(f"{'pages':<22} {'extractor':<12} " + " ".join(f"{column:>8}" for column in columns))
    for kind, members in kinds.items():
        for name in EXTRACTORS:
            print(f"{kind + f' ({len(members)})':<22} {name:<12} " + _summary([scores[p.name][name] for p in members]))


def _summary(all_scores: list[Score]) -> str:
    titles = f"{sum(s.title_ok for s in all_scores)}/{len(all_scores)}"
    cells = [
        f"{statistics.mean(s.precision for s in all_scores):.3f}",
        f"{statistics.mean(s.recall for s in all_scores):.3f}",
        f"{statistics.mean(s.f1 for s in all_scores):.3f}",
        f"{min(s.f1 for s in all_scores):.3f}",
        titles,
        str(sum(bool(s.boilerplate) for s in all_scores)),
    ]
    return " ".join(f"{cell:>8}" for cell in cells)


def _print_survivors(pages: list[Page], scores: dict[str, dict[str, Score]]) -> None:
    survivors = [(page.name, scores[page.name]["khabardar"].boilerplate) for page in pages]
    survivors = [(name, found) for name, found in survivors if found]
    if survivors:
        print("\nkhabardar boilerplate that survived:")
        for name, found in survivors:
            print(f"  {name}: {found}")


def all_pages(corpus: Path | None) -> list[Page]:
    pages = gold_pages()
    if corpus is not None and corpus.is_dir():
        pages += recipe_pages(corpus) + fundus_pages(corpus) + bbc_pages(corpus)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus (real pages)")
    args = parser.parse_args()
    pages = all_pages(args.corpus)
    print_tables(pages, evaluate(pages))


if __name__ == "__main__":
    main()
