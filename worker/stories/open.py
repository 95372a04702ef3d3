"""Open the story index where the state lives: Redis when ``KHABARDAR_REDIS_URL`` is set, else the embedded
SQLite file under the data directory (mirrors :func:`worker.store.open_store`)."""

from __future__ import annotations

from worker.settings import Settings
from worker.stories.index import DEFAULT_WINDOW_S, StoryIndex
from worker.stories.redis_index import RedisStoryIndex
from worker.stories.sqlite_index import SqliteStoryIndex


def open_story_index(settings: Settings, window_s: float = DEFAULT_WINDOW_S) -> StoryIndex:
    if settings.redis_url:
        return RedisStoryIndex(settings.redis_url, prefix=settings.redis_prefix, window_s=window_s)
    return SqliteStoryIndex(settings.data_dir, window_s=window_s)
