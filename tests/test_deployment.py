"""docker-compose.yml and .env.example describe the deployment the README promises."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_runs_redis_with_aof_and_noeviction_workers_and_one_beat() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    redis_command = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis_command
    assert "--maxmemory-policy noeviction" in redis_command
    assert services["beat"]["command"] == ["khabardar", "beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert services["worker"]["command"][:2] == ["khabardar", "worker"]
    assert services["worker"]["environment"]["KHABARDAR_REDIS_URL"].startswith("redis://redis:")


def test_env_example_lists_every_variable_the_code_reads() -> None:
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.MULTILINE))
    read = set()
    for path in [*ROOT.glob("worker/**/*.py"), *ROOT.glob("tasks/**/*.py")]:
        read |= set(re.findall(r"\"(KHABARDAR_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    assert read, "found no KHABARDAR_ variables in the code"
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"


def test_env_example_holds_no_real_looking_secret() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "XXXX" in text
    assert not re.search(r"xox[bp]-\d", text)


def test_compose_runs_postgres_for_the_archive_with_a_volume_and_a_healthcheck() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    postgres = compose["services"]["postgres"]
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])
    assert "pg_isready" in postgres["healthcheck"]["test"]
    worker = compose["services"]["worker"]
    assert worker["environment"]["KHABARDAR_DATABASE_URL"].startswith("postgresql://")
    assert worker["depends_on"]["postgres"]["condition"] == "service_healthy"
