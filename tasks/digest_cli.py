"""`khabardar digest preview WATCHLIST`, and the held-alerts table `khabardar alerts list` shows."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from tasks.console import out
from worker.alerts.console import console_digest_text
from worker.alerts.digest import Digest, DigestView
from worker.config import Config, config_path, load_config
from worker.errors import ConfigError
from worker.flow.hold import delivery_of, split_group
from worker.flow.why import hold_note
from worker.settings import Settings
from worker.store import HeldAlert, Store, open_store

digest_cli = typer.Typer(help="Digests of held alerts (quiet hours, bursts, schedules).", no_args_is_help=True)
TITLE_COLUMN_CHARS = 60


def config_or_defaults() -> Config:
    """The config in force, or an empty one (every list then uses the default zone) when it cannot be read."""
    try:
        return load_config(config_path()).config
    except ConfigError:
        return Config()


def held_table(store: Store, config: Config, now: datetime) -> Table | None:
    """Every held alert and why it is held; None when none is."""
    held = store.flow_held()
    if not held:
        return None
    table = Table("id", "watch-list", "channel", "held since", "why", "title", title="held (they go out in digests)")
    for one in held:
        watchlist, channel = split_group(one.group)
        since = datetime.fromtimestamp(one.held_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        why = hold_note(delivery_of(config, watchlist), one, now)
        table.add_row(one.id, watchlist, channel, since, why, one.alert["article"]["title"][:TITLE_COLUMN_CHARS])
    return table


@digest_cli.command("preview")
def preview(watchlist: Annotated[str, typer.Argument(help="A watch-list name from the config.")]) -> None:
    """Print what the next digest of WATCHLIST would hold, per channel, and when it goes out."""
    from tasks.cli import _load_or_exit  # the CLI's one way of reading the config: a broken one fails clearly

    config = _load_or_exit().config
    groups: dict[str, list[HeldAlert]] = defaultdict(list)
    for one in open_store(Settings.from_env()).flow_held():
        if split_group(one.group)[0] == watchlist:
            groups[one.group].append(one)
    if not groups:
        out.print(f"nothing is held for {watchlist}: its next digest would be empty", markup=False)
        return
    now = datetime.now(UTC)
    for group, held in groups.items():
        channel = split_group(group)[1]
        note = hold_note(delivery_of(config, watchlist), held[0], now)
        out.print(f"{channel}: {len(held)} held alert(s); {note}", markup=False, highlight=False)
        digest = Digest("preview", watchlist, channel, held[0].reason, "", tuple(one.alert for one in held))
        out.print(console_digest_text(DigestView.of(digest)), markup=False, highlight=False)
