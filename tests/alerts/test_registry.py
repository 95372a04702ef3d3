"""One registry line per platform, and every platform answers every hook a channel has."""

from __future__ import annotations

from typing import get_args

import pytest

from worker.alerts import CHANNEL_TYPES, channel_for
from worker.alerts.base import Channel
from worker.config.models import ChannelConfig, Config

CONFIG_TYPES = get_args(get_args(ChannelConfig)[0])  # the union inside Annotated[..., Field(discriminator=...)]
NOTICE = "khabardar: feed jagran has moved"


def config_of(config_type: type) -> ChannelConfig:
    [kind] = get_args(config_type.model_fields["type"].annotation)
    fields = {"type": kind, "url": "https://hooks.example/T000/B000/XXXXXXXXXXXXXXXX", "token": "1:a", "chat_id": "-1"}
    wanted = {name: value for name, value in fields.items() if name in config_type.model_fields}
    return Config.model_validate({"channels": {"desk": wanted}}).channels["desk"]


def test_every_config_type_has_one_registry_line() -> None:
    assert set(CHANNEL_TYPES) == set(CONFIG_TYPES)


@pytest.mark.parametrize("config_type", CONFIG_TYPES, ids=lambda config_type: config_type.__name__)
def test_every_platform_answers_every_hook(config_type: type) -> None:
    channel = channel_for("desk", config_of(config_type))
    assert NOTICE.split()[-1] in str(channel.notice_payload(NOTICE))
    for bucket, (count, period_s) in channel.rate_limits().items():
        assert bucket.startswith(channel.kind) and count >= 1 and period_s > 0
    assert isinstance(channel.address(), str)


def test_a_platform_that_cannot_move_a_destination_refuses_to_redirect() -> None:
    channel: Channel = channel_for("desk", config_of(CONFIG_TYPES[0]))
    assert channel.address() == ""
    with pytest.raises(NotImplementedError):
        channel.redirected("elsewhere")
