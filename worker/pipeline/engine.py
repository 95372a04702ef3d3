"""The engine a worker process holds: the config in force, the store, the HTTP client, the compiled matcher."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from worker.alerts import channel_for
from worker.alerts.base import Channel
from worker.config import Config, ConfigWatcher, LoadedConfig
from worker.http import HttpClient
from worker.match import Matcher
from worker.settings import Settings
from worker.store import Store, open_store

if TYPE_CHECKING:
    from worker.stories import StoryIndex  # imported when first used: it brings numpy and scipy


class Engine:
    """Built once per process; everything derived from the config is rebuilt when its version changes."""

    def __init__(self, settings: Settings, *, store: Store | None = None, watcher: ConfigWatcher | None = None) -> None:
        self.settings = settings
        self._watcher = watcher or ConfigWatcher(settings.config_path)
        self._store = store
        self._lock = threading.Lock()
        self._matcher: tuple[str, Matcher] | None = None
        self._http: tuple[tuple[str, ...], HttpClient] | None = None
        self._channels: dict[tuple[str, str], Channel] = {}
        self._stories: StoryIndex | None = None

    @cached_property
    def store(self) -> Store:
        return self._store or open_store(self.settings)

    @property
    def loaded(self) -> LoadedConfig:
        return self._watcher.current()

    @property
    def config(self) -> Config:
        return self.loaded.config

    def matcher(self) -> Matcher:
        loaded = self.loaded
        with self._lock:
            if self._matcher is None or self._matcher[0] != loaded.version:
                self._matcher = (loaded.version, Matcher.from_watchlists(loaded.config.watchlists))
            return self._matcher[1]

    def http(self) -> HttpClient:
        allow_hosts = tuple(self.config.fetch.allow_hosts)
        with self._lock:
            if self._http is None or self._http[0] != allow_hosts:
                self._http = (allow_hosts, HttpClient(allow_hosts=allow_hosts))
            return self._http[1]

    def channel(self, name: str) -> Channel | None:
        loaded = self.loaded
        config = loaded.config.channels.get(name)
        if config is None:
            return None
        with self._lock:
            key = (loaded.version, name)
            if key not in self._channels:
                self._channels = {k: v for k, v in self._channels.items() if k[0] == loaded.version}
                self._channels[key] = channel_for(name, config)
            return self._channels[key]

    def stories(self) -> StoryIndex:
        """The story index shared through the store, bounded by ``stories.window`` (reopened when it changes)."""
        window_s = self.config.stories.window.total_seconds()
        with self._lock:
            if self._stories is None or self._stories.window_s != window_s:
                from worker.stories.open import open_story_index

                self._stories = open_story_index(self.settings, window_s)
            return self._stories
