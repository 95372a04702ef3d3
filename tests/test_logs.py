"""Log lines: JSON with the ids given as extra fields, and Celery's per-task trace kept below INFO."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from worker.logs import QUIETED_LOGGERS, JsonFormatter, configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in QUIETED_LOGGERS}
    yield
    root.handlers, root.level = handlers, level
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


def test_json_line_carries_the_message_and_the_ids() -> None:
    record = logging.LogRecord("khabardar.events", logging.INFO, __file__, 1, "alert %s sent", ("abc",), None)
    record.alert_id, record.channel, record.watchlist, record.feed = "abc", "desk", "world-leaders", "desh"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "alert abc sent"
    ids = (line["alert_id"], line["channel"], line["watchlist"], line["feed"])
    assert ids == ("abc", "desk", "world-leaders", "desh")
    assert (line["level"], line["logger"]) == ("INFO", "khabardar.events")


def test_json_line_keeps_devanagari_readable() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "फ़ीड %s", ("देश",), None)
    assert "फ़ीड देश" in JsonFormatter().format(record)


@pytest.mark.usefixtures("restore_logging")
def test_celery_task_trace_is_quiet_at_info_and_shown_with_debug() -> None:
    configure_logging("INFO")
    assert not logging.getLogger("celery.app.trace").isEnabledFor(logging.INFO)
    assert not logging.getLogger("celery.worker.strategy").isEnabledFor(logging.INFO)
    assert logging.getLogger("worker.pipeline.deliver").isEnabledFor(logging.INFO)
    for name in QUIETED_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    configure_logging("DEBUG")
    assert logging.getLogger("celery.app.trace").isEnabledFor(logging.INFO)
