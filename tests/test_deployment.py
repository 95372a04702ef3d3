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


def test_compose_serves_the_web_on_host_loopback_with_a_readiness_healthcheck() -> None:
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["web"]
    assert web["command"][:2] == ["khabardar", "web"]
    assert all(port.startswith("127.0.0.1:") for port in web["ports"])
    assert "/readyz" in " ".join(web["healthcheck"]["test"])


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


def test_grafana_dashboard_queries_only_metrics_khabardar_exports() -> None:
    import json

    from worker.metrics import names

    exported = {names.PREFIX + m.name + "_total" for m in names.COUNTERS}
    exported |= {names.PREFIX + m.name + "_bucket" for m in names.HISTOGRAMS}
    exported |= {names.PREFIX + key + "_timestamp_seconds" for key in names.TIMES}
    exported |= {names.PREFIX + g for g in ("outbox_alerts", "outbox_oldest_pending_age_seconds", "feeds")}
    exported |= {names.PREFIX + g for g in ("channels_disabled", "store_up")}
    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text(encoding="utf-8"))
    queried = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"khabardar_[a-z_]+", target["expr"])
    }
    assert queried and queried <= exported, sorted(queried - exported)
