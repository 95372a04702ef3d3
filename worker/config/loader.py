"""Read the YAML config: includes, ``${VAR}`` interpolation, and errors that name file, line and field."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from worker.config.models import Config
from worker.errors import ConfigError

MAX_INCLUDE_DEPTH = 8
CONFIG_MAX_BYTES = 4 * 1024 * 1024
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# keys whose entries are named: the same name in two files is a conflict, not a merge
_NAMED_MAPS = frozenset({"channels", "sites"})


@dataclass
class Loc:
    """Where a value was written: its file and line, and the places of its children."""

    file: str
    line: int
    children: dict[Any, Loc] = field(default_factory=dict)

    def find(self, path: tuple[Any, ...]) -> tuple[Loc, tuple[Any, ...]]:
        """The deepest known place along ``path``, and the part of the path that led there."""
        here: Loc = self
        walked: tuple[Any, ...] = ()
        for part in path:
            if part in here.children:
                here, walked = here.children[part], (*walked, part)
        return here, walked


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    version: str  # changes whenever any of the files changes
    files: tuple[Path, ...]


def load_config(path: str | Path, *, environ: Mapping[str, str] | None = None) -> LoadedConfig:
    """Load and validate ``path`` and its includes; raise :class:`ConfigError` listing every problem."""
    env = os.environ if environ is None else environ
    errors: list[str] = []
    files: list[Path] = []
    data, loc = _load_file(Path(path), env, errors, files, depth=0)
    if errors:
        raise ConfigError(errors)
    errors.extend(_reference_errors(data, loc))
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        errors.extend(_located(err, loc) for err in exc.errors() if not (errors and not err["loc"]))
    if errors:
        raise ConfigError(errors)
    return LoadedConfig(config, _version(files), tuple(files))


def config_path(explicit: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """``--config PATH``, else ``$KHABARDAR_CONFIG``, else ``./khabardar.yaml``."""
    env = os.environ if environ is None else environ
    return Path(explicit or env.get("KHABARDAR_CONFIG") or "khabardar.yaml")


def files_signature(files: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """A cheap fingerprint (mtime and size of every file) that tells when a reload is worth trying."""
    signature = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            signature.append((str(file), -1, -1))
        else:
            signature.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


def _version(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _load_file(
    path: Path, env: Mapping[str, str], errors: list[str], files: list[Path], depth: int
) -> tuple[dict[str, Any], Loc]:
    name = str(path)
    text = _read(path, depth, files)
    files.append(path.resolve())
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ConfigError(f"{name}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if node is None:
        return {}, Loc(name, 1)
    value, loc = _convert(node, name, env, errors, ())
    if not isinstance(value, dict):
        raise ConfigError(f"{name}:{loc.line}: the config must be a mapping of sections (feeds, channels, ...)")
    return _merge_includes(value, loc, path, env, errors, files, depth)


def _read(path: Path, depth: int, files: list[Path]) -> str:
    if depth > MAX_INCLUDE_DEPTH or path.resolve() in files:
        raise ConfigError(f"{path}: include loop or includes nested deeper than {MAX_INCLUDE_DEPTH}")
    try:
        if path.stat().st_size > CONFIG_MAX_BYTES:
            raise ConfigError(f"{path}: larger than {CONFIG_MAX_BYTES} bytes; is this really the config?")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such config file (use --config PATH or KHABARDAR_CONFIG)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config: {exc}") from exc


def _convert(node: yaml.Node, file: str, env: Mapping[str, str], errors: list[str], path: tuple[Any, ...]) -> Any:
    loc = Loc(file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, loc, env, errors, path)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            value, loc.children[index] = _convert(child, file, env, errors, (*path, index))
            items.append(value)
        return items, loc
    value = yaml.SafeLoader("").construct_object(node, deep=True)
    if isinstance(value, str):
        value = _interpolate(value, env, loc, path, errors)
    return value, loc


def _convert_mapping(
    node: yaml.MappingNode, loc: Loc, env: Mapping[str, str], errors: list[str], path: tuple[Any, ...]
) -> tuple[dict[Any, Any], Loc]:
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = yaml.SafeLoader("").construct_object(key_node, deep=True)
        if key in result:
            errors.append(f"{loc.file}:{key_node.start_mark.line + 1}: {_dotted((*path, key))}: duplicate key")
            continue
        result[key], loc.children[key] = _convert(value_node, loc.file, env, errors, (*path, key))
    return result, loc


def _interpolate(text: str, env: Mapping[str, str], loc: Loc, path: tuple[Any, ...], errors: list[str]) -> str:
    def substitute(found: re.Match[str]) -> str:
        name, default = found.group(1), found.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        errors.append(f"{loc.file}:{loc.line}: {_dotted(path)}: environment variable {name} is not set")
        return ""

    return _VARIABLE.sub(substitute, text)


def _merge_includes(
    data: dict[str, Any], loc: Loc, path: Path, env: Mapping[str, str], errors: list[str], files: list[Path], depth: int
) -> tuple[dict[str, Any], Loc]:
    includes = data.pop("include", None)
    include_loc = loc.children.pop("include", loc)
    if includes is None:
        return data, loc
    if isinstance(includes, str):
        includes = [includes]
    if not isinstance(includes, list) or not all(isinstance(item, str) for item in includes):
        raise ConfigError(f"{loc.file}:{include_loc.line}: include: expected a list of file paths")
    for item in includes:
        other, other_loc = _load_file(path.parent / item, env, errors, files, depth + 1)
        _merge(data, loc, other, other_loc, ())
    return data, loc


def _merge(into: dict[Any, Any], into_loc: Loc, other: dict[Any, Any], other_loc: Loc, path: tuple[Any, ...]) -> None:
    """Lists are joined and sections merged; the same named entry or setting in two files is an error."""
    for key, value in other.items():
        child_loc = other_loc.children[key]
        if key not in into:
            into[key], into_loc.children[key] = value, child_loc
        elif isinstance(into[key], list) and isinstance(value, list):
            offset = len(into[key])
            into[key].extend(value)
            for index in range(len(value)):
                into_loc.children[key].children[offset + index] = child_loc.children[index]
        elif isinstance(into[key], dict) and isinstance(value, dict) and key not in _NAMED_MAPS | {None}:
            _merge(into[key], into_loc.children[key], value, child_loc, (*path, key))
        elif isinstance(into[key], dict) and isinstance(value, dict) and not path:
            _merge_named(into[key], into_loc.children[key], value, child_loc, key)
        else:
            first = into_loc.children[key]
            raise ConfigError(
                f"{child_loc.file}:{child_loc.line}: {_dotted((*path, key))}: already set at {first.file}:{first.line}"
            )


def _merge_named(into: dict[Any, Any], into_loc: Loc, other: dict[Any, Any], other_loc: Loc, section: str) -> None:
    for key, value in other.items():
        if key in into:
            first, again = into_loc.children[key], other_loc.children[key]
            raise ConfigError(
                f"{again.file}:{again.line}: {section}.{key}: already defined at {first.file}:{first.line}"
            )
        into[key], into_loc.children[key] = value, other_loc.children[key]


def _reference_errors(data: dict[str, Any], loc: Loc) -> list[str]:
    """Channel names used by watch-lists and ``ops`` must exist; said here because only here are lines known."""
    channels = data.get("channels")
    known = set(channels) if isinstance(channels, dict) else set()
    hint = ", ".join(sorted(map(str, known))) or "none"
    errors = []
    if isinstance(data.get("ops"), str) and data["ops"] not in known:
        at = loc.children["ops"]
        errors.append(f"{at.file}:{at.line}: ops: unknown channel {data['ops']!r} (channels: {hint})")
    for index, watchlist in enumerate(data.get("watchlists") or []):
        names = watchlist.get("channels") if isinstance(watchlist, dict) else None
        for position, name in enumerate(names if isinstance(names, list) else []):
            if name not in known:
                path = ("watchlists", index, "channels", position)
                at, _ = loc.find(path)
                errors.append(f"{at.file}:{at.line}: {_dotted(path)}: unknown channel {name!r} (channels: {hint})")
    return errors


def _located(error: Any, loc: Loc) -> str:
    at, walked = loc.find(tuple(error["loc"]))
    if error["type"] == "extra_forbidden":
        problem = "unknown key (check the spelling; see khabardar.example.yaml)"
    else:
        problem = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        walked = (*walked, error["loc"][-1])
    return f"{at.file}:{at.line}: {_dotted(walked) or '(top level)'}: {problem}"


def _dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
