"""Fixtures shared by every test: the shared corpus, which lives beside the repository, not in it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus of real Hindi pages and feeds; tests that need it skip where it is absent, never in CI."""
    if not CORPUS_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the shared corpus is missing beside the repository ({CORPUS_DIR.name}/); CI needs it")
        pytest.skip("the shared corpus (../shared/corpus) is not beside this clone")
    return CORPUS_DIR
