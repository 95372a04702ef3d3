"""The backtest counts what a config would have caught in the archive, with the production matcher."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from tests.match.judged import DATA_DIR, load_cases
from worker.archive import ArchivedArticle, parallel
from worker.archive.backtest import backtest
from worker.archive.parallel import BATCH_ARTICLES, PREFILTER_REST_ARTICLES, PREFILTER_SAMPLE_ARTICLES, _Side
from worker.archive.prefilter import Prefilter
from worker.config.models import WatchlistConfig
from worker.match import Matcher
from worker.match.compile import compile_watchlists

DAY = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)


def _watchlists(*entities: dict[str, object], name: str = "desk", **settings: object) -> list[WatchlistConfig]:
    raw = {"name": name, "channels": ["c"], "entities": list(entities), **settings}
    return [WatchlistConfig.model_validate(raw)]


MODI = {"id": "modi", "kind": "leader", "names": ["नरेंद्र मोदी", "मोदी"]}
LOCKDOWN = {"id": "lockdown", "kind": "topic", "names": ["लॉकडाउन"]}


def _article(number: int, title: str, text: str, *, day: int = 0, story: str | None = None) -> ArchivedArticle:
    when = DAY + timedelta(days=day, minutes=number)
    return ArchivedArticle(f"https://paper.example/{number}", title, text, when, published=when, story=story)


ARTICLES = [
    _article(1, "प्रधानमंत्री मोदी ने लॉकडाउन बढ़ाया", "नरेंद्र मोदी ने कहा कि लॉकडाउन तीन मई तक रहेगा।", story="s1"),
    _article(2, "लॉकडाउन तीन मई तक", "मोदी ने राष्ट्र को संबोधित किया।", story="s1"),  # a rewrite of the same story
    _article(3, "बाजार खुले", "दुकानें लॉकडाउनों के बाद खुलीं।", day=1),
    _article(4, "मौसम", "आज बारिश होगी।", day=1),
]


def test_each_entity_gets_its_articles_alerts_per_day_and_samples() -> None:
    result = backtest(ARTICLES, _watchlists(MODI, LOCKDOWN))
    assert result.articles == 4
    modi, lockdown = result.to_json()["entities"]
    assert (modi["articles"], modi["alerts"], modi["per_day"]) == (2, 1, {"2026-03-12": 2})
    assert (lockdown["articles"], lockdown["alerts"]) == (3, 2)
    assert lockdown["per_day"] == {"2026-03-12": 2, "2026-03-13": 1}
    first = modi["samples"][0]
    assert first["url"] == "https://paper.example/1"
    assert {span["text"] for span in first["spans"]} == {"मोदी", "नरेंद्र मोदी"}


DEEP = "\n\n".join(["आज संसद में बजट पर चर्चा हुई।", "विपक्ष ने सवाल उठाए।", "अंत में नरेंद्र मोदी ने भी कहा।"])
PROMINENT = {"in": ["title", "lede"]}


@pytest.mark.parametrize("where", ["watchlist", "entity"])
def test_an_entity_named_only_deep_in_the_text_under_a_prominence_rule_gives_articles_but_no_alert(where: str) -> None:
    articles = [_article(1, "बजट पर चर्चा", DEEP), _article(2, "संसद में बहस", DEEP, day=1)]
    if where == "watchlist":
        watchlists = _watchlists(MODI, prominence=PROMINENT)
    else:
        watchlists = _watchlists({**MODI, "prominence": PROMINENT})
    [modi] = backtest(articles, watchlists).to_json()["entities"]
    assert (modi["articles"], modi["alerts"], len(modi["samples"])) == (2, 0, 2)
    assert modi["per_day"] == {"2026-03-12": 1, "2026-03-13": 1}


@pytest.mark.parametrize(
    ("rule", "alerts"),
    [({"in": ["title"]}, 1), ({"in": ["lede"]}, 0), ({"min_mentions": 2}, 1), ({"min_mentions": 3}, 0)],
)
def test_a_prominence_rule_decides_the_alerts_as_in_the_pipeline(rule: dict[str, object], alerts: int) -> None:
    article = _article(1, "मोदी का भाषण", DEEP)  # named in the title and once deep in the text: two mentions
    [modi] = backtest([article], _watchlists({**MODI, "prominence": rule})).to_json()["entities"]
    assert (modi["articles"], modi["alerts"]) == (1, alerts)


def test_a_later_article_of_a_story_folds_into_the_alert_of_the_first_and_adds_none() -> None:
    first = _article(1, "प्रधानमंत्री मोदी का दौरा", "मोदी आज पटना पहुंचे।", story="s")
    later = _article(2, "दौरे पर लॉकडाउन का असर", "मोदी के दौरे पर लॉकडाउन का असर दिखा।", story="s")
    folded = backtest([first, later], _watchlists(MODI, LOCKDOWN)).to_json()["entities"]
    assert [(e["entity"], e["articles"], e["alerts"]) for e in folded] == [("modi", 2, 1), ("lockdown", 1, 0)]
    every = backtest([first, later], _watchlists(MODI, LOCKDOWN, stories="every")).to_json()["entities"]
    assert [(e["entity"], e["articles"], e["alerts"]) for e in every] == [("modi", 2, 2), ("lockdown", 1, 1)]


def test_a_story_whose_first_article_is_not_prominent_alerts_with_the_first_that_is() -> None:
    deep = _article(1, "बजट पर चर्चा", DEEP, story="s")
    retitled = _article(2, "मोदी ने बजट पर कहा", DEEP, story="s")
    [modi] = backtest([deep, retitled], _watchlists(MODI, prominence=PROMINENT)).to_json()["entities"]
    assert (modi["articles"], modi["alerts"]) == (2, 1)


def test_the_edit_that_adds_a_prominence_rule_loses_the_articles_named_deep_only() -> None:
    articles = [_article(1, "बजट पर चर्चा", DEEP), _article(2, "मोदी का भाषण", DEEP)]
    result = backtest(articles, _watchlists(MODI, prominence=PROMINENT), against=_watchlists(MODI)).to_json()
    assert (result["gained"], result["lost"]) == ([], [{"url": articles[0].url, "watchlist": "desk", "entity": "modi"}])


def test_an_entity_that_matched_nothing_is_listed_with_zeros() -> None:
    absent = {"id": "yogi", "kind": "leader", "names": ["योगी आदित्यनाथ"]}
    [yogi] = backtest(ARTICLES, _watchlists(absent)).to_json()["entities"]
    assert (yogi["articles"], yogi["alerts"], yogi["per_day"], yogi["samples"]) == (0, 0, {}, [])


def test_against_an_old_config_lists_what_the_edit_gains_and_loses() -> None:
    old = _watchlists(MODI, {"id": "lockdown", "kind": "topic", "names": ["बारिश"]})
    result = backtest(ARTICLES, _watchlists(MODI, LOCKDOWN), against=old).to_json()
    gained = {(change["url"][-1], change["entity"]) for change in result["gained"]}
    lost = {(change["url"][-1], change["entity"]) for change in result["lost"]}
    assert gained == {("1", "lockdown"), ("2", "lockdown"), ("3", "lockdown")}
    assert lost == {("4", "lockdown")}


def test_an_empty_archive_gives_zero_articles() -> None:
    assert backtest([], _watchlists(MODI)).to_json() == {
        "articles": 0,
        "entities": [{"watchlist": "desk", "entity": "modi", "articles": 0, "alerts": 0, "per_day": {}, "samples": []}],
        "gained": [],
        "lost": [],
    }


def test_worker_processes_give_the_same_result_as_one_process() -> None:
    many = [_article(n, ARTICLES[n % 4].title, ARTICLES[n % 4].text, day=n % 3) for n in range(BATCH_ARTICLES * 3 + 7)]
    watchlists, old = _watchlists(MODI, LOCKDOWN), _watchlists(MODI)
    alone = backtest(many, watchlists, against=old, workers=1).to_json()
    assert backtest(many, watchlists, against=old, workers=2).to_json() == alone
    assert alone["entities"][1]["articles"] > BATCH_ARTICLES


def _judged_watchlists() -> list[WatchlistConfig]:
    raw = yaml.safe_load((DATA_DIR / "watchlists.yaml").read_text(encoding="utf-8"))
    return [WatchlistConfig.model_validate(item) for item in raw]


def _real_paragraphs(corpus_dir: Path) -> list[str]:
    paths = sorted((corpus_dir / "texts").rglob("*.txt"))
    return [line for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_prefilter_never_skips_an_article_the_matcher_matches(corpus_dir: Path) -> None:
    compiled = compile_watchlists(_judged_watchlists())
    matcher, prefilter = Matcher(compiled), Prefilter(compiled)
    texts = [(case.title, case.text) for case in load_cases()] + [("", p) for p in _real_paragraphs(corpus_dir)]
    skipped = [pair for pair in texts if not prefilter.may_match(*pair)]
    assert len(skipped) > len(texts) / 4  # it does rule articles out
    assert [pair for pair in skipped if matcher.match(*pair)] == []


@pytest.mark.parametrize("query", ["प्रतिबंध*", '"Vladimir Putin"', "शी जिनपिंग"])
def test_the_prefilter_lets_through_prefix_quoted_and_phrase_terms(query: str) -> None:
    entity = {"id": "q", "kind": "topic", "query": query}
    prefilter = Prefilter(compile_watchlists(_watchlists(entity)))
    text = {"प्रतिबंध*": "नए प्रतिबंधों की घोषणा", '"Vladimir Putin"': "Vladimir Putin said", "शी जिनपिंग": "शी जिनपिंग ने कहा"}
    assert prefilter.may_match("", text[query])
    assert not prefilter.may_match("", "आज बारिश होगी")


@pytest.mark.parametrize(
    ("name", "text"),
    [("डब्ल्यूएचओ", "डब्ल्यू.एच.ओ. ने कहा"), ("डब्ल्यूएचओ", "डब्लूएचओ ने कहा"), ("कोरोना", "कोरोनावायरस फैला")],
)
def test_the_prefilter_lets_through_acronyms_and_compounds(name: str, text: str) -> None:
    compiled = compile_watchlists(_watchlists({"id": "t", "kind": "topic", "names": [name]}))
    assert Matcher(compiled).match("", text)
    assert Prefilter(compiled).may_match("", text)
    assert not Prefilter(compiled).may_match("", "आज बारिश होगी")


def test_batches_with_nothing_to_match_keep_their_place_among_the_others() -> None:
    quiet = [_article(n, "मौसम", "आज बारिश होगी।") for n in range(BATCH_ARTICLES * 2)]
    first = ARTICLES[0]
    loud = [_article(BATCH_ARTICLES * 2 + n, first.title, first.text) for n in range(BATCH_ARTICLES)]
    result = backtest(quiet + loud + quiet, _watchlists(MODI), workers=2).to_json()
    [modi] = result["entities"]
    assert (result["articles"], modi["articles"]) == (BATCH_ARTICLES * 5, BATCH_ARTICLES)
    assert modi["samples"][0]["url"] == f"https://paper.example/{BATCH_ARTICLES * 2}"


def test_the_prefilter_stands_aside_while_nearly_every_article_matches_and_comes_back_when_they_stop() -> None:
    side = _Side(_watchlists(MODI))
    loud, quiet = ARTICLES[0], ARTICLES[3]
    for _ in range(PREFILTER_SAMPLE_ARTICLES):
        assert side.match(loud.title, loud.text)
    assert side.resting == PREFILTER_REST_ARTICLES
    while side.resting:
        assert side.match(quiet.title, quiet.text) == []  # matched in full: the same answer
    for _ in range(PREFILTER_SAMPLE_ARTICLES):
        side.match(quiet.title, quiet.text)
    assert side.resting == 0


@pytest.mark.parametrize("worth_skipped", [0.0, 1.1], ids=["prefilter-always", "prefilter-aside"])
def test_the_backtest_finds_what_the_pipeline_matcher_finds_in_real_text(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch, worth_skipped: float
) -> None:
    monkeypatch.setattr(parallel, "PREFILTER_SAMPLE_ARTICLES", 20)
    monkeypatch.setattr(parallel, "PREFILTER_WORTH_SKIPPED", worth_skipped)
    watchlists = _judged_watchlists()
    articles = [_article(n, "", text) for n, text in enumerate(_real_paragraphs(corpus_dir))]
    matcher = Matcher.from_watchlists(watchlists)
    expected = Counter((m.watchlist, m.entity) for a in articles for m in matcher.match(a.title, a.text))
    result = backtest(articles, watchlists)
    assert {(t.watchlist, t.entity): t.articles for t in result.entities if t.articles} == dict(expected)
    assert sum(expected.values()) > 100
    for tally in result.entities:
        for article, match in tally.samples:
            assert match in matcher.match(article.title, article.text)
