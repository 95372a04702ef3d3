"""The story index in Redis, under ``{prefix}:stories:``, shared by every worker.

Layout (every key expires on its own once the window has passed it, so Redis itself evicts; nothing needs
sweeping):

- ``{prefix}:stories:seq`` — the entry counter;
- ``{prefix}:stories:e:{entry}`` — the packed entry, for the window and two slots (worker/stories/index.py);
- ``{prefix}:stories:k:{generation}:{bucket}`` — a hash from key to the entry numbers under it (space
  separated), for the keys of the entries added in one generation (worker/stories/index.py), kept for the
  window, a generation and a slot. A generation's keys are spread over buckets by linear hashing:
  ``…:k:{generation}:n`` counts the buckets and ``…:c`` the keys, and when the keys outgrow ``BUCKET_KEYS`` per
  bucket, one bucket is split in two. So every bucket stays a compact listpack (at most ~90 fields, under
  Redis's default limit of 128) however many articles the window holds: a small window pays for a few hashes,
  not hundreds, and a look-up scans short listpacks at 1k or 100k articles alike. Each bucket keeps a ``-``
  field so that it exists, with its expiry, from the moment it is made;
- ``{prefix}:stories:u:{alert id}`` — a hash from URL to each later article of that alert's story (JSON).

A key is stored as its low ``KEY_BITS`` bits, in decimal, which Redis keeps as a 4-byte integer: two keys that
share those bits make an extra candidate, which verification (the entry's own hashes and signature) rejects.

Look-up and add are each one Lua script, one round trip; add re-checks the keys for entries newer than the
caller's look-up and refuses, atomically (see worker/stories/index.py). A look-up given the entry of a new story
adds it in the same script when no key is found at all, as most articles are new stories: one round trip for
them, not two. The scripts build key names from their
arguments, which a single Redis allows; Redis Cluster is not supported by this index.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import redis

from worker.errors import StoreError
from worker.stories.entry import Entry
from worker.stories.index import (
    DEFAULT_WINDOW_S,
    UPDATES_MAX,
    Lookup,
    generation_seconds,
    live_generations,
    readable,
    slot_seconds,
    update_json,
)

BUCKET_KEYS = 32  # keys per bucket before one is split: the fullest bucket holds about three times this
KEY_BITS = 32
_KEY_MASK = (1 << KEY_BITS) - 1
SOCKET_TIMEOUT_S = 10.0

_BUCKET = """
-- linear hashing over n buckets: size = 2^level, and the buckets below n - size are split already
local function level_size(n)
  local size = 1
  while size * 2 <= n do size = size * 2 end
  return size
end
local function bucket(key, n, size)
  local b = key % size
  if b < n - size then b = key % (size * 2) end
  return b
end
-- the entry numbers under the keys (decimal strings, and their values) in the generations, each once, in order
local function refs_of(p, first, last, keys, values)
  local names = {}
  for generation = first, last do names[#names + 1] = p .. ':stories:k:' .. generation .. ':n' end
  local counts, found, seen = redis.call('MGET', unpack(names)), {}, {}
  for j = 1, #counts do
    if counts[j] then
      local n, base = tonumber(counts[j]), p .. ':stories:k:' .. (first + j - 1) .. ':'
      local size = level_size(n)
      for i, key in ipairs(keys) do
        local refs = redis.call('HGET', base .. bucket(values[i], n, size), key)
        if refs then
          for ref in string.gmatch(refs, '%d+') do
            if not seen[ref] then seen[ref] = true; found[#found + 1] = ref end
          end
        end
      end
    end
  end
  return found
end
-- the keys, sent as one space-separated argument (one argument packs faster than 19), and their values
local function key_args(text)
  local keys, values = {}, {}
  for key in string.gmatch(text, '%d+') do keys[#keys + 1] = key; values[#values + 1] = tonumber(key) end
  return keys, values
end
"""
_ADD_ENTRY = """
-- store a record and its keys in a generation; ARGS: entry ttl, key ttl (seconds), keys per bucket, record
local function add_entry(p, generation, ttl, key_ttl, fill, record, keys, values)
  local ref = redis.call('INCR', p .. ':stories:seq')
  redis.call('SET', p .. ':stories:e:' .. ref, record, 'EX', ttl)
  local base = p .. ':stories:k:' .. generation .. ':'
  local n = tonumber(redis.call('GET', base .. 'n'))
  if not n then
    n = 1
    redis.call('SET', base .. 'n', 1, 'EX', key_ttl)
    redis.call('HSET', base .. '0', '-', '')
    redis.call('EXPIRE', base .. '0', key_ttl)
  end
  local added, size = 0, level_size(n)
  for i, key in ipairs(keys) do
    local hash = base .. bucket(values[i], n, size)
    if redis.call('HSETNX', hash, key, ref) == 1 then
      added = added + 1
    else
      redis.call('HSET', hash, key, redis.call('HGET', hash, key) .. ' ' .. ref)
    end
  end
  local count = redis.call('INCRBY', base .. 'c', added)
  if count == added then redis.call('EXPIRE', base .. 'c', key_ttl) end
  if count > fill * n then
    -- split the next bucket in line: the keys that the doubled modulus sends to bucket n move there
    local old, moved, gone = base .. (n - size), {'-', ''}, {}
    local fields = redis.call('HGETALL', old)
    for i = 1, #fields, 2 do
      local key = fields[i]
      if key ~= '-' and tonumber(key) % (size * 2) == n then
        moved[#moved + 1] = key
        moved[#moved + 1] = fields[i + 1]
        gone[#gone + 1] = key
      end
    end
    redis.call('HSET', base .. n, unpack(moved))
    redis.call('EXPIRE', base .. n, key_ttl)
    if #gone > 0 then redis.call('HDEL', old, unpack(gone)) end
    redis.call('INCR', base .. 'n')
  end
  return ref
end
"""
_LOOKUP = (
    _BUCKET
    + _ADD_ENTRY
    + """
-- ARGV: prefix, first generation, last generation, keys, then to add an entry when no key is found:
-- entry ttl, key ttl, keys per bucket, record. Reply: the entry counter, the number added (0: none), then
-- number and record of each entry found
local p, keys, values = ARGV[1], key_args(ARGV[4])
local last = tonumber(ARGV[3])
local found = refs_of(p, tonumber(ARGV[2]), last, keys, values)
local out = {redis.call('GET', p .. ':stories:seq') or '0', 0}
if #found > 0 then
  local names = {}
  for i, ref in ipairs(found) do names[i] = p .. ':stories:e:' .. ref end
  local records = redis.call('MGET', unpack(names))
  for i, ref in ipairs(found) do
    out[#out + 1] = ref
    out[#out + 1] = records[i] or ''
  end
elseif ARGV[8] then
  out[2] = add_entry(p, last, tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], keys, values)
end
return out
"""
)
_ADD = (
    _BUCKET
    + _ADD_ENTRY
    + """
-- ARGV: prefix, first live generation, generation, seen seq (-1: no check), entry ttl, key ttl (seconds),
-- keys per bucket, record, keys
local p, generation, seen = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local keys, values = key_args(ARGV[9])
-- nothing was added since the caller looked: no key to check (the common case, and O(1))
if seen >= 0 and tonumber(redis.call('GET', p .. ':stories:seq') or '0') > seen then
  for _, ref in ipairs(refs_of(p, tonumber(ARGV[2]), generation, keys, values)) do
    if tonumber(ref) > seen then return 0 end
  end
end
return add_entry(p, generation, tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], keys, values)
"""
)


_ADD_UPDATE = """
if redis.call('HLEN', KEYS[1]) < tonumber(ARGV[3]) then redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[4])
"""


class RedisStoryIndex:
    def __init__(self, url: str, *, prefix: str, window_s: float = DEFAULT_WINDOW_S) -> None:
        self.window_s = window_s
        self.prefix = prefix
        self._redis = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT_S)
        self._lookup = self._redis.register_script(_LOOKUP)
        self._add = self._redis.register_script(_ADD)
        self._add_update = self._redis.register_script(_ADD_UPDATE)

    def lookup(self, keys: Sequence[int], now: float, new: Entry | None = None) -> Lookup:
        live = live_generations(now, self.window_s)
        args: list[str | int | bytes] = [self.prefix, live.start, live.stop - 1, _stored_keys(keys)]
        if new is not None and live_generations(new.at, self.window_s) == live:
            args += [*self._ttls(), BUCKET_KEYS, new.pack()]
        try:
            reply = self._lookup(args=args)
        except redis.RedisError as exc:
            raise StoreError(f"stories: redis look-up failed: {exc}") from exc
        records = [(int(reply[i]), bytes(reply[i + 1])) for i in range(2, len(reply), 2)]
        return Lookup(readable(records, now, self.window_s), int(reply[0]), int(reply[1]) or None)

    def add(self, entry: Entry, keys: Sequence[int], seen_seq: int | None) -> int | None:
        live = live_generations(entry.at, self.window_s)
        seen = -1 if seen_seq is None else seen_seq
        head: list[str | int] = [self.prefix, live.start, live.stop - 1, seen, *self._ttls(), BUCKET_KEYS]
        args: list[str | int | bytes] = [*head, entry.pack(), _stored_keys(keys)]
        try:
            number = int(self._add(args=args))
        except redis.RedisError as exc:
            raise StoreError(f"stories: redis add failed: {exc}") from exc
        return number or None

    def _ttls(self) -> list[int]:
        """Seconds an entry is kept (the window and two slots), and its generation's keys (the window, a generation
        and a slot, from when the generation's first key is stored)."""
        slot_s, generation_s = slot_seconds(self.window_s), generation_seconds(self.window_s)
        return [math.ceil(self.window_s + 2 * slot_s), math.ceil(self.window_s + generation_s + slot_s)]

    def add_update(self, alert_id: str, update: dict[str, Any], now: float) -> None:
        """``now`` is unused: Redis expires the list a window after its last update."""
        item = update_json({**update, "at": now})
        args: list[str | int] = [str(update.get("url")), item, UPDATES_MAX, math.ceil(self.window_s)]
        try:
            self._add_update(keys=[f"{self.prefix}:stories:u:{alert_id}"], args=args)
        except redis.RedisError as exc:
            raise StoreError(f"stories: redis update failed: {exc}") from exc

    def updates(self, alert_id: str, now: float) -> list[dict[str, Any]]:
        try:
            raw = self._redis.hvals(f"{self.prefix}:stories:u:{alert_id}")
        except redis.RedisError as exc:
            raise StoreError(f"stories: redis read failed: {exc}") from exc
        found = sorted((json.loads(item) for item in raw), key=lambda item: item.get("at", 0))
        return [{key: value for key, value in item.items() if key != "at"} for item in found]

    def close(self) -> None:
        self._redis.close()


def _stored_keys(keys: Sequence[int]) -> str:
    return " ".join(map(str, dict.fromkeys(key & _KEY_MASK for key in keys)))
