"""The backtest counts the alerts the pipeline created: the same articles, processed and then backtested."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.pipeline.test_process_stories import NOW, _engine, _page
from tests.stories.articles import BRIDGE, BRIDGE_TITLE, SUMMIT, SUMMIT_TITLE, respelled
from worker.archive import open_archive
from worker.archive.backtest import backtest
from worker.pipeline.process import process_article

# A story that names the leader only in its last paragraph, and a rewrite of it that puts him in the title.
BUDGET_TITLE = "संसद में बजट पर दिन भर चली बहस"
BUDGET = "\n\n".join(
    [
        "नई दिल्ली, 12 मार्च। लोकसभा में बुधवार को आम बजट पर सामान्य चर्चा पूरे दिन चली और कई सदस्यों ने भाग लिया।",
        "विपक्ष के सदस्यों ने महंगाई, रोजगार और किसानों की आय के सवाल उठाए और सरकार से जवाब मांगा।",
        "सत्ता पक्ष के सांसदों ने बुनियादी ढांचे पर बढ़े खर्च और नई रेल लाइनों का जिक्र किया।",
        "बहस के अंत में सदन में नरेंद्र मोदी भी मौजूद रहे।",
    ]
)
BUDGET_RETITLED = "मोदी की मौजूदगी में बजट पर दिन भर चली बहस"


@pytest.mark.parametrize(
    ("stories", "prominence", "modi_alerts"),
    [
        ("fold", "", 3),  # the bridge, the summit, the budget: each copy folds into its story's alert
        ("fold", "    prominence: {in: [title, lede]}\n", 3),  # the budget's alert comes from its retitled copy
        ("every", "", 5),
        ("every", "    prominence: {in: [title, lede]}\n", 4),  # the budget story named deep only: no alert
    ],
)
def test_the_backtest_counts_the_alerts_the_pipeline_created(
    tmp_path: Path, httpserver: HTTPServer, stories: str, prominence: str, modi_alerts: int
) -> None:
    engine = _engine(tmp_path, httpserver, stories=stories, prominence=prominence)
    jobs = [
        _page(httpserver, "/jagran/bridge", BRIDGE_TITLE, BRIDGE),
        _page(httpserver, "/amarujala/pul", "गंगा पर छह लेन का पुल जनता को समर्पित", respelled(BRIDGE)),
        _page(httpserver, "/nbt/japan", SUMMIT_TITLE, SUMMIT),
        _page(httpserver, "/jagran/budget", BUDGET_TITLE, BUDGET),
        _page(httpserver, "/amarujala/budget", BUDGET_RETITLED, respelled(BUDGET)),
    ]
    created = [alert for job in jobs for alert in process_article(engine, job, NOW) if alert.channel == "desk"]
    sent = Counter(match.entity for alert in created for match in alert.matches)

    archive = open_archive(engine.settings)
    result = backtest(archive.stream(), engine.config.watchlists)
    assert result.articles == len(jobs)
    assert {tally.entity: tally.alerts for tally in result.entities} == {"modi": sent["modi"], "japan": sent["japan"]}
    assert sent["modi"] == modi_alerts
    assert {tally.entity: tally.articles for tally in result.entities} == {"modi": 5, "japan": 1}
