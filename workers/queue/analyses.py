"""The per-sentence analyses (vector and spaCy parse) shared by every worker through Redis, with a bound on memory.

The engine asks for them through ``workers.engine.analyses.SharedStore`` (it never imports Redis).
Entries live in two generations of Redis hashes: new entries go to the current generation;
when it holds ``limit // 2`` entries a new generation starts and the one before the current
is deleted. Lookups read the current and the previous generation, so at most ``limit``
entries (about 4.6 KB each: a 1.5 KB vector and a parse of about 3 KB) are ever kept,
and a sentence seen recently on any page, by any worker, is never analysed again.
"""

from __future__ import annotations

from redis import Redis

from workers.queue.cache import PREFIX

GENERATION = f"{PREFIX}:analyses:generation"
HASH = f"{PREFIX}:analyses:"

# Start a new generation (only if nobody did it first) and drop the one before the current.
_ROTATE = """
local g = tonumber(redis.call('GET', KEYS[1]) or '0')
if g == tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], g + 1)
  redis.call('DEL', ARGV[2] .. (g - 1))
end
return g
"""


class RedisAnalyses:
    """A ``SharedStore`` in Redis: ``get_many``/``set_many`` of bytes, at most ``limit`` entries."""

    def __init__(self, connection: Redis, limit: int):
        self.connection = connection
        self.limit = max(2, limit)
        self._rotate = connection.register_script(_ROTATE)

    def _generation(self) -> int:
        return int(self.connection.get(GENERATION) or 0)

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        if not keys:
            return []
        generation = self._generation()
        pipe = self.connection.pipeline(transaction=False)
        pipe.hmget(HASH + str(generation), keys)
        pipe.hmget(HASH + str(generation - 1), keys)
        current, previous = pipe.execute()
        return [a if a is not None else b for a, b in zip(current, previous)]

    def set_many(self, items: dict[str, bytes]) -> None:
        if not items:
            return
        generation = self._generation()
        pipe = self.connection.pipeline(transaction=False)
        pipe.hset(HASH + str(generation), mapping=items)
        pipe.hlen(HASH + str(generation))
        _, size = pipe.execute()
        if size >= self.limit // 2:
            self._rotate(keys=[GENERATION], args=[generation, HASH])

    def entries(self) -> int:
        """How many entries the two live generations hold."""
        generation = self._generation()
        return sum(self.connection.hlen(HASH + str(g)) for g in (generation, generation - 1))
