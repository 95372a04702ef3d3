"""clean_html and clean_feed_entry: the article body a reader sees, with its metadata."""

from __future__ import annotations

import html
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from worker.clean import CleanArticle, clean_feed_entry, clean_html
from worker.config.models import SiteProfile
from worker.errors import CleanError

IST = timezone(timedelta(hours=5, minutes=30))
PARAGRAPHS = [
    "व्लादीवोस्तक, रायटर। रूस और उत्तर कोरिया के नेताओं ने बंदरगाह शहर में पहली बार आमने-सामने बैठकर लंबी बातचीत की।",
    "दोनों नेताओं ने व्यापार, रेल संपर्क और सीमा पार आवाजाही पर सहयोग बढ़ाने की बात कही। "
    "अधिकारियों के मुताबिक बैठक तय समय से ज्यादा चली।",
    "बैठक के बाद क्या बोले",
    "विदेश मंत्रालय के प्रवक्ता ने कहा कि बातचीत सकारात्मक रही और अगले दौर की तारीख जल्द तय की जाएगी।",
]
BOILERPLATE = [
    "यह भी पढ़ें: सीमा पर नई सड़क का काम शुरू, दोनों देशों के अधिकारी पहुंचे",
    "शॉर्ट मे जानें सभी बड़ी खबरें और पायें ई-पेपर,ऑडियो न्यूज़,और अन्य सर्विस, डाउनलोड जागरण ऐप",
    "Kim Jong Un, north korea, America, Vladimir Putin",
]


def jagran_page(paragraphs: list[str], *, tail: list[str]) -> str:
    """A page in Dainik Jagran's article markup, with the chrome that site puts around and inside the story."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    extra = "".join(f"<p>{html.escape(p)}</p>" for p in tail)
    return f"""<!DOCTYPE html><html lang="hi"><head>
<meta property="og:title" content="रूस और उत्तर कोरिया के नेताओं की पहली मुलाकात - Dainik Jagran">
<meta property="og:site_name" content="Dainik Jagran">
<meta property="article:published_time" content="2019-04-25T21:10:00+05:30">
<link rel="canonical" href="https://www.jagran.com/world/russia-north-korea-summit-19163745.html">
</head><body><nav><a href="/">होम</a><a href="/world">दुनिया</a></nav>
<h1>रूस और उत्तर कोरिया के नेताओं की पहली मुलाकात</h1>
<div class="summary_art"><p>दोनों नेताओं की यह पहली मुलाकात है।</p></div>
<div class="articleBody">{body}<div class="relativeNews"><div class="h3"><a href="/x">सीमा पर नई सड़क</a></div>
<a class="nextRead">यह भी पढ़ें</a></div>{extra}</div>
<div class="tags"><a>रूस</a><a>उत्तर कोरिया</a></div><footer>© Jagran Prakashan Limited</footer></body></html>"""


@pytest.fixture
def article() -> CleanArticle:
    return clean_html(jagran_page(PARAGRAPHS, tail=BOILERPLATE).encode(), url="https://www.jagran.com/world/x.html")


def test_body_is_the_story_paragraphs_separated_by_blank_lines(article: CleanArticle) -> None:
    assert article.text == "\n\n".join(PARAGRAPHS)


def test_title_loses_the_site_suffix(article: CleanArticle) -> None:
    assert article.title == "रूस और उत्तर कोरिया के नेताओं की पहली मुलाकात"


def test_metadata_comes_from_the_page(article: CleanArticle) -> None:
    assert (article.published, article.source, article.language) == (
        datetime(2019, 4, 25, 21, 10, tzinfo=IST),
        "Dainik Jagran",
        "hi",
    )
    assert article.canonical_url == "https://www.jagran.com/world/russia-north-korea-summit-19163745.html"


def test_dateline_gives_place_and_agency(article: CleanArticle) -> None:
    assert (article.dateline, article.agency) == ("व्लादीवोस्तक", "रायटर")


def test_profile_container_is_recorded_as_the_source(article: CleanArticle) -> None:
    assert article.extracted_by == "profile"


def test_to_json_has_the_contract_fields_with_iso_times(article: CleanArticle) -> None:
    document = article.to_json()
    assert {"url", "title", "text", "published", "source"} <= document.keys()
    assert document["published"] == "2019-04-25T21:10:00+05:30"


def test_unknown_site_is_cleaned_by_trafilatura_without_boilerplate() -> None:
    page = jagran_page(PARAGRAPHS, tail=BOILERPLATE).replace("articleBody", "story-text")
    article = clean_html(page, url="https://news.example.in/world/x.html")
    assert article.extracted_by == "trafilatura"
    for line in BOILERPLATE:
        assert line not in article.text
    assert PARAGRAPHS[1] in article.text


def test_user_profile_adds_drop_lines_for_a_site() -> None:
    sites = {"jagran.com": SiteProfile(drop_lines=["^बैठक के बाद"])}
    article = clean_html(jagran_page(PARAGRAPHS, tail=[]), url="https://www.jagran.com/x.html", sites=sites)
    assert "बैठक के बाद क्या बोले" not in article.text


def test_page_without_text_raises_clean_error() -> None:
    with pytest.raises(CleanError):
        clean_html(b"<html><body><nav>Home</nav></body></html>", url="https://example.org/")


def test_empty_page_raises_clean_error() -> None:
    with pytest.raises(CleanError):
        clean_html(b"   ")


def test_feed_entry_becomes_an_article_without_boilerplate() -> None:
    summary = "<p>नई दिल्ली, पीटीआई। संसद का मानसून सत्र अगले सप्ताह से शुरू होगा।</p><p>यह भी पढ़ें: सत्र से पहले सर्वदलीय बैठक</p>"
    article = clean_feed_entry(
        url="https://example.in/a", title=" मानसून सत्र अगले सप्ताह ", summary_html=summary, published=None, source="x"
    )
    assert (article.title, article.text, article.extracted_by) == (
        "मानसून सत्र अगले सप्ताह",
        "नई दिल्ली, पीटीआई। संसद का मानसून सत्र अगले सप्ताह से शुरू होगा।",
        "feed",
    )
    assert (article.dateline, article.agency) == ("नई दिल्ली", "पीटीआई")


def test_seed_article_loses_its_app_promo_and_tag_line(corpus_dir: Path) -> None:
    seed = (corpus_dir / "seed" / "jagran-putin-kim-summit.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in seed.split("\n\n") if p.strip()]
    story, chrome = paragraphs[:-2], paragraphs[-2:]
    article = clean_html(jagran_page(paragraphs, tail=[]), url="https://www.jagran.com/world/x.html")
    assert article.text == "\n\n".join(story)
    assert all(line not in article.text for line in chrome)


def test_feed_summary_is_the_body_when_the_page_has_no_story() -> None:
    page = "<html lang='hi'><body><nav>होम देश दुनिया</nav><div class='video'>वीडियो लोड हो रहा है</div></body></html>"
    summary = "<p>राजधानी में आज से नई बस सेवा शुरू हुई, पहले दिन हजारों यात्रियों ने सफर किया।</p>"
    article = clean_html(page, url="https://news.example.in/v", feed_summary_html=summary)
    assert (article.text, article.extracted_by) == (
        "राजधानी में आज से नई बस सेवा शुरू हुई, पहले दिन हजारों यात्रियों ने सफर किया।",
        "feed",
    )


def test_page_story_wins_over_the_feed_summary() -> None:
    page = jagran_page(PARAGRAPHS, tail=[])
    article = clean_html(page, url="https://www.jagran.com/x.html", feed_summary_html="<p>सार</p>")
    assert article.extracted_by == "profile"


def test_caption_under_a_picture_is_dropped_but_a_paragraph_under_it_is_kept() -> None:
    story = "".join(f"<p>{html.escape(p)}</p>" for p in PARAGRAPHS[1:])
    page = (
        "<html lang='hi'><body><article><div class='pic'><picture><img src='/a.jpg'></picture></div>"
        "<div class='cap'><span>घटनास्थल पर जुटी भीड़।</span></div>"
        f"<div><img src='/b.jpg'></div><p>{html.escape(PARAGRAPHS[0])}</p>{story}</article></body></html>"
    )
    article = clean_html(page, url="https://news.example.in/a")
    assert article.text == "\n\n".join(PARAGRAPHS)


def jsonld_page(shown: list[str], structured: list[str]) -> str:
    node = {"@type": "NewsArticle", "headline": "बजट सत्र", "articleBody": "\n".join(structured)}
    script = f'<script type="application/ld+json">{json.dumps(node, ensure_ascii=False)}</script>'
    story = "".join(f"<p>{html.escape(p)}</p>" for p in shown)
    return f"<html lang='hi'><head>{script}</head><body><article>{story}</article></body></html>"


def test_paywalled_teaser_gives_way_to_the_whole_story_in_json_ld() -> None:
    article = clean_html(jsonld_page(PARAGRAPHS[:2], PARAGRAPHS), url="https://news.example.in/a")
    assert (article.text, article.extracted_by) == ("\n\n".join(PARAGRAPHS), "jsonld")


def test_json_ld_of_another_text_does_not_replace_the_page_story() -> None:
    other = ["यह संरचित डेटा किसी दूसरी खबर का है और इसमें मौसम, खेती और बाजार की बातें हैं। " * 3] * 3
    article = clean_html(jsonld_page(PARAGRAPHS, other), url="https://news.example.in/a")
    assert article.text == "\n\n".join(PARAGRAPHS)


def test_story_paragraph_trafilatura_skips_between_two_it_found_is_put_back() -> None:
    from worker.clean.extract import _aligned

    found = [PARAGRAPHS[0], PARAGRAPHS[3]]
    page_lines = [("p", PARAGRAPHS[0]), ("p", PARAGRAPHS[1]), ("div", "शेयर करें"), ("h2", PARAGRAPHS[2])]
    page_lines.append(("p", PARAGRAPHS[3]))
    assert _aligned(found, page_lines, title="") == PARAGRAPHS


def test_a_failing_trafilatura_leaves_the_other_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    page = jagran_page(PARAGRAPHS, tail=[]).replace("articleBody", "story-text")
    article = clean_html(page, url="https://news.example.in/a")
    assert (article.text, article.extracted_by) == ("\n\n".join(PARAGRAPHS), "density")


def test_html_inside_json_ld_article_body_is_read_as_paragraphs() -> None:
    structured = "&lt;p&gt;" + "&lt;/p&gt;&lt;p&gt;".join(html.escape(p) for p in PARAGRAPHS) + "&lt;/p&gt;"
    page = jsonld_page([], []).replace('"articleBody": ""', f'"articleBody": "{structured}"')
    article = clean_html(page, url="https://news.example.in/a")
    assert (article.text, article.extracted_by) == ("\n\n".join(PARAGRAPHS), "jsonld")
