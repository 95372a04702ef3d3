"""Feeds: parsing fetched bytes into entries, and the identity of the articles they point at."""

from worker.feeds.links import article_key, normalize_link
from worker.feeds.parse import FeedDocument, FeedEntry, parse_feed

__all__ = ["FeedDocument", "FeedEntry", "article_key", "normalize_link", "parse_feed"]
