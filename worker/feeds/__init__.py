"""Feeds: parsing fetched bytes into entries safely, publication dates, and the identity of articles."""

from worker.feeds.dates import IST, is_alertable, parse_date
from worker.feeds.links import article_key, normalize_link
from worker.feeds.parse import FeedDocument, FeedEntry, NotAFeedError, parse_feed
from worker.feeds.xmlsafety import check_expat

__all__ = [
    "IST",
    "FeedDocument",
    "FeedEntry",
    "NotAFeedError",
    "article_key",
    "check_expat",
    "is_alertable",
    "normalize_link",
    "parse_date",
    "parse_feed",
]
