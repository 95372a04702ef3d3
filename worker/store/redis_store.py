"""The Redis store (``KHABARDAR_REDIS_URL``): shared by every worker and beat; atomic steps are Lua scripts.

Retention is Redis's own: a seen article, a finished alert or a lock expires at the end of its time (an absolute
time, from the caller's ``now``); a lease group, bucket or slot a second after it stops mattering (a relative TTL:
a caller's clock a little behind Redis's cannot end a rate limit early). ``prune`` only trims the outbox indexes."""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, cast, get_type_hints

import redis

from worker.errors import StoreError
from worker.feeds.state import FeedState
from worker.store.base import (
    DONE_ALERT_RETENTION_S,
    HELD_STATE,
    OUTBOX_STATES,
    PRODUCTION_RETENTION,
    ChannelState,
    HeldAlert,
    OutboxRecord,
    OutboxState,
    Retention,
)

DEFAULT_PREFIX = "khabardar"
SOCKET_TIMEOUT_S = 10.0

# --- the outbox: a hash per alert, and one sorted set of ids per state (pending by due time, others by when) ---
_ADD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'pending', 'alert', ARGV[2], 'attempts', 0,
           'next_at', ARGV[3], 'claimed_until', 0, 'last_error', '', 'created_at', ARGV[3], 'updated_at', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
"""
_CLAIM = """
local now, lease = tonumber(ARGV[2]), tonumber(ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'state', 'next_at', 'claimed_until')
if h[1] ~= 'pending' or tonumber(h[2]) > now or tonumber(h[3]) > now then return 0 end
redis.call('HSET', KEYS[1], 'claimed_until', now + lease, 'updated_at', now)
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('ZADD', KEYS[2], now + lease, ARGV[1])
return 1
"""
_SET_STATE = """
-- KEYS: record, pending, sent, dead; ARGV: id, state, now, next_at, error, reset attempts (1|0),
--       expire at (ms; for sent and dead), forget entries of this state's index before (s), receipt (1|0), receipt
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'next_at', ARGV[4], 'claimed_until', 0, 'last_error', ARGV[5],
           'updated_at', ARGV[3])
if ARGV[9] == '1' then redis.call('HSET', KEYS[1], 'receipt', ARGV[10]) end
if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'attempts', 0) end
for i = 2, 4 do redis.call('ZREM', KEYS[i], ARGV[1]) end
if ARGV[2] == 'pending' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1]); redis.call('PERSIST', KEYS[1])
  return 1
end
local index = ARGV[2] == 'sent' and KEYS[3] or KEYS[4]
redis.call('ZADD', index, ARGV[3], ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. ARGV[8])
return 1
"""
_RELEASE = """
-- KEYS: record, pending; ARGV: id, now, next_at, error
local h = redis.call('HMGET', KEYS[1], 'state', 'attempts')
if h[1] ~= 'pending' then return 0 end
local attempts = math.max(tonumber(h[2]) - 1, 0)
redis.call('HSET', KEYS[1], 'attempts', attempts, 'next_at', ARGV[3], 'claimed_until', 0, 'last_error', ARGV[4],
           'updated_at', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
"""
_REARM = """
-- KEYS: record, pending, sent, dead; ARGV: id, alert, now, next_at
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'pending', 'alert', ARGV[2], 'attempts', 0,
             'next_at', ARGV[4], 'claimed_until', 0, 'last_error', '', 'created_at', ARGV[3], 'updated_at', ARGV[3])
elseif state == 'sent' or state == 'dead' then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'attempts', 0, 'next_at', ARGV[4], 'claimed_until', 0,
             'last_error', '', 'updated_at', ARGV[3])
  redis.call('ZREM', KEYS[3], ARGV[1]); redis.call('ZREM', KEYS[4], ARGV[1]); redis.call('PERSIST', KEYS[1])
else
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return 1
"""
# --- leases: a sorted set per group of members scored by when their lease ends ---
_ACQUIRE = """
-- KEYS: group; ARGV: member, limit, until, now
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.ceil((tonumber(last[2]) - tonumber(ARGV[4])) * 1000) + 1000)
return 1
"""
# --- rate limits: a bucket holds its theoretical arrival time (GCRA), a slot the next free turn ---
_TAKE_TOKEN = """
local now, interval, period = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local wait = tat - (period - interval) - now
if wait > 0.001 then return tostring(wait) end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil((tat + interval - now) * 1000) + 1000)
return '0'
"""
_RESERVE = """
-- KEYS: slot; ARGV: not_before, spacing_s, now
local at = math.max(tonumber(redis.call('GET', KEYS[1]) or ARGV[1]), tonumber(ARGV[1]))
local following = at + tonumber(ARGV[2])
local keep_ms = math.max(math.ceil((following - tonumber(ARGV[3])) * 1000), 0) + 1000
redis.call('SET', KEYS[1], tostring(following), 'PX', keep_ms)
return tostring(at)
"""


class RedisStore:
    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX, retention: Retention = PRODUCTION_RETENTION) -> None:
        self.prefix = prefix
        self.retention = retention
        self._redis = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S, decode_responses=True
        )
        register = self._redis.register_script  # once: later calls send the script's SHA, not its text
        self._add, self._claim, self._set_state, self._release = map(register, (_ADD, _CLAIM, _SET_STATE, _RELEASE))
        self._acquire, self._take_token, self._reserve = map(register, (_ACQUIRE, _TAKE_TOKEN, _RESERVE))
        self._rearm = register(_REARM)

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def _call(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return operation(*args, **kwargs)
        except redis.RedisError as exc:
            raise StoreError(f"store: Redis failed: {type(exc).__name__}: {exc}") from exc

    # --- seen articles ---
    def _seen_key(self, key: str) -> str:
        return self._key("seen", hashlib.sha256(key.encode()).hexdigest()[:32])

    def is_seen(self, key: str) -> bool:
        return bool(self._call(self._redis.exists, self._seen_key(key)))

    def mark_seen(self, key: str, *, now: float | None = None) -> bool:
        until_ms = _ms((time.time() if now is None else now) + self.retention.seen_s)
        return bool(self._call(self._redis.set, self._seen_key(key), 1, nx=True, pxat=until_ms))

    def get_feed_state(self, feed: str) -> FeedState:
        return cast(FeedState, self._get_json(self._key("feed", feed)))

    def put_feed_state(self, feed: str, state: FeedState) -> None:
        self._call(self._redis.set, self._key("feed", feed), json.dumps(state, ensure_ascii=False))

    def _get_json(self, key: str) -> dict[str, Any]:
        raw = self._call(self._redis.get, key)
        return dict(json.loads(raw)) if raw else {}

    # --- rate limits ---
    def take_token(self, bucket: str, count: int, period_s: float, now: float) -> float:
        args = [now, period_s / count, period_s]
        return float(self._call(self._take_token, [self._key("bucket", bucket)], args))

    def reserve_slot(self, key: str, spacing_s: float, not_before: float, now: float) -> float:
        """The earliest time from ``not_before`` that is ``spacing_s`` after every slot reserved before; reserved."""
        return float(self._call(self._reserve, [self._key("slot", key)], [not_before, spacing_s, now]))

    # --- the outbox ---
    def _outbox_keys(self, alert_id: str) -> list[str]:
        return [self._key("alert", alert_id), *(self._key("outbox", state) for state in OUTBOX_STATES)]

    def outbox_add(self, alert_id: str, alert: dict[str, Any], now: float) -> bool:
        keys = self._outbox_keys(alert_id)[:2]
        return bool(self._call(self._add, keys, [alert_id, json.dumps(alert, ensure_ascii=False), now]))

    def outbox_get(self, alert_id: str) -> OutboxRecord | None:
        raw = self._call(self._redis.hgetall, self._key("alert", alert_id))
        return _record(raw) if raw else None

    def outbox_claim(self, alert_id: str, now: float, lease_s: float) -> OutboxRecord | None:
        keys = self._outbox_keys(alert_id)[:2]
        if not self._call(self._claim, keys, [alert_id, now, lease_s]):
            return None
        return self.outbox_get(alert_id)

    def outbox_sent(self, alert_id: str, now: float, *, receipt: str | None = None) -> None:
        self._change(alert_id, "sent", now, now, "", receipt=receipt)

    def outbox_rearm(self, alert_id: str, alert: dict[str, Any], now: float, next_at: float) -> bool:
        args = [alert_id, json.dumps(alert, ensure_ascii=False), now, next_at]
        return bool(self._call(self._rearm, self._outbox_keys(alert_id), args))

    def outbox_retry(self, alert_id: str, now: float, next_at: float, error: str) -> None:
        self._change(alert_id, "pending", now, next_at, error)

    def outbox_release(self, alert_id: str, now: float, next_at: float, error: str) -> None:
        """Give a claimed alert back, due at ``next_at``; the claim does not count as an attempt."""
        self._call(self._release, self._outbox_keys(alert_id)[:2], [alert_id, now, next_at, error])

    def outbox_dead(self, alert_id: str, now: float, error: str) -> None:
        self._change(alert_id, "dead", now, now, error)

    def outbox_replay(self, alert_id: str, now: float) -> bool:
        return self._change(alert_id, "pending", now, now, "", reset_attempts=True)

    def _change(
        self,
        alert_id: str,
        state: OutboxState,
        now: float,
        next_at: float,
        error: str,
        *,
        reset_attempts: bool = False,
        receipt: str | None = None,
    ) -> bool:
        kept_s = 0.0 if state == "pending" else self._kept_s(state)  # pending: kept until it moves on
        args = [alert_id, state, now, next_at, error, int(reset_attempts), _ms(now + kept_s), now - kept_s]
        args += [int(receipt is not None), receipt or ""]
        return bool(self._call(self._set_state, self._outbox_keys(alert_id), args))

    def _kept_s(self, state: OutboxState) -> float:
        """How long a finished (sent or dead) record is kept."""
        return self.retention.done_alert_s if state == "sent" else self.retention.dead_alert_s

    def outbox_due(self, now: float, limit: int) -> list[str]:
        pending = self._key("outbox", "pending")
        return [str(i) for i in self._call(self._redis.zrangebyscore, pending, "-inf", now, start=0, num=limit)]

    def outbox_list(self, state: OutboxState | None, limit: int) -> list[OutboxRecord]:
        states = [state] if state else OUTBOX_STATES
        ids: list[str] = []
        for name in states:
            ids += [str(i) for i in self._call(self._redis.zrevrange, self._key("outbox", name), 0, limit - 1)]
        records = [record for record in map(self.outbox_get, ids) if record is not None]
        return sorted(records, key=lambda record: record.updated_at, reverse=True)[:limit]

    def outbox_counts(self) -> dict[str, int]:
        return {state: int(self._call(self._redis.zcard, self._key("outbox", state))) for state in OUTBOX_STATES}

    # --- housekeeping ---
    def prune(self, now: float) -> None:
        """Records expire by themselves; this forgets the index entries of those whose retention has run out."""
        pipeline = self._redis.pipeline(transaction=False)
        for state in ("sent", "dead"):
            pipeline.zremrangebyscore(self._key("outbox", state), "-inf", f"({now - self._kept_s(state)}")
        self._call(pipeline.execute)

    def ping(self) -> None:
        self._call(self._redis.ping)

    def close(self) -> None:
        self._redis.close()

    # --- polling: many feeds' states at once, and leases that cap how many polls of one host are in flight ---

    def get_feed_states(self, feeds: Sequence[str]) -> dict[str, FeedState]:
        if not feeds:
            return {}
        raws = self._call(self._redis.mget, [self._key("feed", feed) for feed in feeds])
        return {feed: json.loads(raw) if raw else {} for feed, raw in zip(feeds, raws, strict=True)}

    def acquire_lease(self, group: str, member: str, limit: int, ttl_s: float, now: float) -> bool:
        return bool(self._call(self._acquire, [self._key("lease", group)], [member, limit, now + ttl_s, now]))

    def release_lease(self, group: str, member: str) -> None:
        self._call(self._redis.zrem, self._key("lease", group), member)

    def count_leases(self, groups: Sequence[str], now: float) -> dict[str, int]:
        pipeline = self._redis.pipeline(transaction=False)
        for group in groups:
            pipeline.zcount(self._key("lease", group), f"({now}", "+inf")
        return {group: int(count) for group, count in zip(groups, self._call(pipeline.execute), strict=True)}

    def try_lock(self, key: str, ttl_s: float, *, now: float | None = None) -> bool:
        until_ms = _ms((time.time() if now is None else now) + ttl_s)
        return bool(self._call(self._redis.set, self._key("lock", key), 1, nx=True, pxat=until_ms))

    # --- channel state: one hash per channel; each change is one HSET or one script, never a read-modify-write ---
    _COUNT_SENT = """
    -- KEYS: channel state; ARGV: now, day
    if redis.call('HGET', KEYS[1], 'sent_day') == ARGV[2] then
      redis.call('HINCRBY', KEYS[1], 'sent_today', 1)
    else
      redis.call('HSET', KEYS[1], 'sent_day', ARGV[2], 'sent_today', 1)
    end
    redis.call('HINCRBY', KEYS[1], 'sent', 1)
    redis.call('HSET', KEYS[1], 'last_sent_at', ARGV[1])
    """
    _HOLD_BACK = """
    -- KEYS: channel state; ARGV: until
    local held = tonumber(redis.call('HGET', KEYS[1], 'held_back_until') or '0')
    if tonumber(ARGV[1]) > held then redis.call('HSET', KEYS[1], 'held_back_until', ARGV[1]) end
    """
    _DISABLE = """
    -- KEYS: channel state; ARGV: reason, now, config version
    local h = redis.call('HMGET', KEYS[1], 'disabled', 'config_version')
    if h[1] == '1' and h[2] == ARGV[3] then return 0 end
    redis.call('HSET', KEYS[1], 'disabled', '1', 'disabled_reason', ARGV[1], 'disabled_at', ARGV[2],
               'config_version', ARGV[3])
    return 1
    """

    _ADOPT = """
    -- KEYS: channel state, the whole-record JSON string earlier versions kept; its fields move into the hash once
    if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('TYPE', KEYS[2]).ok ~= 'string' then return 0 end
    for field, value in pairs(cjson.decode(redis.call('GET', KEYS[2]))) do
      if type(value) == 'boolean' then value = value and '1' or '0' end
      redis.call('HSET', KEYS[1], field, tostring(value))
    end
    redis.call('DEL', KEYS[2])
    return 1
    """

    @cached_property
    def _channel_scripts(self) -> dict[str, Any]:
        scripts = {"sent": self._COUNT_SENT, "hold": self._HOLD_BACK, "disable": self._DISABLE, "adopt": self._ADOPT}
        return {name: self._redis.register_script(source) for name, source in scripts.items()}

    def _channel_key(self, channel: str) -> str:
        return self._key("channel-state", channel)  # a hash; "channel:<name>" was the old whole-record JSON

    def get_channel_state(self, channel: str) -> ChannelState:
        key = self._channel_key(channel)
        raw = self._call(self._redis.hgetall, key)
        if not raw and self._call(self._channel_scripts["adopt"], [key, self._key("channel", channel)]):
            raw = self._call(self._redis.hgetall, key)
        return channel_state_from_strings(raw)

    def set_channel_fields(self, channel: str, fields: ChannelState) -> None:
        if fields:
            self._call(self._redis.hset, self._channel_key(channel), mapping=channel_fields_as_strings(fields))

    def count_channel_sent(self, channel: str, now: float, day: str) -> None:
        self._call(self._channel_scripts["sent"], [self._channel_key(channel)], [repr(now), day])

    def hold_channel_back(self, channel: str, until: float) -> None:
        self._call(self._channel_scripts["hold"], [self._channel_key(channel)], [repr(until)])

    def disable_channel(self, channel: str, reason: str, now: float, config_version: str) -> bool:
        args = [reason, repr(now), config_version]
        return bool(self._call(self._channel_scripts["disable"], [self._channel_key(channel)], args))

    # --- flow: held alerts and digests (worker.flow); see the section in worker/store/base.py ---
    _FLOW_HOLD = """
    -- KEYS: record, held group, held groups; ARGV: id, alert, group, reason, held_at, release_at
    if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
    redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'held', 'alert', ARGV[2], 'attempts', 0, 'next_at', ARGV[6],
               'claimed_until', 0, 'last_error', '', 'created_at', ARGV[5], 'updated_at', ARGV[5],
               'group', ARGV[3], 'hold_reason', ARGV[4], 'hold_release', ARGV[6], 'held_at', ARGV[5])
    redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
    redis.call('SADD', KEYS[3], ARGV[3])
    return 1
    """
    _FLOW_HOLD_CLAIMED = """
    -- KEYS: record, held group, held groups, pending; ARGV: id, group, reason, held_at, release_at
    if redis.call('HGET', KEYS[1], 'state') ~= 'pending' then return 0 end
    redis.call('HSET', KEYS[1], 'state', 'held', 'claimed_until', 0, 'next_at', ARGV[5], 'updated_at', ARGV[4],
               'group', ARGV[2], 'hold_reason', ARGV[3], 'hold_release', ARGV[5], 'held_at', ARGV[4])
    redis.call('ZREM', KEYS[4], ARGV[1])
    redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
    redis.call('SADD', KEYS[3], ARGV[2])
    return 1
    """
    _FLOW_DIGEST = """
    -- KEYS: held group, held groups, pending; ARGV: group, digest id, digest JSON (no id, no alerts), now,
    --       record key prefix, retention_s
    local ids = {}  -- only alerts still held: one replayed by hand meanwhile is pending, and not ours any more
    for _, alert_id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
      if redis.call('HGET', ARGV[5] .. alert_id, 'state') == 'held' then ids[#ids + 1] = alert_id end
    end
    if #ids == 0 then redis.call('DEL', KEYS[1]); redis.call('SREM', KEYS[2], ARGV[1]); return false end
    local id, n = ARGV[2], 1
    while redis.call('EXISTS', ARGV[5] .. id) == 1 do n = n + 1; id = ARGV[2] .. '-' .. n end
    local alerts = {}
    for i, alert_id in ipairs(ids) do
      local key = ARGV[5] .. alert_id
      alerts[i] = redis.call('HGET', key, 'alert')
      redis.call('HSET', key, 'state', 'digested', 'last_error', 'in digest ' .. id, 'updated_at', ARGV[4])
      redis.call('EXPIRE', key, ARGV[6])
    end
    local rest = ARGV[3] == '{}' and '}' or ',' .. string.sub(ARGV[3], 2)
    local body = '{"id":' .. cjson.encode(id) .. ',"alerts":[' .. table.concat(alerts, ',') .. ']' .. rest
    redis.call('HSET', ARGV[5] .. id, 'id', id, 'state', 'pending', 'alert', body, 'attempts', 0, 'next_at', ARGV[4],
               'claimed_until', 0, 'last_error', '', 'created_at', ARGV[4], 'updated_at', ARGV[4])
    redis.call('ZADD', KEYS[3], ARGV[4], id)
    redis.call('DEL', KEYS[1])
    redis.call('SREM', KEYS[2], ARGV[1])
    return id
    """
    _BURST = """
    -- KEYS: burst window; ARGV: limit, per_s, now
    local now, per = tonumber(ARGV[3]), tonumber(ARGV[2])
    local h = redis.call('HMGET', KEYS[1], 'start', 'count')
    local start, count = tonumber(h[1]), tonumber(h[2])
    if start == nil or now >= start + per then start, count = now, 0 end
    count = count + 1
    redis.call('HSET', KEYS[1], 'start', tostring(start), 'count', count)
    redis.call('PEXPIRE', KEYS[1], math.ceil((start + per - now) * 1000) + 1000)
    return {count <= tonumber(ARGV[1]) and 1 or 0, tostring(start + per)}
    """

    @cached_property
    def _flow_scripts(self) -> dict[str, Any]:
        scripts = {
            "hold": self._FLOW_HOLD,
            "hold_claimed": self._FLOW_HOLD_CLAIMED,
            "digest": self._FLOW_DIGEST,
            "burst": self._BURST,
        }
        return {name: self._redis.register_script(source) for name, source in scripts.items()}

    def flow_hold(self, held: HeldAlert) -> bool:
        keys = [self._key("alert", held.id), self._key("held", held.group), self._key("held-groups")]
        alert = json.dumps(held.alert, ensure_ascii=False)
        args = [held.id, alert, held.group, held.reason, repr(held.held_at), repr(held.release_at)]
        return bool(self._call(self._flow_scripts["hold"], keys, args))

    def flow_hold_claimed(self, held: HeldAlert) -> bool:
        keys = [self._key("alert", held.id), self._key("held", held.group), self._key("held-groups")]
        keys.append(self._key("outbox", "pending"))
        args = [held.id, held.group, held.reason, repr(held.held_at), repr(held.release_at)]
        return bool(self._call(self._flow_scripts["hold_claimed"], keys, args))

    def flow_held(self, group: str | None = None) -> list[HeldAlert]:
        groups = [group] if group else sorted(self._call(self._redis.smembers, self._key("held-groups")))
        ids = [str(i) for name in groups for i in self._call(self._redis.zrange, self._key("held", name), 0, -1)]
        pipeline = self._redis.pipeline(transaction=False)
        for alert_id in ids:
            pipeline.hgetall(self._key("alert", alert_id))
        raws = self._call(pipeline.execute) if ids else []
        held = [_held(raw) for raw in raws if raw and raw.get("state") == HELD_STATE]
        return sorted(held, key=lambda one: one.held_at)

    def flow_digest(self, group: str, digest_id: str, digest: dict[str, Any], now: float) -> str | None:
        keys = [self._key("held", group), self._key("held-groups"), self._key("outbox", "pending")]
        meta = json.dumps({k: v for k, v in digest.items() if k not in ("id", "alerts")}, ensure_ascii=False)
        args = [group, digest_id, meta, repr(now), self._key("alert", ""), str(DONE_ALERT_RETENTION_S)]
        found = self._call(self._flow_scripts["digest"], keys, args)
        return str(found) if found else None

    def burst_admit(self, group: str, limit: int, per_s: float, now: float) -> tuple[bool, float]:
        admitted, ends = self._call(self._flow_scripts["burst"], [self._key("burst", group)], [limit, per_s, repr(now)])
        return bool(admitted), float(ends)

    def digest_parts_sent(self, digest_id: str) -> set[int]:
        return {int(part) for part in self._call(self._redis.smembers, self._key("digest-parts", digest_id))}

    def mark_digest_part_sent(self, digest_id: str, part: int) -> None:
        key = self._key("digest-parts", digest_id)
        pipeline = self._redis.pipeline(transaction=True)
        pipeline.sadd(key, part)
        pipeline.expire(key, DONE_ALERT_RETENTION_S)
        self._call(pipeline.execute)

    # --- end of flow ---


CHANNEL_FIELD_TYPES: dict[str, type] = get_type_hints(ChannelState)


def channel_state_from_strings(raw: dict[str, str]) -> ChannelState:
    """A hash's strings as the typed fields of ChannelState; fields it does not know are left out."""
    state: dict[str, Any] = {}
    for field, kind in CHANNEL_FIELD_TYPES.items():
        if field in raw:
            state[field] = raw[field] == "1" if kind is bool else kind(raw[field])
    return cast(ChannelState, state)


def channel_fields_as_strings(fields: ChannelState) -> dict[str, str]:
    return {
        field: ("1" if value else "0") if isinstance(value, bool) else str(value) for field, value in fields.items()
    }


# --- end of channel state ---


def _ms(seconds: float) -> int:
    return math.ceil(seconds * 1000)


def _record(raw: dict[str, str]) -> OutboxRecord:
    return OutboxRecord(
        id=raw["id"],
        state=raw["state"],  # type: ignore[arg-type]
        alert=json.loads(raw["alert"]),
        attempts=int(raw["attempts"]),
        next_at=float(raw["next_at"]),
        claimed_until=float(raw["claimed_until"]),
        last_error=raw["last_error"],
        created_at=float(raw["created_at"]),
        updated_at=float(raw["updated_at"]),
        receipt=raw.get("receipt", ""),
    )


def _held(raw: dict[str, str]) -> HeldAlert:
    return HeldAlert(
        id=raw["id"],
        group=raw["group"],
        alert=json.loads(raw["alert"]),
        reason=raw["hold_reason"],
        held_at=float(raw["held_at"]),
        release_at=float(raw["hold_release"]),
    )
