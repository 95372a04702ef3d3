"""The stages of khabardar, as plain functions: poll a feed, process an article, deliver an alert.

Celery tasks (``tasks/``) and ``khabardar once`` call these same functions.
"""

from worker.pipeline.deliver import CLAIM_LEASE_S, DeliveryOutcome, deliver_alert
from worker.pipeline.engine import Engine
from worker.pipeline.poll import ArticleJob, PollResult, PollStatus, run_poll
from worker.pipeline.process import process_article

__all__ = [
    "CLAIM_LEASE_S",
    "ArticleJob",
    "DeliveryOutcome",
    "Engine",
    "PollResult",
    "PollStatus",
    "deliver_alert",
    "process_article",
    "run_poll",
]
