"""Site profiles: per-publisher cleaning rules kept as data (``profiles/*.yaml``), extended by the user's config.

A built-in profile file holds ``name`` (the publisher as readers know it), ``domains`` and the fields of
:class:`~worker.config.models.SiteProfile`. A user profile for the same domain (config ``sites:``) replaces the
built-in ``keep`` selectors when it gives any, and adds its ``drop``, ``drop_lines`` and ``title_suffix`` to
the built-in ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from worker.clean.tree import valid_selector
from worker.config.models import SiteProfile

PROFILE_PACKAGE = "worker.clean"
PROFILE_DIR = "profiles"
WAYBACK_PATH = re.compile(r"^/web/\d+[a-z_]*/(https?://.+)$")


@dataclass(frozen=True)
class Profile:
    """The cleaning rules in force for one page."""

    name: str | None = None
    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    drop_lines: tuple[re.Pattern[str], ...] = ()
    title_suffix: tuple[str, ...] = ()


NO_PROFILE = Profile()


@cache
def builtin_profiles() -> dict[str, tuple[str, SiteProfile]]:
    """Every built-in profile by domain: (publisher name, rules)."""
    profiles: dict[str, tuple[str, SiteProfile]] = {}
    for entry in resources.files(PROFILE_PACKAGE).joinpath(PROFILE_DIR).iterdir():
        if entry.name.endswith(".yaml"):
            document: dict[str, Any] = yaml.safe_load(entry.read_text(encoding="utf-8"))
            name, domains = document.pop("name"), document.pop("domains")
            rules = SiteProfile.model_validate(document)
            profiles.update({domain_key(domain): (name, rules) for domain in domains})
    return profiles


def domain_key(domain: str) -> str:
    return domain.strip().lower().removeprefix("www.")


def host_of(url: str | None) -> str | None:
    """The publisher's host of ``url``; a Wayback Machine copy counts as the page it archived."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    wayback = WAYBACK_PATH.match(parts.path) if host == "web.archive.org" else None
    if wayback:
        return host_of(wayback.group(1))
    return domain_key(host) or None


def profile_for(host: str | None, sites: Mapping[str, SiteProfile] | None = None) -> Profile:
    """The rules for ``host``: the built-in profile of it (or of a parent domain), with the user's on top."""
    if not host:
        return NO_PROFILE
    user = {domain_key(domain): profile for domain, profile in (sites or {}).items()}
    for candidate in _parent_domains(host):
        builtin = builtin_profiles().get(candidate)
        if builtin is not None or candidate in user:
            return _merged(builtin, user.get(candidate))
    return NO_PROFILE


def _parent_domains(host: str) -> list[str]:
    labels = domain_key(host).split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def _merged(builtin: tuple[str, SiteProfile] | None, user: SiteProfile | None) -> Profile:
    name, base = builtin if builtin is not None else (None, SiteProfile())
    extra = user or SiteProfile()
    return Profile(
        name=name,
        keep=tuple(s for s in extra.keep or base.keep if valid_selector(s)),
        drop=tuple(s for s in (*base.drop, *extra.drop) if valid_selector(s)),
        drop_lines=tuple(re.compile(p, re.IGNORECASE) for p in (*base.drop_lines, *extra.drop_lines)),
        title_suffix=(*base.title_suffix, *extra.title_suffix),
    )
