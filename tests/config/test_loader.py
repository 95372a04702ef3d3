"""The config file: every error names file, line and field; includes merge; ${VAR} comes from the environment."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from worker.config import load_config
from worker.errors import ConfigError

GOOD = """\
feeds:
  - name: jagran-world
    url: https://www.jagran.com/rss/world.xml
    interval: 5m
channels:
  desk-slack: {type: slack, url: "${SLACK_WEBHOOK_URL}"}
  desk-tg: {type: telegram, token: "${TG_BOT_TOKEN}", chat_id: "-100123", api_url: https://api.telegram.org}
  hook: {type: webhook, url: "https://example.org/hook", secret: "${HOOK_SECRET:-}"}
  terminal: {type: console}
ops: desk-slack
fetch:
  allow_hosts: []
sites: {}
watchlists:
  - name: world-leaders
    channels: [desk-slack]
    entities:
      - id: putin
        kind: leader
        names: [व्लादिमीर पुतिन, पुतिन, Vladimir Putin, Putin]
      - id: kim-jong-un
        kind: leader
        names: [किम जोंग उन, Kim Jong Un]
        short_names: [किम]
        exclude: [किम जोंग इल, किम जोंग द्वितीय]
      - id: sanctions
        kind: topic
        names: [प्रतिबंध, sanctions]
"""
ENV = {"SLACK_WEBHOOK_URL": "https://hooks.slack.test/T/B/x", "TG_BOT_TOKEN": "123:abc"}


def _write(tmp_path: Path, text: str, name: str = "khabardar.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_product_example_loads(tmp_path: Path) -> None:
    loaded = load_config(_write(tmp_path, GOOD), environ=ENV)
    config = loaded.config
    assert config.feeds[0].interval == timedelta(minutes=5)
    assert config.channels["desk-slack"].type == "slack"
    assert config.watchlists[0].entities[1].short_names == ["किम"]
    assert config.ops == "desk-slack"


EXAMPLE = Path(__file__).resolve().parents[2] / "khabardar.example.yaml"


def test_shipped_example_config_is_valid() -> None:
    config = load_config(EXAMPLE, environ={}).config
    assert len(config.feeds) >= 7
    assert config.watchlists


def test_the_example_configs_commented_delivery_block_loads_when_uncommented(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    uncommented = re.sub(r"(?m)^    # (delivery:|  \w)", r"    \1", text)
    assert uncommented != text
    path = tmp_path / "khabardar.yaml"
    path.write_text(uncommented, encoding="utf-8")
    watchlist = load_config(path, environ={}).config.watchlist("india-leaders")
    assert watchlist is not None
    delivery = watchlist.delivery
    assert (delivery.timezone, delivery.quiet_hours, delivery.priority) == ("Asia/Kolkata", "22:00-07:00", "normal")
    assert delivery.burst is not None and delivery.digest is not None


def test_the_example_configs_commented_stories_prominence_and_archive_load_when_uncommented(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    uncommented = re.sub(r"(?m)^(    )?# ((?:stories|prominence|archive): )", r"\1\2", text)
    assert uncommented.count("\n") == text.count("\n") and uncommented != text
    path = tmp_path / "khabardar.yaml"
    path.write_text(uncommented, encoding="utf-8")
    config = load_config(path, environ={}).config
    watchlist = config.watchlist("world-leaders")
    assert watchlist is not None and watchlist.stories == "fold" and watchlist.prominence is not None
    assert (watchlist.prominence.in_, watchlist.prominence.min_mentions) == (["title", "lede"], 3)
    assert (config.stories.window.total_seconds(), config.archive.days) == (72 * 3600, 30)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    interval: 5m", "    intervall: 5m", ":4: feeds[0].intervall: unknown key"),
        ("    interval: 5m", "    interval: soon", ":4: feeds[0].interval: 'soon' is not a duration"),
        ("    interval: 5m", "    interval: 1s", ":4: feeds[0].interval: interval must be at least 10s"),
        (
            "channels: [desk-slack]",
            "channels: [desk-slak]",
            ":16: watchlists[0].channels[0]: unknown channel 'desk-slak'",
        ),
        ("ops: desk-slack", "ops: nowhere", ":10: ops: unknown channel 'nowhere'"),
        ("{type: slack, url:", "{type: slak, url:", ":6: channels.desk-slack"),
        ("        kind: topic", "        kind: subject", ":27: watchlists[0].entities[2].kind"),
        ("      - id: sanctions", "      - id: putin", ":18: watchlists[0].entities: duplicate entity id 'putin'"),
        ("  - name: jagran-world", "  - name: 'bad name'", ":2: feeds[0].name"),
        ('chat_id: "-100123", ', "", ":7: channels.desk-tg.chat_id: Field required"),
        ("url: https://www.jagran.com/rss/world.xml", "url: not a url", ":3: feeds[0].url"),
        ("sites: {}", "sites: {x.in: {drop: ['.tags', 'div[']}}", ":13: sites.x.in.drop: bad CSS selector"),
        ("sites: {}", "sites: {x.in: {drop_lines: ['(यह भी']}}", ":13: sites.x.in.drop_lines: bad pattern"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ=ENV)
    assert f"{path}{expected}" in str(raised.value)


def test_missing_environment_variable_is_named_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={"SLACK_WEBHOOK_URL": "https://hooks.slack.test/x"})
    assert f"{path}:7: channels.desk-tg.token: environment variable TG_BOT_TOKEN is not set" in str(raised.value)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("    interval: 5m", "    interval: [5m"))
    with pytest.raises(ConfigError, match=rf"{path}:\d+: not valid YAML"):
        load_config(path, environ=ENV)


def test_includes_merge_watchlists_and_report_their_own_file(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "watchlists:\n  - name: topics\n    channels: [terminal]\n    entities:\n"
        "      - {id: x, kind: topic, bad: 1}\n",
        "topics.yaml",
    )
    main = _write(tmp_path, "include: [topics.yaml]\n" + GOOD)
    with pytest.raises(ConfigError) as raised:
        load_config(main, environ=ENV)
    assert f"{tmp_path / 'topics.yaml'}:5: watchlists[1].entities[0].bad: unknown key" in str(raised.value)


def test_included_watchlist_is_added(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "watchlists:\n  - name: topics\n    channels: [terminal]\n    entities:\n"
        "      - {id: x, kind: topic, names: [चुनाव]}\n",
        "topics.yaml",
    )
    loaded = load_config(_write(tmp_path, "include: [topics.yaml]\n" + GOOD), environ=ENV)
    assert [w.name for w in loaded.config.watchlists] == ["world-leaders", "topics"]
    assert len(loaded.files) == 2


def test_a_channel_defined_twice_across_files_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "channels:\n  terminal: {type: console}\n", "more.yaml")
    with pytest.raises(ConfigError, match=r"channels\.terminal: already defined at"):
        load_config(_write(tmp_path, "include: [more.yaml]\n" + GOOD), environ=ENV)


def test_include_loop_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "include: [khabardar.yaml]\n", "other.yaml")
    with pytest.raises(ConfigError, match="include loop"):
        load_config(_write(tmp_path, "include: [other.yaml]\n" + GOOD), environ=ENV)


def test_secrets_do_not_show_in_the_config_repr(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, GOOD), environ=ENV).config
    assert "hooks.slack.test" not in repr(config)
    assert "123:abc" not in repr(config)


def test_version_changes_with_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    first = load_config(path, environ=ENV).version
    path.write_text(GOOD.replace("interval: 5m", "interval: 10m"), encoding="utf-8")
    assert load_config(path, environ=ENV).version != first
