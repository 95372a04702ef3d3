"""The config file: schema, loading and hot reload."""

from worker.config.loader import LoadedConfig, config_path, load_config
from worker.config.models import (
    ChannelConfig,
    Config,
    EntityConfig,
    FeedConfig,
    SiteProfile,
    WatchlistConfig,
)
from worker.config.watcher import ConfigWatcher

__all__ = [
    "ChannelConfig",
    "Config",
    "ConfigWatcher",
    "EntityConfig",
    "FeedConfig",
    "LoadedConfig",
    "SiteProfile",
    "WatchlistConfig",
    "config_path",
    "load_config",
]
