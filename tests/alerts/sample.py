"""An alert of our own writing (not corpus text), shared by the alert tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from worker.alerts.model import Alert, AlertMatch, ArticleSummary

ARTICLE = ArticleSummary(
    url="https://www.example-news.in/world/putin-kim-bhent-123.html",
    title="पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा",
    source="example-world",
    outlet="उदाहरण समाचार",
    published=datetime(2026, 11, 28, 8, 35, tzinfo=UTC),
    snippet="रूस के राष्ट्रपति व्लादिमीर पुतिन ने प्योंगयांग में किम जोंग उन से मुलाकात की। दोनों नेताओं ने पश्चिमी प्रतिबंधों पर चर्चा की।",
)
MATCHES = (
    AlertMatch("putin", "leader", 3, ("व्लादिमीर पुतिन", "पुतिन")),
    AlertMatch("kim-jong-un", "leader", 1, ("किम जोंग उन",)),
    AlertMatch("sanctions", "topic", 2, ("प्रतिबंध",)),
)
ALERT = Alert(
    id="3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
    watchlist="world-leaders",
    channel="desk",
    article=ARTICLE,
    matches=MATCHES,
    created_at=datetime(2026, 11, 28, 8, 40, tzinfo=UTC),
)


def make_alert(**article_changes: Any) -> Alert:
    """ALERT with some article fields changed."""
    return replace(ALERT, article=replace(ARTICLE, **article_changes))
