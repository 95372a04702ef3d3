"""One rule, one place: a constant or rule that several layers use is defined once, below tasks/, and every user
imports that one; and the config layer validates topic queries without loading the matcher."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

SHARED = [  # (module that uses it, name, the module that defines it)
    ("worker.feeds.dates", "IST", "worker.timezones"),
    ("worker.feeds", "IST", "worker.timezones"),
    ("worker.clean.dates", "IST", "worker.timezones"),
    ("worker.alerts.view", "IST", "worker.timezones"),
    ("worker.pipeline.deliver", "IST", "worker.timezones"),
    ("worker.clean", "PAGE_MAX_BYTES", "worker.http.client"),
    ("worker.clean.tree", "PAGE_MAX_BYTES", "worker.http.client"),
    ("worker.fetch", "PAGE_MAX_BYTES", "worker.http.client"),
    ("worker.pipeline.dispatch", "due_at", "worker.feeds.schedule"),
    ("tasks.feedhealth", "due_at", "worker.feeds.schedule"),
    ("worker.match", "parse_query", "worker.query"),
    ("worker.match", "QuerySyntaxError", "worker.query"),
    ("worker.config.models", "parse_query", "worker.query"),
]


@pytest.mark.parametrize(("user", "name", "home"), SHARED)
def test_a_shared_rule_is_the_one_its_home_defines(user: str, name: str, home: str) -> None:
    assert getattr(importlib.import_module(user), name) is getattr(importlib.import_module(home), name)


def test_validating_a_topic_query_does_not_load_the_matcher() -> None:
    script = (
        "import sys\n"
        "from worker.config.models import EntityConfig\n"
        "EntityConfig(id='budget', kind='topic', query='बजट NEAR/3 संसद')\n"
        "print(sorted(name for name in sys.modules if name.startswith('worker.match')))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
