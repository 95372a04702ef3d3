"""`khabardar variants` with the example config over an archive of the shared corpus, as an editor would run it.

Every text of the shared corpus (the five papers' COVID days, the other texts) and every sentence of the HiNER
sample becomes one archived article in a SQLite archive under a temporary data dir; then the real command runs
on khabardar.example.yaml and its output is printed as it is.

    python benchmarks/variants_example.py [--corpus DIR] [--watchlist NAME]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy.engine import URL  # noqa: E402

from worker.archive import Archive, ArchivedArticle  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
HINER_SAMPLE = "ner/hiner_collapsed_validation_first3000.conll"
CLI_TIMEOUT_S = 600


def articles(corpus: Path) -> list[ArchivedArticle]:
    now = datetime.now(UTC)
    found = [
        ArchivedArticle(f"corpus://{path.name}", "", path.read_text(encoding="utf-8"), now)
        for path in sorted((corpus / "texts").rglob("*.txt"))
    ]
    blocks = (corpus / HINER_SAMPLE).read_text(encoding="utf-8").split("\n\n")
    sentences = [" ".join(line.split("\t")[0] for line in block.splitlines()) for block in blocks]
    found += [ArchivedArticle(f"hiner://{n}", "", text, now) for n, text in enumerate(sentences) if text.strip()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--watchlist")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        archive = Archive(URL.create("sqlite+pysqlite", database=str(Path(data_dir) / "archive.sqlite3")))
        archive.add_many(articles(args.corpus))
        archive.close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("KHABARDAR_")}
        env |= {"KHABARDAR_DATA_DIR": data_dir, "KHABARDAR_CONFIG": str(REPO_ROOT / "khabardar.example.yaml")}
        command = [sys.executable, "-m", "tasks.cli", "variants"]
        command += ["--watchlist", args.watchlist] if args.watchlist else []
        subprocess.run(command, env=env, cwd=REPO_ROOT, timeout=CLI_TIMEOUT_S, check=True)


if __name__ == "__main__":
    main()
