"""The store's concerns, each a small protocol; :class:`~worker.store.base.Store` combines them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from worker.store.base import OutboxRecord, OutboxState


class SeenArticles(Protocol):
    """The articles already handled, remembered for ``Retention.seen_s`` after they were marked."""

    def is_seen(self, key: str) -> bool: ...
    def mark_seen(self, key: str, *, now: float | None = None) -> bool:
        """Record ``key`` (at ``now``, the current time when not given); True if it was new."""
        ...


class Outbox(Protocol):
    """One record per alert id; a sent alert is kept ``Retention.done_alert_s``, a dead one ``dead_alert_s``."""

    def outbox_add(self, alert_id: str, alert: dict[str, Any], now: float) -> bool:
        """Record a pending alert; False (and no change) if the id is already recorded (within its retention)."""
        ...

    def outbox_get(self, alert_id: str) -> OutboxRecord | None: ...
    def outbox_claim(self, alert_id: str, now: float, lease_s: float) -> OutboxRecord | None:
        """Claim a pending, due, unclaimed alert for sending; None when someone else has it or it is not due."""
        ...

    def outbox_sent(self, alert_id: str, now: float, *, receipt: str | None = None) -> None:
        """Mark it sent; ``receipt`` (when given) is kept with the record (``OutboxRecord.receipt``)."""
        ...

    def outbox_rearm(self, alert_id: str, alert: dict[str, Any], now: float, next_at: float) -> bool:
        """Record a pending record due at ``next_at``, or make a sent or dead one pending again (due then, no
        attempts, receipt kept); a pending one is left alone, claimed or not. True when it is newly pending."""
        ...

    def outbox_retry(self, alert_id: str, now: float, next_at: float, error: str) -> None: ...
    def outbox_release(self, alert_id: str, now: float, next_at: float, error: str) -> None:
        """Give a claimed alert back as pending, due at ``next_at``, without counting the claim as an attempt
        (a rate-limit wait or a platform's 429 says nothing about whether the alert can be delivered)."""
        ...

    def outbox_dead(self, alert_id: str, now: float, error: str) -> None: ...
    def outbox_replay(self, alert_id: str, now: float) -> bool:
        """Make a dead (or sent) alert pending again, due now; False if unknown."""
        ...

    def outbox_due(self, now: float, limit: int) -> list[str]:
        """Pending alerts whose attempt time has come and whose claim (if any) has expired."""
        ...

    def outbox_list(self, state: OutboxState | None, limit: int) -> list[OutboxRecord]: ...
    def outbox_counts(self) -> dict[str, int]: ...


class RateLimits(Protocol):
    """Shared rate limits of the channels; a bucket or slot is forgotten once it no longer holds anything back."""

    def take_token(self, bucket: str, count: int, period_s: float, now: float) -> float:
        """A shared rate limit of ``count`` per ``period_s``: 0 if a send may go now, else seconds to wait."""
        ...

    def reserve_slot(self, key: str, spacing_s: float, not_before: float, now: float) -> float:
        """Reserve the earliest time from ``not_before`` that is at least ``spacing_s`` after every slot reserved
        under ``key`` before, and return it: alerts waiting for one rate limit come back one by one, not all at
        once. ``now`` is the current time (slots are forgotten once they are past)."""
        ...
