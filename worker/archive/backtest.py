"""`khabardar backtest`: what a config's watch-lists would have caught in the archive, before the edit goes live.

One pass over the archive, streamed: memory holds the rows of one fetch (STREAM_BATCH_ROWS), the batches in flight
to the worker processes (parallel.py), and the tallies — counts per entity and day, a few samples, the stories
seen and the gained/lost lists — never the whole archive.
Each article is matched with the production matcher; with an old config the same article is matched twice and
the (watch-list, entity) pairs that differ are listed as gained or lost.

Alerts are counted as the pipeline creates them (``worker/pipeline/process.py``), in the order the articles were
archived: an entity counts toward an alert only when it meets its prominence rule (the entity's, else the
watch-list's), and a watch-list gives one alert per story (``stories: fold``, the default) or per article
(``stories: every``); a later article of a story that already has its alert is folded into it, adding none, so
the alert belongs to the entities of the first article that gave it. The story is the one the pipeline
recorded in the archive (the first article of the same story); an article archived without one is a story of its
own. Gained and lost compare what counts toward an alert (matched, and prominent where a rule is set).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from worker.archive.parallel import matched
from worker.archive.store import ArchivedArticle
from worker.config.models import WatchlistConfig
from worker.match import EntityMatch
from worker.match.prominence import prominent

SAMPLES_PER_ENTITY = 3
PROGRESS_EVERY_ARTICLES = 200

Progress = Callable[[int], None]


@dataclass
class EntityTally:
    watchlist: str
    entity: str
    articles: int = 0
    per_day: Counter[str] = field(default_factory=Counter)
    samples: list[tuple[ArchivedArticle, EntityMatch]] = field(default_factory=list)
    alerts: int = 0

    def add(self, article: ArchivedArticle, match: EntityMatch) -> None:
        self.articles += 1
        self.per_day[article.when.date().isoformat()] += 1
        if len(self.samples) < SAMPLES_PER_ENTITY:
            self.samples.append((article, match))

    def to_json(self) -> dict[str, Any]:
        return {
            "watchlist": self.watchlist,
            "entity": self.entity,
            "articles": self.articles,
            "alerts": self.alerts,
            "per_day": dict(sorted(self.per_day.items())),
            "samples": [
                {"url": article.url, "title": article.title, "spans": [span.to_json() for span in match.spans]}
                for article, match in self.samples
            ],
        }


@dataclass
class Change:
    url: str
    watchlist: str
    entity: str

    def to_json(self) -> dict[str, str]:
        return {"url": self.url, "watchlist": self.watchlist, "entity": self.entity}


@dataclass
class BacktestResult:
    articles: int = 0
    entities: list[EntityTally] = field(default_factory=list)
    gained: list[Change] = field(default_factory=list)
    lost: list[Change] = field(default_factory=list)
    compared: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "entities": [tally.to_json() for tally in self.entities],
            "gained": [change.to_json() for change in self.gained],
            "lost": [change.to_json() for change in self.lost],
        }


def backtest(
    articles: Iterable[ArchivedArticle],
    watchlists: Sequence[WatchlistConfig],
    *,
    against: Sequence[WatchlistConfig] | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> BacktestResult:
    """Run ``watchlists`` (and the old ``against`` ones, when given) over ``articles``, in ``workers`` processes."""
    result = BacktestResult(compared=against is not None)
    tallies = {(w.name, e.id): EntityTally(w.name, e.id) for w in watchlists for e in w.entities}
    result.entities = list(tallies.values())
    configs, old_configs = {w.name: w for w in watchlists}, {w.name: w for w in against or ()}
    alerted: set[tuple[str, str]] = set()  # (watch-list, story or article) of every alert so far
    for article, found, before in matched(articles, watchlists, against, workers=workers):
        result.articles += 1
        for match in found:
            tallies[(match.watchlist, match.entity)].add(article, match)
        counted = _counted(configs, article, found)
        for watchlist, matches in counted.items():
            key = (watchlist, _alert_key(configs[watchlist], article))
            if key not in alerted:
                alerted.add(key)
                for match in matches:
                    tallies[(watchlist, match.entity)].alerts += 1
        if before is not None:
            _compare(result, article, counted, _counted(old_configs, article, before))
        if progress is not None and result.articles % PROGRESS_EVERY_ARTICLES == 0:
            progress(result.articles)
    return result


def _counted(
    configs: dict[str, WatchlistConfig], article: ArchivedArticle, found: list[EntityMatch]
) -> dict[str, list[EntityMatch]]:
    """Per watch-list, the matches that count toward an alert: those meeting their prominence rule."""
    grouped: dict[str, list[EntityMatch]] = {}
    for match in found:
        grouped.setdefault(match.watchlist, []).append(match)
    counted = {
        name: [m for m, _where in prominent(configs[name], group, article.text)] for name, group in grouped.items()
    }
    return {name: matches for name, matches in counted.items() if matches}


def _alert_key(config: WatchlistConfig, article: ArchivedArticle) -> str:
    """What the pipeline keys this watch-list's alert by: the story when it folds stories, else the article."""
    return (article.story or article.url) if config.stories == "fold" else article.url


def _compare(
    result: BacktestResult,
    article: ArchivedArticle,
    new: dict[str, list[EntityMatch]],
    old: dict[str, list[EntityMatch]],
) -> None:
    now = {(m.watchlist, m.entity) for matches in new.values() for m in matches}
    before = {(m.watchlist, m.entity) for matches in old.values() for m in matches}
    result.gained += [Change(article.url, *pair) for pair in sorted(now - before)]
    result.lost += [Change(article.url, *pair) for pair in sorted(before - now)]
