"""Feeds: parsing fetched bytes into entries safely, publication dates, and the identity of articles."""

from worker.feeds.dates import is_alertable, parse_date
from worker.feeds.health import (
    announcement,
    body_digest,
    conditional_headers,
    diagnose,
    error_kind,
    is_unchanged,
    not_modified_share,
    record_error,
    record_success,
    request_headers,
    sickness,
)
from worker.feeds.links import article_key, normalize_link
from worker.feeds.parse import FeedDocument, FeedEntry, NotAFeedError, parse_feed
from worker.feeds.schedule import DueFeed, due_at, next_check_at, pick_batch
from worker.feeds.summary import HEALTH_COLUMNS, health_row
from worker.feeds.xmlsafety import check_expat
from worker.timezones import IST

__all__ = [
    "HEALTH_COLUMNS",
    "IST",
    "DueFeed",
    "FeedDocument",
    "FeedEntry",
    "NotAFeedError",
    "announcement",
    "article_key",
    "body_digest",
    "check_expat",
    "conditional_headers",
    "diagnose",
    "due_at",
    "error_kind",
    "health_row",
    "is_alertable",
    "is_unchanged",
    "next_check_at",
    "normalize_link",
    "not_modified_share",
    "parse_date",
    "parse_feed",
    "pick_batch",
    "record_error",
    "record_success",
    "request_headers",
    "sickness",
]
