"""Deliver one alert from the outbox: claim it, wait for the channel's rate limits, send, record the outcome.

What uses up a step of the retry schedule (``worker.alerts.retry``): a send whose answer says something about
the alert or the platform's health — a 5xx, a network failure, a permanent error. Two waits do not, because
they only say "not yet":

- our own rate limit: the alert is given back (``outbox_release``) with a turn in its channel's queue, so alerts
  waiting for one channel come back one at a time instead of all at once;
- the platform's 429: the alert comes back after the wait the platform asked for (Slack ``Retry-After``, Discord
  ``retry_after``, Telegram ``parameters.retry_after``), and so does every other alert of that channel, taking
  turns after it, instead of drawing more 429s in the meantime. A burst that outruns a platform is slowed down, never
  dead-lettered early. Only an alert that has met 429s for RATE_LIMITED_PATIENCE_S counts them like a 5xx, so a
  platform that answers nothing else still ends, in time, in the dead letters.
"""

from __future__ import annotations

import logging
import random
import signal
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from worker import metrics
from worker.alerts.base import Channel, MessageGoneError, MovedError
from worker.alerts.model import Alert
from worker.alerts.retry import next_attempt_delay_s, send_spacing_s
from worker.alerts.update import Update
from worker.errors import DeliveryError, StoreError
from worker.flow.hold import delivery_of, held_alert, timed_hold
from worker.flow.send import Message, outbox_message, send_message
from worker.http.client import POST_TIMEOUT_S
from worker.pipeline.engine import Engine
from worker.pipeline.ops import notify_ops
from worker.pipeline.updates import after_sent, ready_update, shown_with_copies
from worker.store import ChannelState, OutboxRecord, channel_disabled, moved_address
from worker.timezones import IST

log = logging.getLogger(__name__)

# Longer than one send can take: a POST is cut at its deadline, a moved channel (Telegram's supergroup) is posted
# twice, and the rest is store round trips. An expired claim is swept up again, so this is also how long the alerts
# of a worker that died mid-send wait before another worker sends them.
CLAIM_LEASE_S = 3 * POST_TIMEOUT_S
RATE_LIMITED_PATIENCE_S = 24 * 3600.0  # past this age, a 429 counts as an attempt like any transient failure
RATE_LIMITED_DEFAULT_WAIT_S = 30.0  # for a 429 that does not say how long to wait

DeliveryState = Literal["sent", "retry", "dead", "skipped"]


@dataclass(frozen=True)
class DeliveryOutcome:
    alert_id: str
    state: DeliveryState
    retry_in_s: float | None = None
    detail: str = ""
    turn_at: float | None = None  # the alert's turn in its channel's rate-limit queue: pass it to the next try
    update_id: str | None = None  # an update made pending once this was sent: deliver it in UPDATE_COALESCE_S


def deliver_alert(
    engine: Engine, alert_id: str, now_s: float, *, turn_at: float | None = None, rng: random.Random | None = None
) -> DeliveryOutcome:
    """One delivery attempt; never raises for a platform's answer, only for a failing store."""
    store = engine.store
    record = store.outbox_claim(alert_id, now_s, CLAIM_LEASE_S)
    if record is None:
        return DeliveryOutcome(alert_id, "skipped", detail="not due, already sent, or claimed by another worker")
    recorded = outbox_message(record.alert)  # an Alert, a Digest of held alerts (worker.flow), or an Update
    if isinstance(recorded, Alert) and _held_now(engine, recorded, now_s):
        return DeliveryOutcome(alert_id, "skipped", detail="held: it goes out in a digest")
    alert = ready_update(engine, recorded, record, now_s) if isinstance(recorded, Update) else recorded
    if alert is None:
        store.outbox_sent(alert_id, now_s)  # its receipt, the last version sent, stays
        return DeliveryOutcome(alert_id, "skipped", detail="an update with nothing new to show")
    alert = shown_with_copies(engine, alert, now_s)
    channel = engine.channel(alert.channel)
    if channel is None:
        return _dead(engine, record, now_s, f"channel {alert.channel!r} is no longer in the config")
    state = store.get_channel_state(alert.channel)
    if channel_disabled(state, engine.loaded.version):
        reason = state.get("disabled_reason", "a permanent error")
        return _dead(engine, record, now_s, f"channel {alert.channel!r} is disabled: {reason}")
    wait_s = _rate_limit_wait_s(engine, channel, state, now_s)
    if wait_s > 0:
        return _wait_for_turn(engine, record, channel, now_s, wait_s, turn_at)
    try:
        done, receipt = _send(engine, channel, state, alert, now_s)
    except DeliveryError as exc:
        return _failed(engine, record, alert, exc, now_s, rng or random.Random())
    except (SystemExit, KeyboardInterrupt):  # a Celery pool child raises SystemExit on SIGTERM; Ctrl-C on `once`
        _give_back(engine, record, now_s)
        raise
    if not done:  # a digest's part went: the next one takes its turn like another message (not an attempt)
        store.outbox_release(alert_id, now_s, now_s, "")
        store.count_channel_sent(alert.channel, now_s, delivery_day(now_s))
        return DeliveryOutcome(alert_id, "retry", 0.0, "digest part sent")
    store.outbox_sent(alert_id, now_s, receipt=receipt)
    store.count_channel_sent(alert.channel, now_s, delivery_day(now_s))
    metrics.count_delivery(engine, alert, "sent", now_s)
    return DeliveryOutcome(alert_id, "sent", update_id=_next_update(engine, alert, now_s))


def _next_update(engine: Engine, message: Message, now_s: float) -> str | None:
    """Copies that came in while it was sent: their update (it is sent; a failing store costs the edit only)."""
    try:
        return after_sent(engine, message, now_s)
    except StoreError as exc:
        log.warning("%s: the update with its story's later copies was not requested: %s", message.id, exc)
        return None


def _held_now(engine: Engine, alert: Alert, now_s: float) -> bool:
    """Quiet hours or a digest schedule that began after the alert was recorded (or came with a config edit) hold
    it now, rather than sending it into them."""
    hold = timed_hold(delivery_of(engine.config, alert.watchlist), datetime.fromtimestamp(now_s, UTC))
    if hold is None or not engine.store.flow_hold_claimed(held_alert(alert, hold, now_s)):
        return False
    metrics.count_held(engine, hold.reason)
    return True


# --- rate limits -------------------------------------------------------------------------------------------------


def _spacings_s(channel: Channel) -> dict[str, float]:
    return {bucket: send_spacing_s(count, period_s) for bucket, (count, period_s) in channel.rate_limits().items()}


def _rate_limit_wait_s(engine: Engine, channel: Channel, state: ChannelState, now_s: float) -> float:
    """Seconds until every limit of the channel lets one more send through; 0 when a token of each was taken."""
    held_s = state.get("held_back_until", 0.0) - now_s
    if held_s > 0:
        return held_s  # the platform said "not yet" for the whole webhook, not only for the alert it refused
    # The slowest limit first: when it refuses, no token of a faster one is spent for nothing.
    for bucket, spacing_s in sorted(_spacings_s(channel).items(), key=lambda item: -item[1]):
        wait_s = engine.store.take_token(f"{bucket}:{channel.name}", 1, spacing_s, now_s)
        if wait_s > 0:
            return wait_s
    return 0.0


def _wait_for_turn(
    engine: Engine, record: OutboxRecord, channel: Channel, now_s: float, wait_s: float, turn_at: float | None
) -> DeliveryOutcome:
    """Give the alert back until it may send (not an attempt). An alert whose turn has come waits only for the
    send just before it; any other takes the next free turn in the channel's queue, one spacing after the last."""
    spacing_s = max(_spacings_s(channel).values(), default=0.0)  # a platform without limits can still say 429
    if turn_at is not None and turn_at - now_s <= spacing_s and wait_s <= spacing_s:
        next_at = now_s + wait_s
    else:
        turn_at = next_at = engine.store.reserve_slot(f"queue:{channel.name}", spacing_s, now_s + wait_s, now_s)
    engine.store.outbox_release(record.id, now_s, next_at, record.last_error)
    return DeliveryOutcome(record.id, "retry", next_at - now_s, "rate limited", turn_at=turn_at)


# --- sending, and a destination the platform moved (a Telegram group that became a supergroup) ------------------


def _send(
    engine: Engine, channel: Channel, state: ChannelState, message: Message, now_s: float
) -> tuple[bool, str | None]:
    """Send (a digest: its next part; True when nothing is left; and the receipt to keep); when the platform
    answers that the destination moved, remember where and send there."""
    try:
        return send_message(engine.store, _current(channel, state), message, engine.http())
    except MovedError as exc:
        _remember_move(engine, channel, exc.address, now_s)
        return send_message(engine.store, channel.redirected(exc.address), message, engine.http())


def _current(channel: Channel, state: ChannelState) -> Channel:
    """The channel as it sends now: a destination that moved is reached where the platform said it went."""
    moved_to = moved_address(state, channel.address())
    if moved_to is None:
        return channel
    log.warning(
        "channel %s: sending to %s, where %s moved %s; %s in the config",
        channel.name,
        moved_to,
        channel.kind,
        channel.address(),
        channel.address_hint(moved_to),
    )
    return channel.redirected(moved_to)


def _remember_move(engine: Engine, channel: Channel, moved_to: str, now_s: float) -> None:
    # The config is read-only to khabardar: the new address is kept in the store until someone edits the config.
    old = channel.address()
    engine.store.set_channel_fields(channel.name, {"moved_from": old, "moved_to": moved_to, "moved_at": now_s})
    notify_ops(
        engine,
        level=logging.ERROR,
        text=f"khabardar: channel {channel.name}: {channel.kind} moved {old} to {moved_to}. Alerts go there from "
        f"now on, but the config still says {old}: {channel.address_hint(moved_to)} for this channel.",
    )


def _give_back(engine: Engine, record: OutboxRecord, now_s: float) -> None:
    """The worker is stopping mid-send: the alert is due again at once for the next worker, not after its claim
    lapses, and the cut-short send is not an attempt (had the platform taken it already, it comes twice: the outbox
    prefers a duplicate to a loss). A second SIGTERM, which would end the process outright, waits until it is done."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        engine.store.outbox_release(record.id, now_s, now_s, record.last_error)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    log.warning("alert %s: stopping mid-send; given back for the next worker", record.id)


# --- outcomes ----------------------------------------------------------------------------------------------------


def _failed(
    engine: Engine, record: OutboxRecord, alert: Message, exc: DeliveryError, now_s: float, rng: random.Random
) -> DeliveryOutcome:
    if isinstance(exc, MessageGoneError):  # an update of a message deleted in the chat: nothing wrong with the channel
        return _dead(engine, record, now_s, str(exc))
    engine.store.set_channel_fields(alert.channel, {"last_error": str(exc), "last_error_at": now_s})
    if exc.permanent:
        disable_channel(engine, alert.channel, str(exc), now_s)
        return _dead(engine, record, now_s, str(exc))
    if exc.status == 429 and now_s - record.created_at < RATE_LIMITED_PATIENCE_S:
        return _rate_limited(engine, record, alert, exc, now_s)
    delay_s = next_attempt_delay_s(record.attempts, retry_after_s=exc.retry_after_s, rng=rng)
    if delay_s is None:
        return _dead(engine, record, now_s, f"gave up after {record.attempts} attempts: {exc}")
    engine.store.outbox_retry(record.id, now_s, now_s + delay_s, str(exc))
    log.warning("alert %s to %s: %s; next attempt in %.0fs", record.id, alert.channel, exc, delay_s)
    metrics.count_delivery(engine, alert, "retry", now_s, str(exc))
    return DeliveryOutcome(record.id, "retry", delay_s, str(exc))


def _rate_limited(
    engine: Engine, record: OutboxRecord, alert: Message, exc: DeliveryError, now_s: float
) -> DeliveryOutcome:
    """The platform's 429: wait as long as it asks, then try again; not an attempt (see the module docstring)."""
    wait_s = exc.retry_after_s if exc.retry_after_s is not None else RATE_LIMITED_DEFAULT_WAIT_S
    engine.store.hold_channel_back(alert.channel, now_s + wait_s)
    engine.store.outbox_release(record.id, now_s, now_s + wait_s, str(exc))
    metrics.count_delivery(engine, alert, "rate_limited", now_s, str(exc))
    log.warning(
        "alert %s to %s: %s; trying again in %.1fs (not counted as an attempt)", record.id, alert.channel, exc, wait_s
    )
    return DeliveryOutcome(record.id, "retry", wait_s, str(exc))


def _dead(engine: Engine, record: OutboxRecord, now_s: float, reason: str) -> DeliveryOutcome:
    engine.store.outbox_dead(record.id, now_s, reason)
    log.error("alert %s dead-lettered: %s (replay with: khabardar alerts replay %s)", record.id, reason, record.id)
    metrics.count_delivery(engine, record, "dead", now_s, reason)
    return DeliveryOutcome(record.id, "dead", detail=reason)


def disable_channel(engine: Engine, channel: str, reason: str, now_s: float) -> None:
    """Stop sending to ``channel`` until its config changes, and say so: in the log, and once on ``ops``."""
    newly = engine.store.disable_channel(channel, reason, now_s, engine.loaded.version)
    message = (
        f"channel {channel} DISABLED: {reason}. Alerts to it are dead-lettered until its config is fixed (that "
        "enables it again); then replay them with: khabardar alerts replay --dead"
    )
    if newly:
        notify_ops(engine, f"khabardar: {message}", level=logging.ERROR)
    else:  # alerts in flight when it failed come back with the same error: announce it once
        log.error("%s", message)


def delivery_day(now_s: float) -> str:
    """The day ``sent_today`` counts: an Indian newsroom's (IST) date."""
    return datetime.fromtimestamp(now_s, IST).date().isoformat()
