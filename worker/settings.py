"""Settings from the environment (see .env.example): where the config, the state and the broker are."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = "var"
DEFAULT_REDIS_PREFIX = "khabardar"


@dataclass(frozen=True)
class Settings:
    config_path: Path
    data_dir: Path
    redis_url: str | None
    redis_prefix: str
    log_level: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, config: str | Path | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            config_path=Path(config or env.get("KHABARDAR_CONFIG") or "khabardar.yaml"),
            data_dir=Path(env.get("KHABARDAR_DATA_DIR") or DEFAULT_DATA_DIR),
            redis_url=env.get("KHABARDAR_REDIS_URL") or None,
            redis_prefix=env.get("KHABARDAR_REDIS_PREFIX") or DEFAULT_REDIS_PREFIX,
            log_level=(env.get("KHABARDAR_LOG_LEVEL") or "INFO").upper(),
        )
