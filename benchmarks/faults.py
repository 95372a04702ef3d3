"""The fault-test table: each fault scenario's expected, received, lost and duplicate alerts; and the signal table.

    python benchmarks/faults.py [--burst N] [--outage S] [--updates N] [-k EXPRESSION]
                                [--scenario faults|signals|all] [--signal-trials N]

Runs tests/integration/test_faults.py (real Redis, real Celery workers, loopback webhooks, a Discord that enforces
its rate limit) with the Discord burst at N alerts — 500 by default, as the delivery promise says; CI runs a
smaller burst — and prints the table the scenarios reported. The digest rows (a worker killed while a digest is
sent, flushes racing on two workers, Redis restarted while alerts are held) count alerts inside digests: lost and
duplicated alerts, and how many distinct digests carried them (one, always). The update rows (``-k update``: a
worker killed between sending an alert.updated and recording it, Redis restarted while updates are pending) run N
sent alerts (200 by default; CI runs 10), each with three later copies of its story and its update due, and count
versions by webhook-id: expected is one version per alert, a duplicate is a version POSTed twice (same id).
With ``-k``, only the fault scenarios it selects run (no signal trials unless ``--scenario signals``).
With 500 it takes about ten minutes: the burst
alone is 500 sends at Discord's pace, and the webhook outage waits out its minute (`--outage`, 10 s in CI) and the
retry schedule.

The "signals" scenario runs tests/integration/test_daemon.py's stop tests N times each (20 by default; CI runs
one, and of the stuck runs only SIGTERM → group and SIGINT → main): SIGTERM and SIGINT, to the main process and to
the whole group, with `khabardar run` idle and with both pool children stuck on a webhook that takes 30 s to
answer; each stuck run is started again and drained. It prints
how many of the trials exited within 10 s, the worst exit time, and the alerts lost or sent twice over all
trials. Twenty trials of every combination take about 40 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BURST = 500
DEFAULT_OUTAGE_S = 60  # CI's webhook outage is 10 s: two failed attempts, not the minute the promise names
DEFAULT_UPDATES = 200
DEFAULT_SIGNAL_TRIALS = 20
COLUMNS = ("scenario", "expected", "received", "lost", "duplicates", "note")
SIGNAL_COLUMNS = ("scenario", "load", "trials", "exits", "worst_exit_s", "lost", "duplicates")
SIGNAL_TESTS = "stops_within_seconds"


def run_fault_tests(options: argparse.Namespace, tally_file: Path) -> int:
    env = {
        **os.environ,
        "KHABARDAR_FAULT_TALLY": str(tally_file),
        "KHABARDAR_FAULT_BURST": str(options.burst),
        "KHABARDAR_FAULT_OUTAGE_S": str(options.outage),
        "KHABARDAR_FAULT_UPDATES": str(options.updates),
    }
    expression = options.expression
    command = [sys.executable, "-m", "pytest", "-q", "tests/integration/test_faults.py"]
    command += ["-k", expression] if expression else []
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def run_signal_tests(trials: int, tally_file: Path) -> int:
    env = {**os.environ, "KHABARDAR_FAULT_TALLY": str(tally_file), "KHABARDAR_SIGNAL_TRIALS": str(trials)}
    command = [sys.executable, "-m", "pytest", "-q", "tests/integration/test_daemon.py", "-k", SIGNAL_TESTS]
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def table(rows: list[dict[str, object]], columns: tuple[str, ...] = COLUMNS) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    lines += ["| " + " | ".join(str(row.get(column, "")) for column in columns) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=DEFAULT_BURST, help="alerts in the Discord burst")
    parser.add_argument("--outage", type=float, default=DEFAULT_OUTAGE_S, help="seconds the webhook answers 500")
    parser.add_argument("--updates", type=int, default=DEFAULT_UPDATES, help="sent alerts updated in the update rows")
    parser.add_argument("-k", dest="expression", help="run only the scenarios pytest -k selects")
    parser.add_argument("--scenario", choices=("faults", "signals", "all"), default=None)
    parser.add_argument("--signal-trials", type=int, default=DEFAULT_SIGNAL_TRIALS, help="trials per combination")
    options = parser.parse_args()
    if options.scenario is None:  # -k picks fault scenarios: the signal trials are not among them
        options.scenario = "faults" if options.expression else "all"
    with tempfile.TemporaryDirectory() as workdir:
        tally_file = Path(workdir) / "tally.jsonl"
        tally_file.touch()
        status = 0
        if options.scenario in ("faults", "all"):
            status |= run_fault_tests(options, tally_file)
        if options.scenario in ("signals", "all"):
            status |= run_signal_tests(options.signal_trials, tally_file)
        rows = [json.loads(line) for line in tally_file.read_text(encoding="utf-8").splitlines() if line]
    faults = [row for row in rows if row.get("table") != "signals"]
    signals = [row for row in rows if row.get("table") == "signals"]
    if faults:
        print(table(faults))
    if signals:
        print("\nsignals (exits: trials ended within 10 s; lost, duplicates: over all trials, counted at the sink)")
        print(table(signals, SIGNAL_COLUMNS))
    print(f"\npytest exit status {status}")
    raise SystemExit(status)


if __name__ == "__main__":
    main()
