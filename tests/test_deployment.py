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


def _unit(text: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as {section: {key: [values]}} (keys such as Environment= may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif line and not line.startswith("#"):
            key, _, value = line.partition("=")
            current.setdefault(key, []).append(value)
    return sections


def _seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(s|min)?", value)
    assert match, value
    return float(match[1]) * (60 if match[2] == "min" else 1)


def test_the_systemd_unit_runs_as_its_own_user_with_its_state_dir_and_outlasts_the_stop_deadline() -> None:
    from tasks.lifecycle import STOP_DEADLINE_S

    service = _unit((ROOT / "deploy" / "khabardar.service").read_text(encoding="utf-8"))["Service"]
    assert service["User"] == ["khabardar"]
    assert service["StateDirectory"] == ["khabardar"]
    assert "KHABARDAR_DATA_DIR=/var/lib/khabardar" in service["Environment"]
    assert service["ExecStart"][0].split()[-2:] == ["khabardar", "run"] or service["ExecStart"][0].endswith(
        "khabardar run"
    )
    assert service["Restart"] == ["on-failure"]
    assert service["KillSignal"] == ["SIGTERM"]
    assert _seconds(service["TimeoutStopSec"][0]) > STOP_DEADLINE_S


def test_the_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("systemd-analyze") is None:
        import pytest

        pytest.skip("systemd-analyze is not installed")
    text = (ROOT / "deploy" / "khabardar.service").read_text(encoding="utf-8")
    unit = tmp_path / "khabardar.service"
    unit.write_text(text.replace("/opt/khabardar/bin/khabardar", "/bin/true"), encoding="utf-8")  # verify wants it
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


def test_compose_gives_khabardar_more_grace_than_its_stop_deadline() -> None:
    from tasks.lifecycle import STOP_DEADLINE_S

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    for name in ("worker", "beat"):
        assert _seconds(services[name]["stop_grace_period"]) > STOP_DEADLINE_S, name


def test_the_image_runs_khabardar_under_an_init_that_passes_signals_on() -> None:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    entrypoint = [line for line in lines if line.startswith("ENTRYPOINT")]
    command = [line for line in lines if line.startswith("CMD")]
    assert entrypoint == ['ENTRYPOINT ["/usr/bin/tini", "--"]']
    assert command and command[-1].startswith("CMD ["), "a shell-form CMD puts /bin/sh between tini and khabardar"
    assert any("install" in line and " tini" in line for line in lines)


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


def test_compose_runs_postgres_for_the_archive_with_a_volume_and_a_healthcheck() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    postgres = compose["services"]["postgres"]
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])
    assert "pg_isready" in postgres["healthcheck"]["test"]
    worker = compose["services"]["worker"]
    assert worker["environment"]["KHABARDAR_DATABASE_URL"].startswith("postgresql://")
    assert worker["depends_on"]["postgres"]["condition"] == "service_healthy"
