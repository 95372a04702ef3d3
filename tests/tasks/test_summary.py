"""What `khabardar once --dry-run` prints about stories: each article that would fold, and into whose story."""

from __future__ import annotations

from rich.console import Console

from tasks.summary import print_once_report
from worker.pipeline.once import Fold, OnceReport

WIDE_COLS = 300


def test_a_dry_run_names_each_article_that_would_fold_and_the_story_it_joins() -> None:
    fold = Fold("https://b.example/pul", "[पुल] जनता को समर्पित", "https://a.example/bridge", "गंगा पर नया पुल")
    console = Console(record=True, width=WIDE_COLS)
    print_once_report(console, OnceReport(feeds_polled=1, articles=2, folds=[fold]), dry_run=True)
    text = console.export_text()
    assert "1 article(s) would fold into an earlier story" in text
    row = next(line for line in text.splitlines() if "जनता" in line)
    assert "[पुल] जनता को समर्पित" in row and "गंगा पर नया पुल" in row  # brackets are text, not markup
