"""Hot reload: notice an edited config within seconds, keep the last good one when the edit is invalid."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from worker.config.loader import LoadedConfig, files_signature, load_config
from worker.errors import ConfigError

log = logging.getLogger(__name__)

RECHECK_INTERVAL_S = 5.0


class ConfigWatcher:
    """Holds the config in force; :meth:`current` reloads it when any of its files changed."""

    def __init__(self, path: Path, *, recheck_interval_s: float = RECHECK_INTERVAL_S) -> None:
        self.path = path
        self._recheck_interval_s = recheck_interval_s
        self._lock = threading.Lock()
        self._loaded = load_config(path)
        self._signature = files_signature(self._loaded.files)
        self._checked_at = time.monotonic()

    def current(self) -> LoadedConfig:
        with self._lock:
            if time.monotonic() - self._checked_at >= self._recheck_interval_s:
                self._checked_at = time.monotonic()
                self._reload_if_changed()
            return self._loaded

    def _reload_if_changed(self) -> None:
        signature = files_signature(self._loaded.files)
        if signature == self._signature:
            return
        self._signature = signature
        try:
            loaded = load_config(self.path)
        except ConfigError as exc:
            log.error("config: the edit was refused, version %s stays in force:\n%s", self._loaded.version, exc)
            return
        if loaded.version != self._loaded.version:
            log.info("config: version %s is now in force (was %s)", loaded.version, self._loaded.version)
        self._loaded = loaded
        self._signature = files_signature(loaded.files)
