"""The fault-test table: each fault scenario's expected, received, lost and duplicate alerts.

    python benchmarks/faults.py [--burst N] [-k EXPRESSION]

Runs tests/integration/test_faults.py (real Redis, real Celery workers, loopback webhooks, a Discord that enforces
its rate limit) with the Discord burst at N alerts — 500 by default, as the delivery promise says; CI runs a
smaller burst — and prints the table the scenarios reported. The digest rows (a worker killed while a digest is
sent, flushes racing on two workers, Redis restarted while alerts are held) count alerts inside digests: lost and
duplicated alerts, and how many distinct digests carried them (one, always).

With 500 it takes about ten minutes: the burst alone is 500 sends at Discord's pace, and the webhook outage waits
out its minute and the retry schedule.
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
COLUMNS = ("scenario", "expected", "received", "lost", "duplicates", "note")


def run_fault_tests(burst: int, expression: str | None, tally_file: Path) -> int:
    env = {**os.environ, "KHABARDAR_FAULT_TALLY": str(tally_file), "KHABARDAR_FAULT_BURST": str(burst)}
    command = [sys.executable, "-m", "pytest", "-q", "tests/integration/test_faults.py"]
    command += ["-k", expression] if expression else []
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(" --- " for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(str(row.get(column, "")) for column in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=DEFAULT_BURST, help="alerts in the Discord burst")
    parser.add_argument("-k", dest="expression", help="run only the scenarios pytest -k selects")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        tally_file = Path(workdir) / "tally.jsonl"
        tally_file.touch()
        status = run_fault_tests(options.burst, options.expression, tally_file)
        rows = [json.loads(line) for line in tally_file.read_text(encoding="utf-8").splitlines() if line]
    print(table(rows))
    print(f"\npytest exit status {status}")
    raise SystemExit(status)


if __name__ == "__main__":
    main()
