"""The Redis cache, with this process's memory standing in while Redis is unreachable.

The cache holds the sign-in rate limits (django-allauth counts attempts in it). With
Django's plain RedisCache, Redis being down makes every sign-in an error page; with
errors read as misses, the limits would silently stop counting. Here they keep
counting in each web process's memory: a looser limit (one count per process), never
none, and the page still answers.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class RedisCacheWithFallback(RedisCache):
    # After a failure, Redis is left alone this long, so a server that does not answer
    # costs one connect timeout now and then, not one per cache call.
    RETRY_AFTER = 10.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"redis-fallback:{server}", params)
        self._redis_down_until = 0.0

    def _either(self, method, *args):
        if time.monotonic() >= self._redis_down_until:
            try:
                return getattr(super(), method)(*args)
            except RedisError as error:
                self._redis_down_until = time.monotonic() + self.RETRY_AFTER
                logger.warning(
                    "Redis cache unreachable (%s); this process counts in memory for %.0f s",
                    error,
                    self.RETRY_AFTER,
                )
        return getattr(self._fallback, method)(*args)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._either("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._either("delete", key, version)

    def get_many(self, keys, version=None):
        return self._either("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._either("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._either("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._either("delete_many", keys, version)

    def clear(self):
        return self._either("clear")
