"""The config schema (PRODUCT.md "Config"), as frozen pydantic models that validate themselves."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cached_property
from typing import Annotated, Literal

from cssselect import ExpressionError, GenericTranslator, SelectorError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    SecretStr,
    field_validator,
    model_validator,
)

from worker.config.delivery import DeliveryConfig
from worker.config.duration import parse_duration
from worker.query import parse_query

DEFAULT_FEED_INTERVAL = timedelta(minutes=5)
MIN_FEED_INTERVAL = timedelta(seconds=10)
DEFAULT_MAX_AGE = timedelta(days=3)
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
Name = Annotated[str, Field(pattern=NAME_PATTERN, max_length=64)]


def _no_blank_terms(terms: list[str]) -> list[str]:
    for term in terms:
        if not term.strip():
            raise ValueError("names must not be empty")
    return terms


Terms = Annotated[list[str], AfterValidator(_no_blank_terms)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedConfig(Strict):
    name: Name
    url: HttpUrl
    interval: Duration = DEFAULT_FEED_INTERVAL
    max_age: Duration = DEFAULT_MAX_AGE

    @field_validator("interval")
    @classmethod
    def _interval_not_too_short(cls, value: timedelta) -> timedelta:
        if value < MIN_FEED_INTERVAL:
            raise ValueError(f"interval must be at least {int(MIN_FEED_INTERVAL.total_seconds())}s")
        return value


class UrlChannel(Strict):
    url: SecretStr


class SlackChannel(UrlChannel):
    type: Literal["slack"]


class DiscordChannel(UrlChannel):
    type: Literal["discord"]


class TeamsChannel(UrlChannel):
    type: Literal["teams"]


class GoogleChatChannel(UrlChannel):
    type: Literal["googlechat"]


class MattermostChannel(UrlChannel):
    type: Literal["mattermost"]


class WebhookChannel(UrlChannel):
    type: Literal["webhook"]
    secret: SecretStr | None = None


class TelegramChannel(Strict):
    type: Literal["telegram"]
    token: SecretStr
    chat_id: str
    api_url: HttpUrl = HttpUrl("https://api.telegram.org")

    @field_validator("chat_id", mode="before")
    @classmethod
    def _chat_id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class ConsoleChannel(Strict):
    type: Literal["console"]


ChannelConfig = Annotated[
    SlackChannel
    | DiscordChannel
    | TeamsChannel
    | GoogleChatChannel
    | MattermostChannel
    | WebhookChannel
    | TelegramChannel
    | ConsoleChannel,
    Field(discriminator="type"),
]


class FetchConfig(Strict):
    allow_hosts: list[str] = []

    @field_validator("allow_hosts")
    @classmethod
    def _host_port_shape(cls, hosts: list[str]) -> list[str]:
        for host in hosts:
            if not host or "/" in host or " " in host:
                raise ValueError(f"{host!r} is not host or host:port")
        return [host.lower() for host in hosts]


class WebConfig(Strict):
    """Where ``khabardar run`` and ``khabardar web`` serve /metrics, the probes and the status page."""

    listen: str = "127.0.0.1:8470"

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        if not re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\s\[\]]+):[0-9]{1,5}", value):
            raise ValueError(f"{value!r} is not HOST:PORT (for example 127.0.0.1:8470)")
        return value


def _compiles(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad pattern {pattern!r}: {exc}") from exc
    return patterns


def _css(selectors: list[str]) -> list[str]:
    for selector in selectors:
        try:
            GenericTranslator().css_to_xpath(selector)
        except (SelectorError, ExpressionError) as exc:
            raise ValueError(f"bad CSS selector {selector!r}: {exc}") from exc
    return selectors


class SiteProfile(Strict):
    """Cleaning overrides for one domain: CSS selectors for the body, selectors and line patterns to drop."""

    keep: Annotated[list[str], AfterValidator(_css)] = []
    drop: Annotated[list[str], AfterValidator(_css)] = []
    drop_lines: Annotated[list[str], AfterValidator(_compiles)] = []
    title_suffix: list[str] = []


DEFAULT_STORY_WINDOW = timedelta(hours=72)


class ProminenceConfig(Strict):
    """Alert only when an entity is named in one of ``in`` (title, lede) or at least ``min_mentions`` times."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    in_: list[Literal["title", "lede"]] = Field(default=[], alias="in")
    min_mentions: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _says_something(self) -> ProminenceConfig:
        if not self.in_ and self.min_mentions is None:
            raise ValueError("prominence needs `in: [title, lede]` or `min_mentions: N`")
        return self


class StoriesConfig(Strict):
    window: Duration = DEFAULT_STORY_WINDOW

    @field_validator("window")
    @classmethod
    def _window_positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("window must be longer than 0s")
        return value


class EntityConfig(Strict):
    id: Name
    kind: Literal["leader", "topic"]
    names: Terms = []
    short_names: Terms = []
    exclude: Terms = []
    fuzzy: bool | None = None  # unset: spelling-tolerant topic names with 4+ consonants (README "Spelling defaults")
    query: str | None = None
    prominence: ProminenceConfig | None = None

    @field_validator("query")
    @classmethod
    def _query_parses(cls, query: str | None) -> str | None:
        if query is not None:
            parse_query(query)  # the parser owns its error messages
        return query

    @model_validator(mode="after")
    def _has_something_to_match(self) -> EntityConfig:
        if not self.names and self.query is None:
            raise ValueError("an entity needs `names` or (for a topic) a `query`")
        if self.query is not None and self.kind != "topic":
            raise ValueError("`query` is only for entities of kind: topic")
        if self.short_names and not self.names:
            raise ValueError("`short_names` count only next to a full name: add `names`")
        return self


class WatchlistConfig(Strict):
    name: Name
    channels: list[str] = Field(min_length=1)
    entities: list[EntityConfig] = Field(min_length=1)
    stories: Literal["fold", "every"] = "fold"
    prominence: ProminenceConfig | None = None
    delivery: DeliveryConfig = DeliveryConfig()  # quiet hours, bursts, digests, priority (worker.flow)

    @field_validator("entities")
    @classmethod
    def _entity_ids_unique(cls, entities: list[EntityConfig]) -> list[EntityConfig]:
        _require_unique([entity.id for entity in entities], "entity id")
        return entities


ARCHIVE_DAYS_MAX = 3650  # the longest archive.days; no search window is longer either


class ArchiveConfig(Strict):
    days: int = Field(default=30, ge=1, le=ARCHIVE_DAYS_MAX)  # cleaned articles are kept this long, then pruned


class Config(Strict):
    feeds: list[FeedConfig] = []
    channels: dict[Name, ChannelConfig] = {}
    ops: str | None = None
    web: WebConfig = WebConfig()
    fetch: FetchConfig = FetchConfig()
    sites: dict[str, SiteProfile] = {}
    watchlists: list[WatchlistConfig] = []
    stories: StoriesConfig = StoriesConfig()
    archive: ArchiveConfig = ArchiveConfig()

    @field_validator("feeds")
    @classmethod
    def _feed_names_unique(cls, feeds: list[FeedConfig]) -> list[FeedConfig]:
        _require_unique([feed.name for feed in feeds], "feed name")
        return feeds

    @field_validator("watchlists")
    @classmethod
    def _watchlist_names_unique(cls, watchlists: list[WatchlistConfig]) -> list[WatchlistConfig]:
        _require_unique([watchlist.name for watchlist in watchlists], "watch-list name")
        return watchlists

    @model_validator(mode="after")
    def _channels_exist(self) -> Config:
        known = sorted(self.channels)
        if self.ops is not None and self.ops not in self.channels:
            raise ValueError(f"ops names unknown channel {self.ops!r} (known: {', '.join(known) or 'none'})")
        for watchlist in self.watchlists:
            for channel in watchlist.channels:
                if channel not in self.channels:
                    raise ValueError(
                        f"watch-list {watchlist.name!r} names unknown channel {channel!r} "
                        f"(known: {', '.join(known) or 'none'})"
                    )
        return self

    def feed(self, name: str) -> FeedConfig | None:
        return self._feeds_by_name.get(name)

    def watchlist(self, name: str) -> WatchlistConfig | None:
        return self._watchlists_by_name.get(name)

    # Every poll looks its feed up, several times: with a thousand feeds a scan was a measurable share of its CPU.
    @cached_property
    def _feeds_by_name(self) -> dict[str, FeedConfig]:
        return {feed.name: feed for feed in self.feeds}

    @cached_property
    def _watchlists_by_name(self) -> dict[str, WatchlistConfig]:
        return {watchlist.name: watchlist for watchlist in self.watchlists}


def _require_unique(names: list[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"duplicate {what} {name!r}")
        seen.add(name)
