"""The story index in Redis, under ``{prefix}:stories:``, shared by every worker.

Layout (every key expires one slot after the window, so Redis itself evicts; nothing needs sweeping):

- ``{prefix}:stories:seq`` — the entry counter;
- ``{prefix}:stories:k:{slot}:{shard}`` — a hash from key to the entry numbers under it (space separated). A key
  goes to one of ``SHARDS`` hashes by its value, so each hash stays small enough for Redis's compact listpack
  encoding at up to ~100k entries in the window (about 20 bytes per key instead of ~70 in a hash table);
- ``{prefix}:stories:e:{entry}`` — the packed entry;
- ``{prefix}:stories:u:{alert id}`` — a hash from URL to each later article of that alert's story (JSON).

Look-up and add are each one Lua script, one round trip; add re-checks the keys for entries newer than the
caller's look-up and refuses, atomically (see worker/stories/index.py). The scripts build key names from their
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
    live_slots,
    readable,
    slot_of,
    slot_seconds,
    update_json,
)

SHARDS = 512
SOCKET_TIMEOUT_S = 10.0

_LOOKUP = """
-- ARGV: prefix, first slot, last slot, then shard/key pairs
local p, found, seen = ARGV[1], {}, {}
for slot = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  for i = 4, #ARGV, 2 do
    local refs = redis.call('HGET', p .. ':stories:k:' .. slot .. ':' .. ARGV[i], ARGV[i + 1])
    if refs then
      for ref in string.gmatch(refs, '%d+') do
        if not seen[ref] then seen[ref] = true; found[#found + 1] = ref end
      end
    end
  end
end
local out = {redis.call('GET', p .. ':stories:seq') or '0'}
for _, ref in ipairs(found) do
  out[#out + 1] = ref
  out[#out + 1] = redis.call('GET', p .. ':stories:e:' .. ref) or ''
end
return out
"""
_ADD = """
-- ARGV: prefix, first live slot, slot, seen seq (-1: no check), ttl seconds, record, then shard/key pairs
local p, slot, seen, ttl = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
-- nothing was added since the caller looked: no key to check (the common case, and O(1))
if seen >= 0 and tonumber(redis.call('GET', p .. ':stories:seq') or '0') > seen then
  for s = tonumber(ARGV[2]), slot do
    for i = 7, #ARGV, 2 do
      local refs = redis.call('HGET', p .. ':stories:k:' .. s .. ':' .. ARGV[i], ARGV[i + 1])
      if refs then
        for ref in string.gmatch(refs, '%d+') do
          if tonumber(ref) > seen then return 0 end
        end
      end
    end
  end
end
local ref = redis.call('INCR', p .. ':stories:seq')
redis.call('SET', p .. ':stories:e:' .. ref, ARGV[6], 'EX', ttl)
for i = 7, #ARGV, 2 do
  local hash = p .. ':stories:k:' .. slot .. ':' .. ARGV[i]
  local refs = redis.call('HGET', hash, ARGV[i + 1])
  redis.call('HSET', hash, ARGV[i + 1], refs and (refs .. ' ' .. ref) or tostring(ref))
  redis.call('EXPIRE', hash, ttl)
end
return ref
"""


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

    def lookup(self, keys: Sequence[int], now: float) -> Lookup:
        slots = live_slots(now, self.window_s)
        try:
            reply = self._lookup(args=[self.prefix, slots.start, slots.stop - 1, *_shard_pairs(keys)])
        except redis.RedisError as exc:
            raise StoreError(f"stories: redis look-up failed: {exc}") from exc
        records = [(int(reply[i]), bytes(reply[i + 1])) for i in range(1, len(reply), 2)]
        return Lookup(readable(records, now, self.window_s), int(reply[0]))

    def add(self, entry: Entry, keys: Sequence[int], seen_seq: int | None) -> int | None:
        slots = live_slots(entry.at, self.window_s)
        ttl = math.ceil(self.window_s + 2 * slot_seconds(self.window_s))
        seen = -1 if seen_seq is None else seen_seq
        head: list[str | int] = [self.prefix, slots.start, slot_of(entry.at, self.window_s), seen]
        args: list[str | int | bytes] = [*head, ttl, entry.pack(), *_shard_pairs(keys)]
        try:
            number = int(self._add(args=args))
        except redis.RedisError as exc:
            raise StoreError(f"stories: redis add failed: {exc}") from exc
        return number or None

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


def _shard_pairs(keys: Sequence[int]) -> list[str]:
    pairs: list[str] = []
    for key in dict.fromkeys(keys):
        pairs += [str(key % SHARDS), format(key, "x")]
    return pairs
