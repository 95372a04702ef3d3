"""Operator commands: the outbox (list, show, replay), channel health, a test alert, feed health."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from tasks.console import err, out
from tasks.digest_cli import config_or_defaults, held_table
from worker.alerts import Channel, channel_for
from worker.alerts.digest import is_digest
from worker.alerts.sample import sample_alert
from worker.alerts.update import is_update
from worker.config import LoadedConfig
from worker.errors import DeliveryError, StoreError
from worker.http import HttpClient
from worker.pipeline.deliver import delivery_day
from worker.settings import Settings
from worker.store import (
    OUTBOX_STATES,
    ChannelState,
    OutboxState,
    Store,
    channel_disabled,
    moved_address,
    open_store,
)

alerts_cli = typer.Typer(
    help="The alert outbox: what is pending, sent or dead, and replaying it.", no_args_is_help=True
)
LIST_LIMIT = 50
NOTE_MAX_CHARS = 120  # a channel's last error or disabled reason, cut to one line of the table
ALSO_IN_SHOWN_MAX = 2  # outlets named in the list's "also in" column; the others are counted, "(+N)"
Copies = dict[str, list[dict[str, Any]]]  # alert id -> the later copies folded into it, in arrival order


def _store() -> Store:
    return open_store(Settings.from_env())


@alerts_cli.command("list")
def list_alerts(
    state: Annotated[str | None, typer.Option(help="pending | sent | dead")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = LIST_LIMIT,
) -> None:
    """List alerts in the outbox, each with the later copies of its story folded into it ("also in")."""
    if state is not None and state not in OUTBOX_STATES:
        raise typer.BadParameter(f"--state must be one of {', '.join(OUTBOX_STATES)}")
    chosen: OutboxState | None = state  # type: ignore[assignment]
    store = _store()
    records = store.outbox_list(chosen, limit)
    copies = later_copies(_alert_id(record.alert) for record in records)
    table = Table("id", "state", "channel", "watch-list", "tries", "next try", "last error", "title", "later copies")
    for record in records:
        alert = record.alert
        next_try = _when(record.next_at) if record.state == "pending" else ""
        table.add_row(
            record.id,
            record.state,
            alert["channel"],
            alert["watchlist"],
            str(record.attempts),
            next_try,
            record.last_error[:60],
            _title(alert)[:60],
            also_in_text(copies.get(_alert_id(alert), [])),
        )
    out.print(table)
    held = held_table(store, config_or_defaults(), datetime.now(UTC))  # worker.flow: held alerts, and why
    if held is not None:
        out.print(held)
    out.print(" · ".join(f"{count} {name}" for name, count in store.outbox_counts().items()))


@alerts_cli.command("show")
def show_alert(
    alert_id: Annotated[str, typer.Argument(help="An alert id from `khabardar alerts list`.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: the outbox record and also_in.")] = False,
) -> None:
    """One alert: its state, article and matches, and every later copy of its story folded into it."""
    record = _store().outbox_get(alert_id)
    if record is None:
        out.print(f"no alert {alert_id} in the outbox", markup=False)
        raise typer.Exit(1)
    alert_id = _alert_id(record.alert)
    copies = later_copies([alert_id]).get(alert_id, [])
    if as_json:
        shown = {key: value for key, value in vars(record).items() if key != "claimed_until"}
        print(json.dumps(shown | {"also_in": copies}, ensure_ascii=False, indent=2))
        return
    out.print(_details(record.alert, record.state, record.attempts, record.last_error))
    table = Table("outlet", "title", "published", "url", title=f"also in ({len(copies)} later copies)")
    for copy in copies:
        table.add_row(*(str(copy.get(key) or "") for key in ("outlet", "title", "published", "url")))
    out.print(table if copies else "no later copies folded into this alert")


def _details(alert: dict[str, Any], state: str, attempts: int, last_error: str) -> Table:
    table = Table(show_header=False, box=None)
    rows = [("id", str(alert.get("id", ""))), ("state", state), ("tries", str(attempts)), ("last error", last_error)]
    rows += [(key, str(alert.get(key, ""))) for key in ("channel", "watchlist", "created_at", "story")]
    rows += [("shows again", str(alert["alert_id"]))] if is_update(alert) else []
    if not is_digest(alert):
        rows += [(key, str(value or "")) for key, value in alert["article"].items() if key != "snippet"]
        rows += [("matches", ", ".join(f"{m['entity']} ×{m['count']}" for m in alert.get("matches") or ()))]
    for key, value in rows:
        table.add_row(key, value)
    return table


def later_copies(alert_ids: Iterable[str]) -> Copies:
    """The later copies of each alert's story (remembered by the story index for ``stories.window``); none when
    the index cannot be read, which costs the column, not the listing."""
    from worker.stories.open import open_story_index  # numpy and scipy: only when asked

    window_s = config_or_defaults().stories.window.total_seconds()
    now = time.time()
    try:
        index = open_story_index(Settings.from_env(), window_s)
        return {one: index.updates(one, now) for one in alert_ids}
    except StoreError as exc:
        err.print(f"khabardar alerts: later copies not shown, the story index cannot be read: {exc}", markup=False)
        return {}


def also_in_text(copies: list[dict[str, Any]]) -> str:
    """``also in: A, B (+3)``: the outlets of the later copies, each once, the first few named."""
    outlets = list(dict.fromkeys(str(copy.get("outlet") or copy.get("url") or "") for copy in copies))
    if not outlets:
        return ""
    rest = len(outlets) - ALSO_IN_SHOWN_MAX
    return "also in: " + ", ".join(outlets[:ALSO_IN_SHOWN_MAX]) + (f" (+{rest})" if rest > 0 else "")


@alerts_cli.command("replay")
def replay(
    alert_id: Annotated[str | None, typer.Argument(help="The alert to send again.")] = None,
    dead: Annotated[bool, typer.Option("--dead", help="Replay every dead-lettered alert.")] = False,
) -> None:
    """Make alerts pending again; a running worker (or `khabardar once`) delivers them."""
    store = _store()
    if (alert_id is None) == (not dead):
        raise typer.BadParameter("give an alert id or --dead")
    ids = [alert_id] if alert_id else [record.id for record in store.outbox_list("dead", 100_000)]
    replayed = [one for one in ids if one and store.outbox_replay(one, time.time())]
    if alert_id and not replayed:
        out.print(f"no alert {alert_id} in the outbox")
        raise typer.Exit(1)
    out.print(f"{len(replayed)} alert(s) pending again")


def channels_table(loaded: LoadedConfig, store: Store, *, now_s: float | None = None) -> Table:
    today = delivery_day(time.time() if now_s is None else now_s)
    table = Table("channel", "type", "state", "sent today", "last error")
    for name, config in loaded.config.channels.items():
        state = store.get_channel_state(name)
        disabled = channel_disabled(state, loaded.version)
        table.add_row(
            name,
            config.type,
            "DISABLED" if disabled else "ok",
            str(state.get("sent_today", 0) if state.get("sent_day") == today else 0),
            _note(state, channel_for(name, config), disabled)[:NOTE_MAX_CHARS],
        )
    return table


def _note(state: ChannelState, channel: Channel, disabled: bool) -> str:
    """Why it is disabled, else what to change after the platform moved it (a Telegram group became a supergroup),
    else its last failed send."""
    if disabled:
        return state.get("disabled_reason", "")
    moved_to = moved_address(state, channel.address())
    if moved_to:
        return f"moved to {moved_to}: {channel.address_hint(moved_to)} in the config"
    if "last_error" not in state:
        return ""
    return f"{_when(state.get('last_error_at', 0.0))}: {state['last_error']}"


def send_test_alert(loaded: LoadedConfig, channel: str) -> None:
    config = loaded.config.channels.get(channel)
    if config is None:
        out.print(f"no channel {channel!r} in the config (channels: {', '.join(loaded.config.channels)})")
        raise typer.Exit(1)
    try:
        alert = sample_alert(channel, now=datetime.now(UTC))
        channel_for(channel, config).send(alert, HttpClient(allow_hosts=loaded.config.fetch.allow_hosts))
    except DeliveryError as exc:
        out.print(f"test alert to {channel} FAILED: {exc}", markup=False)
        raise typer.Exit(1) from exc
    out.print(f"test alert sent to {channel}")


def _title(alert: dict[str, Any]) -> str:
    """The article's title; a digest says how many alerts it carries, an update which alert it shows again."""
    if is_digest(alert):
        return f"digest ({alert.get('reason')}): {len(alert.get('alerts') or ())} alerts"
    if is_update(alert):
        return f"update of {alert['alert_id']}: {alert['article'].get('title', '')}"
    return str(alert["article"]["title"])


def _alert_id(alert: dict[str, Any]) -> str:
    """The alert whose story's later copies a record shows: its own, or the one an update edits."""
    return str(alert["alert_id"] if is_update(alert) else alert["id"])


def _when(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
