"""Deliver one alert from the outbox: claim it, respect the channel's rate limit, send, record the outcome."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from worker.alerts.model import Alert
from worker.alerts.retry import next_attempt_delay_s, rate_limits_for
from worker.errors import DeliveryError
from worker.pipeline.engine import Engine
from worker.store import OutboxRecord

log = logging.getLogger(__name__)

IST = ZoneInfo("Asia/Kolkata")  # "sent today" is an Indian newsroom's day
CLAIM_LEASE_S = 45.0  # longer than one send can take (connect + read timeouts); an expired claim is swept up again


@dataclass(frozen=True)
class DeliveryOutcome:
    alert_id: str
    state: str  # sent | retry | dead | skipped
    retry_in_s: float | None = None
    detail: str = ""


def deliver_alert(engine: Engine, alert_id: str, now_s: float, *, rng: random.Random | None = None) -> DeliveryOutcome:
    """One delivery attempt; never raises for a platform's answer, only for a failing store."""
    store = engine.store
    record = store.outbox_claim(alert_id, now_s, CLAIM_LEASE_S)
    if record is None:
        return DeliveryOutcome(alert_id, "skipped", detail="not due, already sent, or claimed by another worker")
    alert = Alert.from_dict(record.alert)
    channel = engine.channel(alert.channel)
    if channel is None:
        return _dead(engine, record, now_s, f"channel {alert.channel!r} is no longer in the config")
    disabled = _disabled_reason(engine, alert.channel)
    if disabled:
        return _dead(engine, record, now_s, f"channel {alert.channel!r} is disabled: {disabled}")
    wait_s = _rate_limit_wait_s(engine, alert.channel, now_s)
    if wait_s > 0:
        store.outbox_retry(alert_id, now_s, now_s + wait_s, record.last_error)
        return DeliveryOutcome(alert_id, "retry", wait_s, "rate limited")
    try:
        channel.send(alert, engine.http())
    except DeliveryError as exc:
        return _failed(engine, record, alert, exc, now_s, rng or random.Random())
    store.outbox_sent(alert_id, now_s)
    _count_sent(engine, alert.channel, now_s)
    return DeliveryOutcome(alert_id, "sent")


def _rate_limit_wait_s(engine: Engine, channel: str, now_s: float) -> float:
    """Seconds until every rate limit of the channel lets one more message through (0: send now)."""
    limits = rate_limits_for(engine.config.channels[channel])
    for bucket, (count, period_s) in limits.items():
        wait_s = engine.store.take_token(f"{bucket}:{channel}", count, period_s, now_s)
        if wait_s > 0:
            return wait_s
    return 0.0


def _failed(
    engine: Engine, record: OutboxRecord, alert: Alert, exc: DeliveryError, now_s: float, rng: random.Random
) -> DeliveryOutcome:
    if exc.permanent:
        _disable_channel(engine, alert.channel, str(exc), now_s)
        return _dead(engine, record, now_s, str(exc))
    delay_s = next_attempt_delay_s(record.attempts, retry_after_s=exc.retry_after_s, rng=rng)
    if delay_s is None:
        return _dead(engine, record, now_s, f"gave up after {record.attempts} attempts: {exc}")
    engine.store.outbox_retry(record.id, now_s, now_s + delay_s, str(exc))
    log.warning("alert %s to %s: %s; next attempt in %.0fs", record.id, alert.channel, exc, delay_s)
    return DeliveryOutcome(record.id, "retry", delay_s, str(exc))


def _dead(engine: Engine, record: OutboxRecord, now_s: float, reason: str) -> DeliveryOutcome:
    engine.store.outbox_dead(record.id, now_s, reason)
    log.error("alert %s dead-lettered: %s (replay with: khabardar alerts replay %s)", record.id, reason, record.id)
    return DeliveryOutcome(record.id, "dead", detail=reason)


def _disable_channel(engine: Engine, channel: str, reason: str, now_s: float) -> None:
    state = engine.store.get_channel_state(channel)
    version = engine.loaded.version
    engine.store.put_channel_state(
        channel, {**state, "disabled": True, "disabled_reason": reason, "disabled_at": now_s, "config_version": version}
    )
    log.error("channel %s DISABLED: %s. Fix its config; it is enabled again when the config changes.", channel, reason)


def _disabled_reason(engine: Engine, channel: str) -> str | None:
    """Why the channel is disabled, or None; a config edited since the permanent error enables it again."""
    state = engine.store.get_channel_state(channel)
    if not state.get("disabled") or state.get("config_version") != engine.loaded.version:
        return None
    return str(state.get("disabled_reason", "a permanent error"))


def _count_sent(engine: Engine, channel: str, now_s: float) -> None:
    state = engine.store.get_channel_state(channel)
    day = datetime.fromtimestamp(now_s, IST).date().isoformat()
    today = int(state.get("sent_today", 0)) + 1 if state.get("sent_day") == day else 1
    engine.store.put_channel_state(
        channel,
        {**state, "last_sent_at": now_s, "sent": int(state.get("sent", 0)) + 1, "sent_day": day, "sent_today": today},
    )
