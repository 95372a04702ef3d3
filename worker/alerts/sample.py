"""The sample alert `khabardar test-alert CHANNEL` sends, so a user can check a webhook before relying on it."""

from __future__ import annotations

from datetime import datetime

from worker.alerts.model import Alert, AlertMatch, ArticleSummary, alert_id

SAMPLE_WATCHLIST = "khabardar-test"
SAMPLE_ARTICLE_URL = "https://github.com/khabardar/khabardar#test-alert"


def sample_alert(channel: str, *, now: datetime) -> Alert:
    """A readable Hindi alert with every part a real one has; its id is new each time, so it is never deduplicated."""
    article = ArticleSummary(
        url=SAMPLE_ARTICLE_URL,
        title="ख़बरदार परीक्षण: यह संदेश दिख रहा है तो चैनल ठीक से जुड़ा है",
        source="khabardar",
        outlet="ख़बरदार",
        published=now,
        snippet="यह एक परीक्षण अलर्ट है। असली अलर्ट में यहाँ ख़बर का वह अंश होगा जिसमें नरेंद्र मोदी जैसे नाम "
        "या चुनाव जैसे विषय मिले, और मिले हुए शब्द मोटे अक्षरों में दिखेंगे।",
    )
    matches = (
        AlertMatch("narendra-modi", "leader", 1, ("नरेंद्र मोदी",)),
        AlertMatch("elections", "topic", 1, ("चुनाव",)),
    )
    return Alert(
        id=alert_id(f"test-alert:{now.isoformat()}", SAMPLE_WATCHLIST, channel),
        watchlist=SAMPLE_WATCHLIST,
        channel=channel,
        article=article,
        matches=matches,
        created_at=now,
    )
