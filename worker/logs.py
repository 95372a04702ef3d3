"""Log set-up for every command: plain lines, or JSON lines with ``KHABARDAR_LOG_FORMAT=json``.

At INFO the log says what happened to feeds and alerts (one line per poll batch, per alert sent, failed or
held), not how Celery moved each task: its per-task trace ("Task ingest.tick received/succeeded", beat's
"Sending due task" every tick) goes to WARNING, where only its problems show. So does Alembic's account of
the archive's migrations, which every command that opens the archive runs (`search` and `backtest` print only
their own output). ``--verbose`` shows them all.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIETED_LOGGERS = ("celery.app.trace", "celery.worker.strategy", "celery.beat", "werkzeug", "alembic")
EXTRA_FIELDS = ("feed", "watchlist", "channel", "alert_id", "outcome", "feeds", "batch")  # passed with extra={...}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the ids given as ``extra``, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in EXTRA_FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str, log_format: str = "plain") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(PLAIN_FORMAT))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    if root.getEffectiveLevel() > logging.DEBUG:  # --verbose keeps Celery's trace
        for name in QUIETED_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
